"""The input contract (shared/contract/data-contract.md, v1) declared as data.

Every reader, validator and generator works from these declarations, so the contract is written
down exactly once. Column names are lower case; input files may use any case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ColumnType(StrEnum):
    """Logical column types of the contract."""

    STRING = "string"
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Column:
    """One column of an input table."""

    name: str
    type: ColumnType = ColumnType.STRING
    required: bool = False
    vocabulary: tuple[str, ...] | None = None
    """Closed list of allowed values (compared case-insensitively); None = free text."""
    lower: bool = False
    """Stored in lower case (as vocabulary columns are) though the list is open."""
    description: str = ""


@dataclass(frozen=True)
class DateOrder:
    """A pair of date columns where `end` may not come before `start`."""

    start: str
    end: str


@dataclass(frozen=True)
class Table:
    """One input table: its columns and cross-column checks."""

    name: str
    description: str
    columns: tuple[Column, ...]
    date_orders: tuple[DateOrder, ...] = field(default_factory=tuple)
    required_table: bool = False

    def column(self, name: str) -> Column:
        """Return the column called `name` (lower case)."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        """Names of every column, in contract order."""
        return tuple(column.name for column in self.columns)


S, D, INT, N, B = (
    ColumnType.STRING,
    ColumnType.DATE,
    ColumnType.INTEGER,
    ColumnType.DECIMAL,
    ColumnType.BOOLEAN,
)

GENDERS = ("female", "male", "unknown")
# Tuva input layer vocabularies (models/input_layer/input_layer__*.yml, read 2026-12): every
# value Tuva's tests or mapping instructions accept is accepted here.
RACES = (
    "american indian or alaska native",
    "asian",
    "asked but unknown",
    "black or african american",
    "native hawaiian or other pacific islander",
    "white",
    "other race",
    "unknown",
)
ETHNICITIES = ("hispanic or latino", "not hispanic or latino", "unknown")
"""Values calaim knows; Tuva's input layer does not restrict ethnicity, so others are kept."""
CLAIM_TYPES = ("institutional", "professional", "undetermined")
PAYER_TYPES = ("medicaid", "medicare", "commercial", "self-insured")
"""Tuva's payer types; only `medicaid` spans (or spans without a payer_type) enroll."""
DUAL_STATUS_CODES = ("00", "01", "02", "03", "04", "05", "06", "08", "09", "10")
"""CMS Medicare-Medicaid dual status codes Tuva accepts (00 = not dual)."""
DIAGNOSIS_CODE_TYPES = ("icd-10-cm", "icd-9-cm")
"""Only icd-10-cm codes are matched against the value sets (which are ICD-10-CM)."""
HOUSING_STATUSES = (
    "unsheltered",
    "sheltered",
    "exiting_institution",
    "imminent_loss",
    "fleeing_violence",
    "couch_surfing",
    "at_risk",
    "housed",
)
PROGRAMS = (
    "hospice",
    "pace",
    "ccm",
    "cct",
    "waiver_hcba",
    "waiver_alw",
    "waiver_mssp",
    "waiver_hcbs_dd",
    "waiver_sdp",
    "waiver_hiv_aids",
    "dsnp",
    "ccs",
    "ccs_wcm",
    "foster_care",
    "child_welfare_services",
    "adoption_assistance",
    "smhs",
    "dmc",
    "ihss",
    "ecm",
    "housing_support_plan",
    "coordinated_entry",
)
INCARCERATION_FACILITIES = ("jail", "prison", "youth_facility")
# The DHCS 90-day pre-release service package (implementation-facts §4.6, RECALLED list).
PRE_RELEASE_SERVICES = (
    "reentry_care_management",
    "clinical_consultation",
    "lab_radiology",
    "medication",
    "mat",
    "community_health_worker",
    "release_medication_supply",
    "release_dme",
)
FACILITY_TYPES = (
    "nursing_facility",
    "acute_hospital",
    "psychiatric_inpatient",
    "sud_residential",
    "recuperative_care",
    "post_hospitalization_housing",
    "assisted_living",
)
# Member facts and the type of their value (contract §1.2). The project may add facts.
MEMBER_FACTS: dict[str, ColumnType] = {
    "complex_health_need": B,
    "food_insecurity": B,
    "transportation_barrier": B,
    "law_enforcement_contact": B,
    "crisis_contact": B,
    "adl_deficits": INT,
    "iadl_deficits": INT,
    "lives_alone": B,
    "unpaid_caregiver": B,
    "nf_level_of_care": B,
    "wants_community_transition": B,
    "asthma_trigger_assessment": B,
    "asthma_control_test_score": INT,
    # Added for the policy review (issue 11); optional like every fact.
    "lives_with_dependent_children": B,
    "formal_supports": B,
    "inadequate_caregiving": B,
    "communication_difficulty": B,
    "conservatorship_need": B,
    "skilled_nursing_need": B,
    "ace_score": INT,
}

