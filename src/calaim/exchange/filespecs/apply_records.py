"""Files that are checked and recorded but change no workflow record.

- MIF (ECM provider side): the plan's record is authoritative and already shared in calaim;
  each row must name the provider's own NPI and a plan; rows are matched to the provider's
  assignments and the summary counts matches and members calaim does not show the provider.
- CS authorization status (CS provider side): each row must be an authorization naming the
  provider; statuses that differ from calaim's are counted (calaim's record wins).
- CS invoice (plan side): each line must be the plan's member, under an authorization of the
  plan for that member and Community Support, by the provider the authorization names, with
  service dates in order and billed amount = units x unit rate. Billing converts them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import select

from calaim.exchange.filespecs.ingest_context import (
    IngestContext,
    Row,
    check_period,
    members_by_cin,
)
from calaim.exchange.filespecs.lookups import organizations_by_npi, plans_by_code, profiles
from calaim.ops.access.scopes import authorization_visible
from calaim.ops.models import Authorization, Member, Organization


def _own_npi(context: IngestContext) -> str | None:
    profile = profiles(context.session, [context.actor.organization_id]).get(
        context.actor.organization_id
    )
    return profile.npi if profile else None


def _check_npi(context: IngestContext, rows: list[tuple[int, Row]]) -> None:
    npi = _own_npi(context)
    for number, row in rows:
        if row.get("provider_npi") is not None and row.get("provider_npi") != npi:
            context.problem(
                number,
                "provider_npi",
                row.get("provider_npi"),
                f"not your NPI ({npi})",
                "ask the plan for the file meant for you",
            )


def apply_mif(context: IngestContext, rows: list[tuple[int, Row]]) -> None:
    """Check a MIF received by an ECM provider and count its matches."""
    check_period(context, rows)
    _check_npi(context, rows)
    plans = plans_by_code(context.session)
    for number, row in rows:
        if str(row["mcp_id"]) not in plans:
            context.problem(
                number, "mcp_id", row["mcp_id"], "no plan has this code", "check the plan code"
            )
    members = members_by_cin(
        context.session, context.actor, (str(r["member_cin"]) for _, r in rows)
    )
    found = sum(1 for _, row in rows if str(row["member_cin"]) in members)
    context.count("members_matched", found)
    context.count("members_not_shown_to_you", len(rows) - found)


def _authorizations(context: IngestContext, numbers: list[str]) -> dict[str, Authorization]:
    wanted = []
    for text in set(numbers):
        try:
            wanted.append(uuid.UUID(text))
        except ValueError:
            continue
    found: dict[str, Authorization] = {}
    for start in range(0, len(wanted), 2000):
        query = select(Authorization).where(
            authorization_visible(context.actor), Authorization.id.in_(wanted[start : start + 2000])
        )
        found.update({str(a.id): a for a in context.session.scalars(query)})
    return found


def apply_cs_authorization_status(context: IngestContext, rows: list[tuple[int, Row]]) -> None:
    """Check a CS authorization status file received by a CS provider."""
    check_period(context, rows)
    _check_npi(context, rows)
    known = _authorizations(context, [str(r["authorization_number"]) for _, r in rows])
    for number, row in rows:
        authorization = known.get(str(row["authorization_number"]))
        if authorization is None:
            context.problem(
                number,
                "authorization_number",
                row["authorization_number"],
                "no authorization naming you has this number",
                "ask the plan to check it",
            )
        elif authorization.status != row["status"]:
            context.count("status_differs_from_calaim")
        else:
            context.count("status_matches")


def apply_cs_invoice(context: IngestContext, rows: list[tuple[int, Row]]) -> None:
    """Check a CS invoice received by a plan, line by line."""
    members = members_by_cin(
        context.session, context.actor, (str(r["member_cin"]) for _, r in rows)
    )
    known = _authorizations(context, [str(r["authorization_number"]) for _, r in rows])
    providers = organizations_by_npi(context.session)
    total = Decimal(0)
    for number, row in rows:
        _check_line(context, number, row, members, known, providers)
        total += Decimal(str(row["billed_amount"]))
    context.count("invoice_lines", len(rows))
    context.summary["billed_cents"] = int(total * 100)


def _check_line(
    context: IngestContext,
    number: int,
    row: Row,
    members: dict[str, Member],
    known: dict[str, Authorization],
    providers: dict[str, Organization],
) -> None:
    member = members.get(str(row["member_cin"]))
    authorization = known.get(str(row["authorization_number"]))
    provider = providers.get(str(row["provider_npi"]))
    if member is None:
        context.problem(
            number,
            "member_cin",
            row["member_cin"],
            "no member of your plan has this CIN",
            "check the CIN",
        )
    elif authorization is None or authorization.member_id != member.id:
        context.problem(
            number,
            "authorization_number",
            row["authorization_number"],
            "no authorization of yours for this member has this number",
            "check the authorization number",
        )
    elif authorization.program_id != row["cs_type"]:
        context.problem(
            number,
            "cs_type",
            row["cs_type"],
            f"the authorization is for {authorization.program_id}",
            "bill the authorized Community Support",
        )
    elif provider is None or authorization.provider_organization_id != getattr(
        provider, "id", None
    ):
        context.problem(
            number,
            "provider_npi",
            row["provider_npi"],
            "not the provider the authorization names",
            "check the NPI",
        )
    _check_amounts(context, number, row)


def _check_amounts(context: IngestContext, number: int, row: Row) -> None:
    start, end = row["service_from"], row["service_to"]
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        context.problem(
            number, "service_to", end, "before the first date of service", "correct the dates"
        )
    units, rate, billed = (Decimal(str(row[c])) for c in ("units", "unit_rate", "billed_amount"))
    if units * rate != billed:
        context.problem(
            number,
            "billed_amount",
            billed,
            f"is not units x unit rate ({units * rate})",
            "correct the amount",
        )
