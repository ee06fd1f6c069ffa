"""Programs in a member's words (about a 6th-grade reading level): a short name and why the
member's records point to it. Never a program id on a member's screen."""

from __future__ import annotations

from calaim.web.i18n import N_

ECM = N_("A care manager just for you (Enhanced Care Management)")
WHY_HOUSING = N_("Our records show you may not have a steady place to live.")
WHY_AFTER_HOSPITAL = N_("Our records show a recent hospital stay and no steady place to live.")
WHY_DAILY_HELP = N_("Our records show you may need help every day to live safely.")
WHY_NURSING_HOME = N_("Our records show you live in a nursing home and could move home.")
WHY_ANY = N_("Our records show you meet the rules for this help.")

# program id -> (name, why)
PROGRAMS: dict[str, tuple[str, str]] = {
    "ecm": (ECM, WHY_ANY),
    "ecm.homeless_adult": (ECM, WHY_HOUSING),
    "ecm.homeless_family_youth": (
        ECM,
        N_("Our records show your family may not have a steady place to live."),
    ),
    "ecm.avoidable_utilization": (
        ECM,
        N_("Our records show many emergency room visits or hospital stays."),
    ),
    "ecm.smh_sud": (
        ECM,
        N_("Our records show you get care for mental health or for alcohol or drug use."),
    ),
    "ecm.justice_involved": (ECM, N_("Our records show you recently left jail or prison.")),
    "ecm.ltc_risk": (
        ECM,
        N_("Our records show you may need nursing home care if you do not get more help."),
    ),
    "ecm.nf_transition": (ECM, WHY_NURSING_HOME),
    "ecm.ccs": (ECM, N_("Our records show your child gets California Children's Services.")),
    "ecm.child_welfare": (
        ECM,
        N_("Our records show your child is in foster care or child welfare."),
    ),
    "ecm.birth_equity": (ECM, N_("Our records show you are pregnant or just had a baby.")),
    "cs.housing_transition_navigation": (N_("Help finding a home"), WHY_HOUSING),
    "cs.housing_deposits": (N_("Money for a home deposit"), WHY_HOUSING),
    "cs.housing_tenancy_sustaining": (N_("Help keeping your home"), WHY_HOUSING),
    "cs.short_term_post_hospitalization_housing": (
        N_("A place to stay after the hospital"),
        WHY_AFTER_HOSPITAL,
    ),
    "cs.recuperative_care": (N_("A place to heal after the hospital"), WHY_AFTER_HOSPITAL),
    "cs.respite": (
        N_("A break for your caregiver"),
        N_("Our records show someone at home cares for you."),
    ),
    "cs.day_habilitation": (N_("Day programs to learn life skills"), WHY_HOUSING),
    "cs.alf_transition": (N_("Moving to assisted living"), WHY_DAILY_HELP),
    "cs.community_transition": (N_("Moving from a nursing home back home"), WHY_NURSING_HOME),
    "cs.personal_care_homemaker": (N_("Help at home with daily tasks"), WHY_DAILY_HELP),
    "cs.environmental_accessibility_adaptations": (
        N_("Changes to make your home safer"),
        WHY_DAILY_HELP,
    ),
    "cs.medically_tailored_meals": (
        N_("Healthy meals for your health needs"),
        N_("Our records show a health problem that the right food can help."),
    ),
    "cs.sobering_center": (
        N_("A safe place to sober up"),
        N_("Our records show an emergency room visit linked to alcohol or drugs."),
    ),
    "cs.asthma_remediation": (
        N_("Changes at home to help with asthma"),
        N_("Our records show asthma that is hard to control."),
    ),
    "cs.transitional_rent": (N_("Help paying rent for a while"), WHY_HOUSING),
}
OTHER = (N_("Other help from your health plan"), WHY_ANY)


def program_words(program_id: str) -> tuple[str, str]:
    """The English (source) name and why-sentence of a program, for translation on the page."""
    return PROGRAMS.get(program_id, OTHER)
