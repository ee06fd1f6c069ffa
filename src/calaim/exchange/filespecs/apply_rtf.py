"""Applying a provider's RTF on the plan side, through the ops state rules, audited.

The file speaks for the provider whose NPI it carries, about members that provider is assigned.
Each row may move the enrollment forward (assigned -> outreach -> enrolled -> discontinued, as
ops/enrollments/state.py allows), set the acuity of an enrolled member, update care-plan dates,
close the referral loop (ops ReferralService), and record a changed address or phone. A row the
state rules refuse is a row problem, and one problem rejects the whole file.

Members and enrollments are read as plain values (rtf_plain.py). An enrollment whose rows only
move its status is checked on those values and written in a batch (status_batch.py); an
enrollment with any other kind of row in the file is loaded as an ORM object up front and all
its rows go through the ops services (apply_rtf_steps.py), as before.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from calaim.exchange.filespecs.apply_rtf_steps import (
    apply_care_plan,
    apply_contacts,
    apply_loop_closure,
    apply_status,
    forward_move,
    status_only,
)
from calaim.exchange.filespecs.ingest_context import IngestContext, Row, check_period, check_plan
from calaim.exchange.filespecs.lookups import organizations_by_npi
from calaim.exchange.filespecs.rtf_plain import (
    CHUNK,
    PlainEnrollment,
    PlainMember,
    plain_enrollments,
    plain_members,
)
from calaim.exchange.filespecs.status_batch import StatusBatch
from calaim.ops.access.scopes import enrollment_visible
from calaim.ops.enrollments.service import authorization_covering
from calaim.ops.errors import OpsError
from calaim.ops.models import Enrollment, Organization, OrganizationKind
from calaim.ops.models import EnrollmentStatus as S


@dataclass
class _Lookups:
    members: dict[str, PlainMember]
    providers: dict[str, Organization]
    enrollments: dict[tuple[uuid.UUID, uuid.UUID], PlainEnrollment]
    # Enrollments with a row doing more than a status move: ORM objects, by id.
    loaded: dict[uuid.UUID, Enrollment]

    def enrollment(self, row: Row) -> PlainEnrollment | None:
        """The row's enrollment, None when its member, provider or assignment is unknown."""
        member = self.members.get(str(row["member_cin"]))
        provider = self.providers.get(str(row["provider_npi"]))
        if member is None or provider is None or provider.kind != OrganizationKind.ECM_PROVIDER:
            return None
        return self.enrollments.get((member.id, provider.id))


def latest_enrollments(
    context: IngestContext, member_ids: list[uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], Enrollment]:
    """The latest visible enrollment of each member with each provider, as ORM objects (OTF)."""
    latest: dict[tuple[uuid.UUID, uuid.UUID], Enrollment] = {}
    for start in range(0, len(member_ids), CHUNK):
        # Members are already loaded (members_by_cin): no join to load them again.
        query = (
            select(Enrollment)
            .options(lazyload(Enrollment.member))
            .where(
                enrollment_visible(context.actor),
                Enrollment.member_id.in_(member_ids[start : start + CHUNK]),
            )
        )
        for enrollment in context.session.scalars(query):
            key = (enrollment.member_id, enrollment.provider_organization_id)
            if key not in latest or enrollment.assigned_on > latest[key].assigned_on:
                latest[key] = enrollment
    return latest


def apply_rtf(context: IngestContext, rows: list[tuple[int, Row]]) -> None:
    """Apply every row of a plan's incoming RTF (rows already parsed and type-checked)."""
    check_plan(context, rows, str(context.actor.organization.plan_code))
    check_period(context, rows)
    if context.problems:
        return
    members = plain_members(context.session, context.actor, (str(r["member_cin"]) for _, r in rows))
    # In file order (no sort: UUID comparisons are slow in Python).
    member_ids = list(dict.fromkeys(member.id for member in members.values()))
    lookups = _Lookups(
        members,
        organizations_by_npi(context.session),
        plain_enrollments(context.session, context.actor, member_ids),
        {},
    )
    lookups.loaded = _load_orm(context, lookups, rows)
    context.status_batch = batch = StatusBatch(context.session, context.actor, context.received_at)
    batch.person_ids = {member.id: member.person_id for member in members.values()}
    batch.hold()
    try:
        _apply_rows(context, rows, lookups)
        if not context.problems:
            batch.write()
    finally:
        batch.finish()


