"""Clinical code lists for synthetic claims: diagnoses, and the line catalog by claim category.

Prices are placeholders of plausible magnitude (Medi-Cal fee-schedule-like), not real rates.
Weights are rough frequencies in a Medicaid population: established-patient visits are mostly
99213/99214, ED levels peak at 99283/99284, and so on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum


class Cat(IntEnum):
    """Claim categories: each is one kind of encounter with its own claim shape."""

    OFFICE = 1
    LAB = 2
    ED_FACILITY = 3
    ED_PROFESSIONAL = 4
    INPATIENT = 5
    SNF = 6
    BEHAVIORAL = 7
    SUD_TREATMENT = 8
    PRENATAL = 9
    DELIVERY = 10
    ECM = 11
    COMMUNITY_SUPPORT = 12
    PREVENTIVE = 13


@dataclass(frozen=True)
class LineCode:
    """One billable line shape: revenue code (institutional), HCPCS/CPT, unit price."""

    rev: str | None
    hcpcs: str | None
    price: float
    per_diem: bool = False


# The catalog: every line any claim can carry. Ids are positions (1-based in SQL).
CATALOG: dict[str, LineCode] = {
    # Office and preventive evaluation and management.
    "99212": LineCode(None, "99212", 45.0),
    "99213": LineCode(None, "99213", 75.0),
    "99214": LineCode(None, "99214", 110.0),
    "99215": LineCode(None, "99215", 150.0),
    "99203": LineCode(None, "99203", 95.0),
    "99204": LineCode(None, "99204", 145.0),
    "99381": LineCode(None, "99381", 105.0),
    "99391": LineCode(None, "99391", 95.0),
    "99392": LineCode(None, "99392", 100.0),
    "99393": LineCode(None, "99393", 100.0),
    "99394": LineCode(None, "99394", 110.0),
    "99395": LineCode(None, "99395", 115.0),
    "99396": LineCode(None, "99396", 120.0),
    "99397": LineCode(None, "99397", 125.0),
    # Ancillaries and labs.
    "36415": LineCode(None, "36415", 3.0),
    "85025": LineCode(None, "85025", 8.0),
    "80053": LineCode(None, "80053", 11.0),
    "80048": LineCode(None, "80048", 9.0),
    "83036": LineCode(None, "83036", 10.0),
    "80061": LineCode(None, "80061", 14.0),
    "84443": LineCode(None, "84443", 17.0),
    "81001": LineCode(None, "81001", 3.5),
    "87086": LineCode(None, "87086", 8.0),
    "90471": LineCode(None, "90471", 18.0),
    "90686": LineCode(None, "90686", 20.0),
    "96127": LineCode(None, "96127", 5.0),
    "87880": LineCode(None, "87880", 12.0),
    "71046": LineCode(None, "71046", 25.0),
    "93000": LineCode(None, "93000", 16.0),
    # Emergency department, professional and facility.
    "99281": LineCode(None, "99281", 20.0),
    "99282": LineCode(None, "99282", 40.0),
    "99283": LineCode(None, "99283", 65.0),
    "99284": LineCode(None, "99284", 110.0),
    "99285": LineCode(None, "99285", 160.0),
    "0450/99283": LineCode("0450", "99283", 300.0),
    "0450/99284": LineCode("0450", "99284", 520.0),
    "0450/99285": LineCode("0450", "99285", 820.0),
    "0451/99282": LineCode("0451", "99282", 180.0),
    "0456/99283": LineCode("0456", "99283", 160.0),
    "0459/99284": LineCode("0459", "99284", 450.0),
    "0300/80053": LineCode("0300", "80053", 60.0),
    "0301/85025": LineCode("0301", "85025", 40.0),
    "0320/71046": LineCode("0320", "71046", 150.0),
    "0350/70450": LineCode("0350", "70450", 420.0),
    "0250": LineCode("0250", None, 45.0),
    "0636/J1885": LineCode("0636", "J1885", 25.0),
    "0730/93005": LineCode("0730", "93005", 70.0),
    "0270": LineCode("0270", None, 35.0),
    # Inpatient, delivery and skilled nursing.
    "0120": LineCode("0120", None, 1900.0, per_diem=True),
    "0112": LineCode("0112", None, 1500.0, per_diem=True),
    "0720": LineCode("0720", None, 1200.0),
    "0360": LineCode("0360", None, 2500.0),
    "0410": LineCode("0410", None, 180.0),
    "0191": LineCode("0191", None, 260.0, per_diem=True),
    "0420/97110": LineCode("0420", "97110", 45.0),
    "0430/97535": LineCode("0430", "97535", 45.0),
    "0440/92507": LineCode("0440", "92507", 60.0),
    # Behavioral health and substance use treatment.
    "90791": LineCode(None, "90791", 160.0),
    "90832": LineCode(None, "90832", 60.0),
    "90834": LineCode(None, "90834", 85.0),
    "90837": LineCode(None, "90837", 120.0),
    "H0031": LineCode(None, "H0031", 90.0),
    "H0020": LineCode(None, "H0020", 18.0),
    "H0004": LineCode(None, "H0004", 30.0),
    "H0005": LineCode(None, "H0005", 40.0),
    "H0001": LineCode(None, "H0001", 120.0),
    "99408": LineCode(None, "99408", 35.0),
    # Prenatal care.
    "59425": LineCode(None, "59425", 420.0),
    "76805": LineCode(None, "76805", 110.0),
    "76815": LineCode(None, "76815", 75.0),
    "59430": LineCode(None, "59430", 90.0),
}
CATALOG_IDS = {key: i + 1 for i, key in enumerate(CATALOG)}

_ANCILLARY = {
    "36415": 25,
    "85025": 15,
    "80053": 12,
    "83036": 10,
    "80061": 8,
    "90471": 8,
    "96127": 7,
    "81001": 5,
    "87880": 5,
    "93000": 3,
    "71046": 2,
}
_FACILITY_EXTRA = {
    "0300/80053": 25,
    "0301/85025": 25,
    "0320/71046": 15,
    "0350/70450": 8,
    "0250": 12,
    "0636/J1885": 5,
    "0730/93005": 7,
    "0270": 3,
}

FIRST_LINE: dict[Cat, Mapping[str, float]] = {
    Cat.OFFICE: {"99213": 45, "99214": 30, "99212": 10, "99215": 5, "99203": 5, "99204": 5},
    Cat.PREVENTIVE: {
        "99381": 10,
        "99391": 15,
        "99392": 15,
        "99393": 15,
        "99394": 15,
        "99395": 15,
        "99396": 10,
        "99397": 5,
    },
    Cat.LAB: {
        "80053": 25,
        "85025": 25,
        "83036": 15,
        "80061": 15,
        "84443": 8,
        "87086": 7,
        "80048": 5,
    },
    Cat.ED_FACILITY: {
        "0450/99283": 35,
        "0450/99284": 35,
        "0450/99285": 15,
        "0451/99282": 5,
        "0456/99283": 6,
        "0459/99284": 4,
    },
    Cat.ED_PROFESSIONAL: {"99281": 5, "99282": 15, "99283": 35, "99284": 30, "99285": 15},
    Cat.INPATIENT: {"0120": 1},
    Cat.SNF: {"0191": 1},
    Cat.BEHAVIORAL: {"90834": 40, "90837": 25, "90791": 10, "90832": 10, "H0031": 5, "99214": 10},
    Cat.SUD_TREATMENT: {"H0020": 40, "H0004": 25, "H0005": 20, "H0001": 5, "99408": 10},
    Cat.PRENATAL: {"99213": 45, "99214": 15, "59425": 10, "76805": 15, "76815": 10, "59430": 5},
    Cat.DELIVERY: {"0112": 1},
}
OTHER_LINES: dict[Cat, Mapping[str, float]] = {
    Cat.OFFICE: _ANCILLARY,
    Cat.PREVENTIVE: {"90471": 30, "90686": 15, "96127": 20, "36415": 15, "85025": 10, "81001": 10},
    Cat.LAB: {
        "80053": 15,
        "85025": 20,
        "83036": 10,
        "80061": 15,
        "84443": 10,
        "81001": 10,
        "36415": 20,
    },
    Cat.ED_FACILITY: _FACILITY_EXTRA,
    Cat.ED_PROFESSIONAL: {"93000": 60, "71046": 40},
    Cat.INPATIENT: {**_FACILITY_EXTRA, "0360": 8, "0410": 6},
    Cat.SNF: {"0420/97110": 40, "0430/97535": 35, "0440/92507": 10, "0250": 15},
    Cat.PRENATAL: {"36415": 40, "85025": 30, "81001": 30},
    Cat.DELIVERY: {"0720": 40, "0250": 25, "0300/80053": 20, "0301/85025": 15},
}

# Diagnoses (ICD-10-CM, no dot). Acute primary diagnoses by setting.
ED_ACUTE = {
    "R0789": 10,
    "R109": 10,
    "J069": 10,
    "S0990XA": 6,
    "S6991XA": 5,
    "R519": 6,
    "N390": 6,
    "J189": 5,
    "K5290": 5,
    "R55": 4,
    "M545": 8,
    "R509": 6,
    "L03115": 4,
    "T7840XA": 3,
    "R0602": 6,
    "J45901": 4,
}
OFFICE_ACUTE = {
    "J069": 15,
    "M545": 12,
    "E785": 12,
    "K219": 8,
    "N390": 6,
    "L309": 5,
    "H6690": 8,
    "R519": 5,
    "J029": 8,
    "Z23": 10,
    "R739": 6,
    "E669": 5,
}
PREVENTIVE_DX = {"Z00129": 1}
PREVENTIVE_DX_ADULT = {"Z0000": 1}
LAB_DX = {
    "E785": 20,
    "R739": 20,
    "Z1322": 10,
    "E559": 10,
    "D649": 10,
    "R7309": 10,
    "N390": 10,
    "Z0000": 10,
}
INPATIENT_DX = {
    "J189": 14,
    "A419": 12,
    "I214": 6,
    "N179": 8,
    "K8590": 5,
    "J441": 8,
    "I639": 6,
    "L03115": 6,
    "K566": 5,
    "E1110": 5,
    "I110": 10,
    "N390": 8,
    "T40601A": 3,
    "R55": 4,
}
SNF_DX = {"Z9181": 20, "S72001D": 15, "I69351": 15, "Z4789": 20, "M6281": 20, "R262": 10}
PRENATAL_DX = {"Z3480": 35, "Z3490": 20, "Z3400": 15, "O0990": 15, "O24419": 8, "O139": 7}
DELIVERY_DX = {"O80": 55, "O701": 15, "O342": 15, "O480": 10, "O1414": 5}

# SMI, SUD and child/youth behavioral diagnoses; one is drawn per affected member.
SMI_ADULT = {"F331": 40, "F319": 28, "F200": 14, "F250": 10, "F332": 8}
SMI_CHILD = {"F331": 30, "F4310": 25, "F913": 20, "F339": 15, "F319": 10}
SUD_DX = {"F1020": 40, "F1120": 30, "F1520": 22, "F1220": 8}

# Homelessness and housing-instability Z codes. Z590 is the pre-October-2021 code, still
# seen on older claims; Z5900/Z5901/Z5902 are its successors (unspecified, sheltered,
# unsheltered); Z5981x is housing instability while housed; Z591 inadequate housing.
HOMELESS_Z = {"Z5900": 30, "Z5901": 20, "Z5902": 25, "Z590": 15, "Z5981": 5, "Z59811": 5}
AT_RISK_Z = {"Z59811": 50, "Z5981": 30, "Z591": 20}
FOOD_INSECURITY_Z = "Z5941"
