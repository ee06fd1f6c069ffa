"""Encounter class -> how its claim lines look to the engine (claim type and UB-04 / CMS codes).

| Encounter.class (v3 ActCode) | claim_type | bill type | revenue | place of service |
|---|---|---|---|---|
| EMER (emergency) | institutional | 131 | 0450 | 23 |
| IMP, ACUTE, NONAC (inpatient) | institutional | 111 | | 21 |
| SNF (Synthea's skilled nursing class) | institutional | 211 | | 31 |
| SS, OBSENC (short stay, observation) | institutional | 131 | | 22 |
| AMB, PRENC (ambulatory, pre-admission) | professional | | | 11 |
| HH (home health) | professional | | | 12 |
| VR (virtual) | professional | | | 02 |
| other or none | professional | | | |

Stays (inpatient, SNF) carry admission and discharge dates (the Encounter's period) and an
admit type: Encounter.priority EM -> 1 (emergency), UR -> 2 (urgent), EL / R -> 3 (elective);
else hospitalization.admitSource `emd` -> 1; else an Encounter.type of SNOMED 183452005
(emergency hospital admission) -> 1; else none (the engine then does not count the stay as
unplanned).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calaim.exchange.fhir.synthea.values import codes


@dataclass(frozen=True)
class Setting:
    """The claim codes an encounter class stands for."""

    claim_type: str
    bill_type: str = ""
    revenue: str = ""
    place_of_service: str = ""
    stay: bool = False


ED = Setting("institutional", "131", "0450", "23")
INPATIENT = Setting("institutional", "111", "", "21", stay=True)
SETTINGS: dict[str, Setting] = {
    "EMER": ED,
    "IMP": INPATIENT,
    "ACUTE": INPATIENT,
    "NONAC": INPATIENT,
    "SNF": Setting("institutional", "211", "", "31", stay=True),
    "SS": Setting("institutional", "131", "", "22"),
    "OBSENC": Setting("institutional", "131", "", "22"),
    "AMB": Setting("professional", place_of_service="11"),
    "PRENC": Setting("professional", place_of_service="11"),
    "HH": Setting("professional", place_of_service="12"),
    "VR": Setting("professional", place_of_service="02"),
}
OTHER = Setting("professional")
PRIORITIES = {"EM": "1", "UR": "2", "EL": "3", "R": "3"}
EMERGENCY_ADMISSION = "183452005"


def setting_of(encounter: Any | None) -> Setting:
    """The setting of an encounter's class (OTHER if none or unknown)."""
    if encounter is None or encounter.class_fhir is None:
        return OTHER
    return SETTINGS.get(str(encounter.class_fhir.code or "").upper(), OTHER)


def admit_type(encounter: Any) -> str:
    """UB-04 priority of admission for a stay ('' if the Bundle does not say)."""
    for code in codes(encounter.priority):
        if code.upper() in PRIORITIES:
            return PRIORITIES[code.upper()]
    stay = encounter.hospitalization
    if stay is not None and "emd" in codes(stay.admitSource):
        return "1"
    if any(EMERGENCY_ADMISSION in codes(kind) for kind in encounter.type or []):
        return "1"
    return ""
