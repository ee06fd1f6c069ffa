"""ECM and Community Supports service catalog for synthetic history (HCPCS + modifier).

Codes and modifiers follow policy-facts §4 (DHCS "Coding Options", via a plan's public SQL):
the modifier, not the code, identifies the Community Support (H0043 U6 is navigation, H0043
U3 is post-hospitalization housing). Unit prices are placeholders, not DHCS rates (§4.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from calaim.data.synth.sqlkit import lit

# Who a Community Support is drawn for: members experiencing or at risk of homelessness,
# frail older adults, members with diet-sensitive chronic disease, children with asthma.
HOUSING, ELDERLY, CHRONIC, ASTHMA = "housing", "elderly", "chronic", "asthma"


@dataclass(frozen=True)
class Service:
    """One Community Support billing pattern."""

    key: str
    hcpcs: str
    modifier: str
    audience: str
    probability: float
    """Chance that a CS member of the audience has an episode of this service."""
    price: float
    """Placeholder price per unit."""
    units: tuple[int, int] = (1, 1)
    """Units per claim (hours, 15-minute units, meals, items), inclusive range."""
    claims: tuple[int, int] = (1, 1)
    """Claims per episode, inclusive range (ignored for per-diem services)."""
    every: int = 30
    """Days between claims of one episode."""
    per_diem: bool = False
    """Billed in days: one claim per 30-day chunk of a 14-90 day stay, units = days."""
    earliest: date | None = None
    """First date of service DHCS allows (Transitional Rent: optional from July 2025)."""


SERVICES: tuple[Service, ...] = (
    Service("housing_navigation", "H0043", "U6", HOUSING, 0.45, 20.0, (4, 16), (2, 8), 14),
    Service("housing_navigation_alt", "H2016", "U6", HOUSING, 0.30, 95.0, (1, 2), (2, 6), 21),
    Service("housing_deposits", "H0044", "U2", HOUSING, 0.25, 1500.0),
    Service("tenancy_sustaining", "T2040", "U6", HOUSING, 0.30, 20.0, (4, 12), (2, 10), 30),
    Service("post_hospitalization", "H0043", "U3", HOUSING, 0.10, 110.0, per_diem=True),
    Service("recuperative_care", "T2033", "U6", HOUSING, 0.15, 180.0, per_diem=True),
    Service("sobering_center", "H0014", "U6", HOUSING, 0.10, 300.0, (1, 1), (1, 3), 60),
    Service("day_habilitation", "T2020", "U6", HOUSING, 0.08, 25.0, (3, 6), (4, 12), 7),
    Service(
        "transitional_rent",
        "H0040",
        "U1",
        HOUSING,
        0.10,
        1800.0,
        (1, 1),
        (1, 6),
        30,
        earliest=date(2025, 7, 1),
    ),
    Service("respite", "S5151", "U6", ELDERLY, 0.30, 30.0, (4, 24), (2, 8), 30),
    Service("alf_transition", "T2038", "U4", ELDERLY, 0.05, 90.0, per_diem=True),
    Service("community_transition", "T2038", "U5", ELDERLY, 0.05, 3000.0),
    Service("personal_care", "T1019", "U6", ELDERLY, 0.50, 6.5, (20, 80), (2, 12), 14),
    Service("home_modifications", "S5165", "U6", ELDERLY, 0.15, 2500.0),
    Service("medically_tailored_meals", "S5170", "U6", CHRONIC, 0.90, 9.0, (14, 14), (4, 12), 7),
    Service("asthma_remediation", "S5165", "U5", ASTHMA, 0.90, 800.0, (1, 1), (1, 2), 30),
)


def services_values() -> str:
    """The catalog as a SQL VALUES list with columns matching `SERVICE_COLUMNS`."""
    rows = []
    for sid, s in enumerate(SERVICES, start=1):
        earliest = lit(s.earliest) if s.earliest else "NULL::DATE"
        rows.append(
            f"({sid}, {lit(s.key)}, {lit(s.hcpcs)}, {lit(s.modifier)}, {lit(s.audience)}, "
            f"{s.probability}, {s.price}, {s.units[0]}, {s.units[1]}, {s.claims[0]}, "
            f"{s.claims[1]}, {s.every}, {s.per_diem}, {earliest})"
        )
    return "VALUES " + ", ".join(rows)


SERVICE_COLUMNS = (
    "sid, key, hcpcs, modifier, audience, probability, price, units_lo, units_hi, "
    "claims_lo, claims_hi, every, per_diem, earliest"
)

# ECM: clinical staff bill G9008 U1, non-clinical staff G9012 U2 (most ECM is delivered by
# community health workers and other non-licensed lead care managers); outreach is G9012 U8.
# GQ in the second modifier slot marks telephonic/video contact.
ECM_CLINICAL = ("G9008", "U1", 95.0)
ECM_NONCLINICAL = ("G9012", "U2", 75.0)
ECM_OUTREACH = ("G9012", "U8", 40.0)
ECM_CLINICAL_SHARE = 0.3
TELEPHONIC_SHARE = 0.25