_DIAGNOSES = tuple(Column(f"diagnosis_code_{i}") for i in range(1, 26))
_MODIFIERS = tuple(Column(f"hcpcs_modifier_{i}") for i in range(1, 6))

ELIGIBILITY = Table(
    name="eligibility",
    description="One row per enrollment span (Tuva input layer, plus county and language).",
    required_table=True,
    columns=(
        Column("person_id", S, required=True, description="stable person key across all tables"),
        Column("member_id", S, description="Medi-Cal CIN where known"),
        Column("birth_date", D, required=True),
        Column("death_date", D),
        Column("gender", S, description="female, male, unknown (others kept as given)"),
        Column("race", S, vocabulary=RACES),
        Column("ethnicity", S, lower=True, description="hispanic or latino, ... (open list)"),
        Column("enrollment_start_date", D, required=True),
        Column("enrollment_end_date", D, description="null = open-ended"),
        Column("payer", S, required=True, description="managed care plan code, e.g. LACARE"),
        Column("payer_type", S, vocabulary=PAYER_TYPES, description="only medicaid enrolls"),
        Column("plan", S),
        Column("dual_status_code", S, vocabulary=DUAL_STATUS_CODES),
        Column(
            "county",
            S,
            description="county name or two-digit code; derived from zip_code when empty",
        ),
        Column("language", S, description="ISO 639-1 code or language name"),
        Column("first_name", S),
        Column("last_name", S),
        Column("address", S),
        Column("city", S),
        Column("state", S),
        Column("zip_code", S),
        Column("phone", S),
        Column("email", S),
        Column("hospice_flag", S),
        Column("snp_type", S, description="'D-SNP' = dual special needs plan"),
    ),
    date_orders=(
        DateOrder("enrollment_start_date", "enrollment_end_date"),
        DateOrder("birth_date", "death_date"),
    ),
)

MEDICAL_CLAIM = Table(
    name="medical_claim",
    description="One row per claim line (Tuva input layer).",
    columns=(
        Column("claim_id", S, required=True),
        Column("claim_line_number", INT, required=True),
        Column("claim_type", S, required=True, vocabulary=CLAIM_TYPES),
        Column("person_id", S, required=True),
        Column("payer", S),
        Column("claim_start_date", D, required=True),
        Column("claim_end_date", D),
        Column("claim_line_start_date", D),
        Column("claim_line_end_date", D),
        Column("admission_date", D),
        Column("discharge_date", D),
        Column("admit_type_code", S),
        Column("admit_source_code", S),
        Column("discharge_disposition_code", S),
        Column("place_of_service_code", S),
        Column("bill_type_code", S),
        Column("revenue_center_code", S),
        Column("hcpcs_code", S),
        *_MODIFIERS,
        Column("service_unit_quantity", N),
        Column("diagnosis_code_type", S, vocabulary=DIAGNOSIS_CODE_TYPES),
        *_DIAGNOSES,
        Column("rendering_npi", S),
        Column("billing_npi", S),
        Column("paid_amount", N),
        Column("allowed_amount", N),
    ),
    date_orders=(
        DateOrder("claim_start_date", "claim_end_date"),
        DateOrder("claim_line_start_date", "claim_line_end_date"),
        DateOrder("admission_date", "discharge_date"),
    ),
)

