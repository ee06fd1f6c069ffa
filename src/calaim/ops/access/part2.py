"""42 CFR Part 2: substance-use information is shown only with the member's recorded consent.

Who may see it: the member's plan (the payer of the care) always; any other organization only
while a consent naming that organization is active on the day asked about (`may_see_part2`).

What a viewer without that right is shown: `mask` is the one rule every surface applies
(API, web, MIF, FHIR, explain). It withholds the Part 2 programs themselves, and it withholds
any aggregate whose value they could be the reason for: the ECM determination is "any
Population of Focus", so a viewer who sees ECM `eligible` next to every visible Population of
Focus `not_eligible` would learn the hidden one by elimination. When no visible Population of
Focus explains the aggregate, its status is `details_restricted`, whatever the hidden row says
(eligible or not, present or not), so the mask itself reveals nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.access.scopes import is_member, is_plan, owns_member
from calaim.ops.errors import Forbidden
from calaim.ops.models import Member, OrganizationKind, Part2Consent, User

if TYPE_CHECKING:
    from calaim.engine.explain import Explanation, NodeResult, ProgramResult

# Determinations whose mere presence reveals a substance-use disorder or its treatment.
PART2_PROGRAMS = frozenset({"ecm.smh_sud"})
# Organizations whose referrals are Part 2 records: a county drug program (Drug Medi-Cal /
# DMC-ODS) is a Part 2 program, so a referral it sends reveals substance-use treatment.
PART2_REFERRER_KINDS = frozenset({OrganizationKind.COUNTY_DMC})
# Referral programs that are themselves substance-use treatment (a referral to one says so).
PART2_REFERRAL_PROGRAMS = frozenset({"county.drug_medi_cal"})
# Aggregates and the prefix of the programs they combine: ECM is met by any Population of
# Focus (policy/rules/ecm/ecm.yaml), so its value can stand for a withheld one.
AGGREGATES = {"ecm": "ecm."}
# The status shown for an aggregate a hidden program could explain.
RESTRICTED = "details_restricted"


def is_part2_program(program_id: str) -> bool:
    """Whether a program's determination counts as Part 2 information."""
    return program_id in PART2_PROGRAMS


def visible_programs(programs: Iterable[str]) -> set[str]:
    """`programs` without the Part 2 ones (for a viewer who may not see them)."""
    return {program for program in programs if not is_part2_program(program)}


def may_see_part2(session: Session, actor: User, member: Member, on: dt.date | None) -> bool:
    """Whether the actor may see the member's Part 2 information on `on`.

    Without a day no consent can be checked: only the member's plan sees it (fail closed).
    The member (or their representative) always sees their own, and no one else's.
    """
    if is_member(actor):
        return owns_member(session, actor, member.id)
    if is_plan(actor) and member.plan_organization_id == actor.organization_id:
        return True
    if on is None:
        return False
    return _has_consent(session, member.id, actor.organization_id, on)


class Part2ConsentMissing(Forbidden):
    """A Part 2 record would reach an organization the member has not consented to."""


def require_disclosure_consent(
    session: Session, source_kind: str, member: Member, recipient_id: uuid.UUID, on: dt.date
) -> None:
    """A referral from a Part 2 program reaches a receiver other than the member's plan only
    while the member's consent naming that receiver is active on `on`."""
    if source_kind not in PART2_REFERRER_KINDS or recipient_id == member.plan_organization_id:
        return
    if not _has_consent(session, member.id, recipient_id, on):
        raise Part2ConsentMissing(
            "this referral comes from a substance use program (42 CFR Part 2): it can go to "
            "that organization only with the member's written consent naming it; ask the "
            "member's plan to record the consent first"
        )


class Determination(Protocol):
    """What masking reads of a determination (a stored row, or an explained program)."""

    @property
    def program_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def eligible(self) -> bool | None: ...


@dataclass(frozen=True)
class Shown:
    """A determination as one viewer is shown it (`restricted`: its value is withheld)."""

    program_id: str
    as_of: dt.date
    status: str
    eligible: bool | None
    offered: bool | None
    rule_version: str
    restricted: bool = False


