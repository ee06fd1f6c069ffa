"""Program names as the workspace shows them (translated where shown; never the program id)."""

from __future__ import annotations

from calaim.ops.policy import shipped_policy
from calaim.web.i18n import N_

NAMES = {
    "ecm": N_("Enhanced Care Management"),
    "cs.housing_transition_navigation": N_("Housing Transition Navigation Services"),
    "cs.housing_deposits": N_("Housing Deposits"),
    "cs.housing_tenancy_sustaining": N_("Housing Tenancy and Sustaining Services"),
    "cs.short_term_post_hospitalization_housing": N_("Short-Term Post-Hospitalization Housing"),
    "cs.recuperative_care": N_("Recuperative Care (Medical Respite)"),
    "cs.respite": N_("Respite Services"),
    "cs.day_habilitation": N_("Day Habilitation Programs"),
    "cs.alf_transition": N_("Assisted Living Facility Transitions"),
    "cs.community_transition": N_("Community or Home Transition Services"),
    "cs.personal_care_homemaker": N_("Personal Care and Homemaker Services"),
    "cs.environmental_accessibility_adaptations": N_(
        "Environmental Accessibility Adaptations (Home Modifications)"
    ),
    "cs.medically_tailored_meals": N_("Medically Tailored Meals / Medically Supportive Food"),
    "cs.sobering_center": N_("Sobering Centers"),
    "cs.asthma_remediation": N_("Asthma Remediation"),
    "cs.transitional_rent": N_("Transitional Rent"),
}


def program_name(program_id: str) -> str:
    """The program's name (English; the template translates it)."""
    if program_id in NAMES:
        return NAMES[program_id]
    program = shipped_policy().programs.get(program_id)
    return program.name if program else program_id.split(".")[-1].replace("_", " ")