HOUSING_STATUS = Table(
    name="housing_status",
    description="Observed housing situation of a person on a date.",
    columns=(
        Column("person_id", S, required=True),
        Column("observed_date", D, required=True),
        Column("status", S, required=True, vocabulary=HOUSING_STATUSES),
        Column("source", S),
    ),
)

PROGRAM_ENROLLMENT = Table(
    name="program_enrollment",
    description="Enrollment in programs that qualify for or exclude from ECM and CS.",
    columns=(
        Column("person_id", S, required=True),
        Column("program", S, required=True, vocabulary=PROGRAMS),
        Column("start_date", D, required=True),
        Column("end_date", D, description="null = ongoing"),
    ),
    date_orders=(DateOrder("start_date", "end_date"),),
)

INCARCERATION = Table(
    name="incarceration",
    description="Stays in jail, prison or a youth correctional facility.",
    columns=(
        Column("person_id", S, required=True),
        Column("facility_type", S, required=True, vocabulary=INCARCERATION_FACILITIES),
        Column("admission_date", D, required=True),
        Column("release_date", D, description="null = still incarcerated"),
    ),
    date_orders=(DateOrder("admission_date", "release_date"),),
)

PRE_RELEASE_SERVICE = Table(
    name="pre_release_service",
    description="Medi-Cal services given in custody in the 90 days before release (optional).",
    columns=(
        Column("person_id", S, required=True),
        Column("service_date", D, required=True),
        Column("service", S, required=True, vocabulary=PRE_RELEASE_SERVICES),
        Column("facility_type", S, vocabulary=INCARCERATION_FACILITIES),
    ),
)

PREGNANCY = Table(
    name="pregnancy",
    description="Pregnancies; end_date is delivery or end of pregnancy.",
    columns=(
        Column("person_id", S, required=True),
        Column("start_date", D, required=True),
        Column("end_date", D, description="null = ongoing"),
    ),
    date_orders=(DateOrder("start_date", "end_date"),),
)

FACILITY_STAY = Table(
    name="facility_stay",
    description="Stays in facilities that claims may miss.",
    columns=(
        Column("person_id", S, required=True),
        Column("facility_type", S, required=True, vocabulary=FACILITY_TYPES),
        Column("admission_date", D, required=True),
        Column("discharge_date", D, description="null = still there"),
    ),
    date_orders=(DateOrder("admission_date", "discharge_date"),),
)

MEMBER_COUNTY = Table(
    name="member_county",
    description="County of residence per person, where eligibility has none (optional).",
    columns=(
        Column("person_id", S, required=True),
        Column("county", S, required=True, description="county name or two-digit code"),
    ),
)

MEMBER_FACT = Table(
    name="member_fact",
    description="Screening and assessment facts; value type depends on the fact.",
    columns=(
        Column("person_id", S, required=True),
        Column("observed_date", D, required=True),
        Column("fact", S, required=True, vocabulary=tuple(MEMBER_FACTS)),
        Column("value", S, required=True),
    ),
)

TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        ELIGIBILITY,
        MEDICAL_CLAIM,
        HOUSING_STATUS,
        PROGRAM_ENROLLMENT,
        INCARCERATION,
        PRE_RELEASE_SERVICE,
        PREGNANCY,
        FACILITY_STAY,
        MEMBER_FACT,
    )
}
"""Every input table of the contract, by name: the relations the engine reads."""

DERIVATION_TABLES: dict[str, Table] = {MEMBER_COUNTY.name: MEMBER_COUNTY}
"""Optional tables read only to derive columns of the contract tables (never by the engine)."""

INPUT_TABLES: dict[str, Table] = TABLES | DERIVATION_TABLES
"""Every table an input folder may hold."""

BOOLEAN_TRUE = ("true", "t", "yes", "y", "1")
BOOLEAN_FALSE = ("false", "f", "no", "n", "0")