class StoredRow(Determination, Protocol):
    """A stored determination row (`MemberDetermination`)."""

    @property
    def as_of(self) -> dt.date: ...
    @property
    def offered(self) -> bool | None: ...
    @property
    def rule_version(self) -> str: ...
    @property
    def part2(self) -> bool: ...


def is_hidden(row: Determination) -> bool:
    """Whether the row itself is Part 2 information."""
    return bool(getattr(row, "part2", False)) or is_part2_program(row.program_id)


def restricted_aggregates(rows: Sequence[Determination]) -> set[str]:
    """Aggregates among `rows` that no visible program explains (a viewer without Part 2)."""
    shown = [row for row in rows if not is_hidden(row)]
    restricted = set()
    for row in shown:
        prefix = AGGREGATES.get(row.program_id)
        if prefix is None:
            continue
        explained = any(
            other.program_id.startswith(prefix) and other.eligible and other.status == "eligible"
            for other in shown
            if _same_day(other, row)
        )
        if not explained:
            restricted.add(row.program_id)
    return restricted


def mask(rows: Sequence[StoredRow], *, sees_part2: bool) -> list[Shown]:
    """The rows as shown to a viewer: all of them with Part 2 access; otherwise without the
    Part 2 rows, and with aggregates they could explain marked restricted."""
    if sees_part2:
        return [_shown(row) for row in rows]
    restricted = restricted_aggregates(rows)
    return [
        _withheld(row) if row.program_id in restricted else _shown(row)
        for row in rows
        if not is_hidden(row)
    ]


def mask_explanation(result: Explanation) -> Explanation:
    """An explanation as a viewer without Part 2 access may see it (`calaim explain
    --withhold-part2`): the same rule as `mask`, applied to explained programs."""
    kept = [p for p in result.programs if not is_hidden(p)]
    restricted = restricted_aggregates(kept)
    programs = [_withheld_program(p) if p.program_id in restricted else _pruned(p) for p in kept]
    return replace(result, programs=programs)


def _withheld_program(program: ProgramResult) -> ProgramResult:
    reason = (
        "The result may rest on information protected by 42 CFR Part 2; it is withheld "
        "without the member's written consent."
    )
    return replace(
        program,
        status=RESTRICTED,
        eligible=None,
        offered=None,
        rule_version=None,
        reason=reason,
        criteria=None,
        exclusions=[],
        overlays=[],
    )


def _pruned(program: ProgramResult) -> ProgramResult:
    if program.criteria is None:
        return program
    return replace(program, criteria=_without_part2_nodes(program.criteria))


def _without_part2_nodes(node: NodeResult) -> NodeResult:
    children = [
        _without_part2_nodes(child)
        for child in node.children
        if not (child.id and is_part2_program(child.id))
    ]
    return replace(node, children=children)


def _same_day(a: Determination, b: Determination) -> bool:
    return getattr(a, "as_of", None) == getattr(b, "as_of", None)


def _shown(row: StoredRow) -> Shown:
    return Shown(row.program_id, row.as_of, row.status, row.eligible, row.offered, row.rule_version)


def _withheld(row: StoredRow) -> Shown:
    return Shown(row.program_id, row.as_of, RESTRICTED, None, None, row.rule_version, True)


def organization_has_part2_consent(
    session: Session, member_id: uuid.UUID, organization_id: uuid.UUID, on: dt.date
) -> bool:
    """Whether the member's Part 2 consent naming the organization is active on `on`."""
    return _has_consent(session, member_id, organization_id, on)


def _has_consent(
    session: Session, member_id: uuid.UUID, organization_id: uuid.UUID, on: dt.date
) -> bool:
    consents = session.scalars(
        select(Part2Consent).where(
            Part2Consent.member_id == member_id,
            Part2Consent.organization_id == organization_id,
        )
    )
    return any(consent.active_on(on) for consent in consents)
