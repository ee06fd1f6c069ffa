"""Applying a provider's RTF on the plan side, through the ops state rules, audited.

The file speaks for the provider whose NPI it carries, about members that provider is assigned.
Each row may move the enrollment forward (assigned -> outreach -> enrolled -> discontinued, as
ops/enrollments/state.py allows), set the acuity of an enrolled member, update care-plan dates,
close the referral loop (ops ReferralService), and record a changed address or phone. A row the
state rules refuse is a row problem, and one problem rejects the whole file.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from calaim.exchange.filespecs.apply_rtf_steps import (
    apply_care_plan,
    apply_contacts,
    apply_loop_closure,
    apply_status,
    status_only,
)
from calaim.exchange.filespecs.ingest_context import (
    IngestContext,
    Row,
    check_period,
    check_plan,
    members_by_cin,
)
from calaim.exchange.filespecs.lookups import organizations_by_npi
from calaim.exchange.filespecs.status_batch import StatusBatch
from calaim.ops.access.scopes import enrollment_visible
from calaim.ops.errors import OpsError
from calaim.ops.models import Enrollment, Member, Organization, OrganizationKind


def latest_enrollments(
    context: IngestContext, member_ids: list[uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], Enrollment]:
    """The latest visible enrollment of each member with each provider."""
    latest: dict[tuple[uuid.UUID, uuid.UUID], Enrollment] = {}
    for start in range(0, len(member_ids), 2000):
        # Members are already loaded (members_by_cin): no join to load them again.
        query = (
            select(Enrollment)
            .options(lazyload(Enrollment.member))
            .where(
                enrollment_visible(context.actor),
                Enrollment.member_id.in_(member_ids[start : start + 2000]),
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
    members = members_by_cin(
        context.session, context.actor, (str(r["member_cin"]) for _, r in rows)
    )
    providers = organizations_by_npi(context.session)
    enrollments = latest_enrollments(context, sorted({m.id for m in members.values()}))
    context.status_batch = batch = StatusBatch(context.session, context.actor)
    batch.person_ids = {member.id: member.person_id for member in members.values()}
    try:
        _apply_rows(context, rows, members, providers, enrollments)
        if not context.problems:
            batch.write()
    finally:
        batch.discard()


def _apply_rows(
    context: IngestContext,
    rows: list[tuple[int, Row]],
    members: dict[str, Member],
    providers: dict[str, Organization],
    enrollments: dict[tuple[uuid.UUID, uuid.UUID], Enrollment],
) -> None:
    for number, row in rows:
        member = members.get(str(row["member_cin"]))
        provider = providers.get(str(row["provider_npi"]))
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
        enrollment = enrollments.get((member.id, provider.id))
        if enrollment is None:
            context.problem(
                number,
                "member_cin",
                row["member_cin"],
                f"the member was never assigned to {provider.name}",
                "send rows only for members the plan assigned to you",
            )
            continue
        _apply_row(context, number, row, enrollment)


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
            field = getattr(error, "field", None)
            column = field if field in context.layout.column_ids else column_id
            context.problem(
                number,
                column,
                row.get(column),
                str(error),
                "correct the row, or the record, and send the file again",
            )
            return
