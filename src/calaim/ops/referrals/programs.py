"""Which programs a referral may name: `ecm`, each Community Support, and the county
behavioral health services (specialty mental health, Drug Medi-Cal), which go to counties."""

from __future__ import annotations

from functools import cache

from calaim.engine.loading.policy import default_policy_dir
from calaim.engine.loading.rules import load_programs
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import OrganizationKind

# County behavioral health services a plan (or anyone) refers to, and who receives them.
COUNTY_PROGRAMS: dict[str, OrganizationKind] = {
    "county.specialty_mental_health": OrganizationKind.COUNTY_MHP,
    "county.drug_medi_cal": OrganizationKind.COUNTY_DMC,
}


class UnknownProgram(InvalidRequest):
    """The referral names no ECM or Community Support in the program registry."""


@cache
def referable_programs() -> frozenset[str]:
    """Registry ids a referral may name: `ecm` and each Community Support."""
    # Populations of focus (`ecm.*`) are determined by the engine; a referral is to ECM itself.
    programs = load_programs(default_policy_dir() / "programs.yaml")
    ours = {pid for pid, program in programs.items() if program.kind in {"ecm", "cs"}}
    return frozenset(ours | set(COUNTY_PROGRAMS))


def check_program(program_id: str) -> None:
    """Raise `UnknownProgram` unless a referral may name `program_id`."""
    if program_id not in referable_programs():
        raise UnknownProgram(
            f"program_id {program_id!r} is not a referable program; "
            "use 'ecm', a Community Support id such as 'cs.recuperative_care', or a county "
            f"service ({', '.join(COUNTY_PROGRAMS)})",
            field="program_id",
        )
