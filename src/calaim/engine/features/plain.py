"""Plain words for the contract's codes, so explanations read as English, not identifiers.

A care manager reads "an acute hospital stay" and "In-Home Supportive Services (IHSS)", never
"a acute_hospital" or "ihss". Unknown codes fall back to the code with spaces for underscores.
"""

from __future__ import annotations

from collections.abc import Iterable

PROGRAMS = {
    "hospice": "hospice",
    "pace": "PACE",
    "ccm": "Complex Care Management",
    "cct": "California Community Transitions",
    "waiver_hcba": "the HCBA waiver",
    "waiver_alw": "the Assisted Living Waiver",
    "waiver_mssp": "the Multipurpose Senior Services Program (MSSP)",
    "waiver_hcbs_dd": "the HCBS waiver for people with developmental disabilities",
    "waiver_sdp": "the Self-Determination Program",
    "waiver_hiv_aids": "the HIV/AIDS waiver",
    "dsnp": "a dual special needs plan (D-SNP)",
    "ccs": "California Children's Services (CCS)",
    "ccs_wcm": "the CCS Whole Child Model",
    "foster_care": "foster care",
    "child_welfare_services": "Family Maintenance (child welfare) services",
    "adoption_assistance": "Adoption Assistance",
    "smhs": "county Specialty Mental Health Services",
    "dmc": "Drug Medi-Cal",
    "ihss": "In-Home Supportive Services (IHSS)",
    "ecm": "Enhanced Care Management",
    "housing_support_plan": "a housing support plan",
    "coordinated_entry": "Coordinated Entry (prioritized for housing)",
}

SETTINGS = {
    "nursing_facility": "a nursing facility",
    "acute_hospital": "an acute hospital",
    "psychiatric_inpatient": "a psychiatric hospital",
    "sud_residential": "residential substance use treatment",
    "recuperative_care": "recuperative care",
    "post_hospitalization_housing": "post-hospitalization housing",
    "assisted_living": "an assisted living facility",
    "jail": "jail",
    "prison": "prison",
    "youth_facility": "a youth correctional facility",
}

HOUSING_STATUSES = {
    "unsheltered": "unsheltered",
    "sheltered": "in a shelter",
    "exiting_institution": "leaving an institution into homelessness",
    "imminent_loss": "losing housing within 30 days",
    "fleeing_violence": "fleeing violence",
    "couch_surfing": "couch surfing",
    "at_risk": "at risk of homelessness",
    "housed": "housed",
}

FACTS = {
    "complex_health_need": "assessed as having a complex health need",
    "food_insecurity": "food insecurity",
    "transportation_barrier": "a transportation barrier",
    "law_enforcement_contact": "recent contact with law enforcement",
    "crisis_contact": "recent crisis contact",
    "adl_deficits": "number of daily activities (ADLs) needing help",
    "iadl_deficits": "number of household activities (IADLs) needing help",
    "lives_alone": "lives alone",
    "unpaid_caregiver": "relies on an unpaid caregiver",
    "nf_level_of_care": "assessed at nursing facility level of care",
    "wants_community_transition": "wants to move back to the community",
    "asthma_trigger_assessment": "had an asthma trigger assessment",
    "asthma_control_test_score": "Asthma Control Test score",
    "lives_with_dependent_children": "lives with their children (under 21)",
    "formal_supports": "has formal supports at home (paid or agency care)",
    "inadequate_caregiving": "poor or inadequate caregiving",
    "communication_difficulty": "communication difficulties",
    "conservatorship_need": "needs a conservatorship",
    "skilled_nursing_need": "needs lower-acuity skilled nursing",
    "ace_score": "adverse childhood experiences (ACEs) score",
}

FACT_TOPICS = {
    "lives_with_dependent_children": "household data",
    "lives_alone": "household data",
    "formal_supports": "home support data",
    "unpaid_caregiver": "caregiver data",
    "inadequate_caregiving": "caregiver data",
    "ace_score": "ACEs screening",
    "asthma_control_test_score": "Asthma Control Test score",
    "asthma_trigger_assessment": "asthma trigger assessment",
    "adl_deficits": "functional assessment",
    "iadl_deficits": "functional assessment",
    "nf_level_of_care": "level-of-care assessment",
    "skilled_nursing_need": "level-of-care assessment",
}
"""What is missing, in a care manager's words, when a fact has never been recorded."""

VALUE_SETS = {
    "smi_or_sud": "serious mental illness or substance use disorder",
    "serious_mental_illness": "serious mental illness",
    "substance_use_disorder": "substance use disorder",
    "overdose_suicide_risk": "overdose, suicide attempt or self-harm",
    "hiv": "HIV",
    "asthma": "asthma",
    "asthma_exacerbation": "an asthma attack (exacerbation)",
    "diet_sensitive_conditions": "a diet-sensitive chronic condition",
    "serious_chronic_physical": "a serious chronic physical condition",
    "intellectual_developmental_disability": "an intellectual or developmental disability",
    "traumatic_brain_injury": "traumatic brain injury",
    "social_risk_factors": "a social risk (Z-code)",
    "homelessness": "homelessness (Z59.0)",
    "housing_instability": "housing instability (Z59.81)",
    "recently_homeless": "housed after recent homelessness (Z59.812)",
}


def _word(table: dict[str, str], code: str) -> str:
    return table.get(str(code), str(code).replace("_", " "))


def join_or(words: Iterable[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def program_names(codes: Iterable[str]) -> str:
    """'hospice, PACE or Complex Care Management'."""
    return join_or(_word(PROGRAMS, code) for code in codes)


def setting_names(codes: Iterable[str]) -> str:
    """'an acute hospital or a nursing facility'."""
    return join_or(_word(SETTINGS, code) for code in codes)


def housing_status_names(codes: Iterable[str]) -> str:
    """'unsheltered, in a shelter or couch surfing'."""
    return join_or(_word(HOUSING_STATUSES, code) for code in codes)


def fact_name(code: str) -> str:
    """'lives alone'."""
    return _word(FACTS, code)


def fact_topic(code: str) -> str:
    """What is missing when the fact was never recorded: 'household data'."""
    return FACT_TOPICS.get(code, "screening or assessment data")


def value_set_name(code: str) -> str:
    """'serious mental illness or substance use disorder'."""
    return _word(VALUE_SETS, code)
