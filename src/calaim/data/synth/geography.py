"""Counties, plans and places of the synthetic population: the one place these shares live.

The five counties cover the four managed care models (Two-Plan, GMC, Single Plan, COHS), so
every plan-configuration path of the engine is exercised. Member shares are roughly
proportional to Medi-Cal managed care enrollment among these five counties (LA ~3.9M,
San Diego ~1.1M, Sacramento ~0.75M, Alameda ~0.6M, Santa Barbara ~0.4M). Plan shares within a
county follow the plans' approximate market shares there; the payer codes are the ones the
project's sample plan configuration uses.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class County:
    """One county of residence: code, model, member share, plans and places."""

    code: str
    name: str
    model: str
    share: float
    plans: tuple[tuple[str, float], ...]
    places: tuple[tuple[str, str], ...]
    """(city, ZIP code) pairs; a member's city and ZIP are drawn together so they agree."""
    area_codes: tuple[str, ...]


COUNTIES: tuple[County, ...] = (
    County(
        code="19",
        name="Los Angeles",
        model="Two-Plan",
        share=0.58,
        # L.A. Care (Local Initiative) holds most members; Health Net (commercial plan, with
        # its Molina subcontract folded in) about a third; Kaiser a direct contract.
        plans=(("LACARE", 0.60), ("HEALTHNET", 0.30), ("KAISER", 0.10)),
        places=(
            ("Los Angeles", "90011"),
            ("Los Angeles", "90044"),
            ("Los Angeles", "90003"),
            ("Los Angeles", "90037"),
            ("East Los Angeles", "90022"),
            ("Long Beach", "90805"),
            ("Long Beach", "90813"),
            ("Lancaster", "93534"),
            ("Palmdale", "93550"),
            ("Pomona", "91766"),
            ("El Monte", "91731"),
            ("Compton", "90220"),
            ("Inglewood", "90301"),
            ("Glendale", "91205"),
            ("Pasadena", "91103"),
            ("Van Nuys", "91405"),
            ("North Hollywood", "91605"),
            ("Downey", "90241"),
            ("Norwalk", "90650"),
            ("Santa Clarita", "91351"),
        ),
        area_codes=("213", "323", "310", "424", "562", "626", "661", "747", "818"),
    ),
    County(
        code="37",
        name="San Diego",
        model="GMC",
        share=0.16,
        plans=(("CHG", 0.35), ("BLUESHIELD", 0.25), ("MOLINA", 0.25), ("KAISER", 0.15)),
        places=(
            ("San Diego", "92105"),
            ("San Diego", "92113"),
            ("San Diego", "92114"),
            ("San Diego", "92154"),
            ("San Diego", "92101"),
            ("Chula Vista", "91910"),
            ("Chula Vista", "91911"),
            ("El Cajon", "92020"),
            ("Oceanside", "92054"),
            ("Escondido", "92025"),
            ("National City", "91950"),
            ("Vista", "92084"),
            ("Spring Valley", "91977"),
        ),
        area_codes=("619", "858", "760"),
    ),
    County(
        code="34",
        name="Sacramento",
        model="GMC",
        share=0.11,
        plans=(("ANTHEM", 0.35), ("HEALTHNET", 0.30), ("MOLINA", 0.20), ("KAISER", 0.15)),
        places=(
            ("Sacramento", "95823"),
            ("Sacramento", "95815"),
            ("Sacramento", "95838"),
            ("Sacramento", "95820"),
            ("Sacramento", "95828"),
            ("Sacramento", "95824"),
            ("Elk Grove", "95758"),
            ("Citrus Heights", "95610"),
            ("Rancho Cordova", "95670"),
            ("North Highlands", "95660"),
        ),
        area_codes=("916", "279"),
    ),
    County(
        code="01",
        name="Alameda",
        model="Single Plan",
        share=0.09,
        plans=(("ALLIANCE", 0.85), ("KAISER", 0.15)),
        places=(
            ("Oakland", "94601"),
            ("Oakland", "94603"),
            ("Oakland", "94621"),
            ("Oakland", "94606"),
            ("Oakland", "94612"),
            ("Hayward", "94541"),
            ("Hayward", "94544"),
            ("Fremont", "94536"),
            ("San Leandro", "94577"),
            ("Berkeley", "94702"),
            ("Union City", "94587"),
            ("Livermore", "94550"),
        ),
        area_codes=("510", "341", "925"),
    ),
    County(
        code="42",
        name="Santa Barbara",
        model="COHS",
        share=0.06,
        # County Organized Health System: CenCal Health is the only plan, and CCS children are
        # in its Whole Child Model (program `ccs_wcm` rather than `ccs`).
        plans=(("CENCAL", 1.0),),
        places=(
            ("Santa Maria", "93454"),
            ("Santa Maria", "93458"),
            ("Santa Barbara", "93101"),
            ("Santa Barbara", "93103"),
            ("Lompoc", "93436"),
            ("Goleta", "93117"),
            ("Guadalupe", "93434"),
            ("Carpinteria", "93013"),
        ),
        area_codes=("805",),
    ),
)

COUNTY_CODE_SHARE = 0.03
"""Share of members whose eligibility rows carry the two-digit county code, not the name
(both are valid input; real extracts mix them when feeds are merged)."""

WHOLE_CHILD_MODEL_COUNTIES = frozenset({"42"})
"""County codes where CCS children are enrolled through the plan's Whole Child Model."""