def _load_orm(
    context: IngestContext, lookups: _Lookups, rows: list[tuple[int, Row]]
) -> dict[uuid.UUID, Enrollment]:
    # Before anything is written, so these objects hold what the database holds.
    wanted: set[uuid.UUID] = set()
    for _, row in rows:
        if not status_only(row) and (enrollment := lookups.enrollment(row)) is not None:
            wanted.add(enrollment.id)
    ordered, loaded = list(wanted), dict[uuid.UUID, Enrollment]()
    for start in range(0, len(ordered), CHUNK):
        query = select(Enrollment).where(
            enrollment_visible(context.actor), Enrollment.id.in_(ordered[start : start + CHUNK])
        )
        loaded.update((enrollment.id, enrollment) for enrollment in context.session.scalars(query))
    return loaded


def _apply_rows(context: IngestContext, rows: list[tuple[int, Row]], lookups: _Lookups) -> None:
    for number, row in rows:
        member = lookups.members.get(str(row["member_cin"]))
        provider = lookups.providers.get(str(row["provider_npi"]))
        if member is None:
            context.problem(
                number,
                "member_cin",
                row["member_cin"],
                "no member of your plan has this CIN",
                "check the CIN against the MIF",
            )
            continue
        if provider is None or provider.kind != OrganizationKind.ECM_PROVIDER:
            context.problem(
                number,
                "provider_npi",
                row["provider_npi"],
                "no ECM provider has this NPI",
                "check the NPI, or add the provider's profile",
            )
            continue
        enrollment = lookups.enrollments.get((member.id, provider.id))
        if enrollment is None:
            context.problem(
                number,
                "member_cin",
                row["member_cin"],
                f"the member was never assigned to {provider.name}",
                "send rows only for members the plan assigned to you",
            )
            continue
        loaded = lookups.loaded.get(enrollment.id)
        if loaded is None:
            _apply_plain_row(context, number, row, enrollment)
        else:
            _apply_row(context, number, row, loaded)


def _apply_plain_row(
    context: IngestContext, number: int, row: Row, enrollment: PlainEnrollment
) -> None:
    # A row that only moves the status (status_only): the state rules on plain values.
    target, current = S(str(row["ecm_status"])), S(enrollment.status)
    if target == current:
        return
    authorization_id = None
    try:
        enrolled_on = forward_move(row, current, target, enrollment, context.as_of)
        if enrolled_on is not None:
            # ECM needs an authorization (or the plan's override) on the enrolled day; the one
            # found is linked to the enrollment, as on the ORM path.
            authorization_id = authorization_covering(
                context.session,
                enrollment.member_id,
                enrolled_on,
                linked=enrollment.authorization_id,
                override_reason=enrollment.authorization_override_reason,
            )
    except OpsError as error:
        _row_problem(context, number, row, "ecm_status", error)
        return
    assert context.status_batch is not None
    context.status_batch.move_plain(
        enrollment, current, target, f"rtf:{context.file_name}", enrolled_on, authorization_id
    )
    context.count(f"to_{target.value}")


def _apply_row(context: IngestContext, number: int, row: Row, enrollment: Enrollment) -> None:
    if context.status_batch is not None and not status_only(row):
        context.status_batch.write()  # queued moves reach the database before any ORM write
    steps = (
        ("ecm_status", apply_status),
        ("care_plan_revised", apply_care_plan),
        ("loop_closure_reason", apply_loop_closure),
        ("new_address", apply_contacts),
    )
    for column_id, step in steps:
        try:
            step(context, row, enrollment)
        except OpsError as error:
            _row_problem(context, number, row, column_id, error)
            return


def _row_problem(
    context: IngestContext, number: int, row: Row, column_id: str, error: OpsError
) -> None:
    field = getattr(error, "field", None)
    column = field if field in context.layout.column_ids else column_id
    context.problem(
        number,
        column,
        row.get(column),
        str(error),
        "correct the row, or the record, and send the file again",
    )
