"""MIF Part 2 rule with consents read in one query: the SUD PoF only under an active consent."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy.orm import Session

from calaim.exchange.filespecs.adapters import get_variant
from calaim.exchange.filespecs.layout import get_layout
from calaim.exchange.filespecs.reader import parse_file
from calaim.exchange.filespecs.service import ExportRequest, export_file
from calaim.exchange.filespecs.values import Value
from calaim.ops.models import MemberDetermination, Part2Consent

from .world import PERIOD, World, build


def _pofs(session: Session, world: World) -> dict[Value, Value]:
    stream = io.BytesIO()
    export_file(session, world.plan_user, ExportRequest("mif", PERIOD), stream)
    parsed = parse_file(get_layout("mif"), get_variant(None), "mif.csv", stream.getvalue())
    return {row["member_cin"]: row["pof"] for _, row in parsed.rows}


def _consent(world: World, revoked_on: dt.date | None = None) -> Part2Consent:
    return Part2Consent(
        member_id=world.members[1].id,
        organization_id=world.ecm.id,
        granted_on=dt.date(2025, 9, 1),
        revoked_on=revoked_on,
        recorded_by_user_id=world.plan_user.id,
    )


def test_the_sud_pof_goes_to_the_provider_only_under_an_active_consent(session: Session) -> None:
    world = build(session)
    session.add(
        MemberDetermination(
            member_id=world.members[1].id,
            program_id="ecm.smh_sud",
            as_of=dt.date(2025, 9, 1),
            eligible=True,
            status="eligible",
            rule_version="1",
            policy_hash="x",
        )
    )
    revoked = _consent(world, revoked_on=dt.date(2025, 9, 20))
    session.add(revoked)
    session.flush()
    cin, other = world.members[1].cin, world.members[0].cin
    assert _pofs(session, world)[cin] is None, "a consent revoked before period end hides it"
    session.add(_consent(world))
    session.flush()
    pofs = _pofs(session, world)
    assert pofs[cin] == "3"
    assert pofs[other] == "1a"


def _rtf_pofs(session: Session, world: World) -> dict[Value, Value]:
    stream = io.BytesIO()
    export_file(session, world.ecm_user, ExportRequest("rtf", PERIOD, partner="LACARE"), stream)
    parsed = parse_file(get_layout("rtf"), get_variant(None), "rtf.csv", stream.getvalue())
    return {row["member_cin"]: row["pof"] for _, row in parsed.rows}


def test_the_providers_own_rtf_carries_the_sud_pof_only_under_its_consent(
    session: Session,
) -> None:
    world = build(session)
    member = world.members[1]
    # Only the hidden PoF is eligible (the world's homeless one is made not eligible), so a
    # provider without consent must get what a member with no PoF gets: none.
    for row in session.query(MemberDetermination).filter_by(member_id=member.id):
        row.eligible, row.status = False, "not_eligible"
    session.add(
        MemberDetermination(
            member_id=member.id,
            program_id="ecm.smh_sud",
            as_of=dt.date(2025, 9, 1),
            eligible=True,
            status="eligible",
            rule_version="1",
            policy_hash="x",
        )
    )
    session.flush()
    assert _rtf_pofs(session, world)[member.cin] is None
    session.add(_consent(world))
    session.flush()
    assert _rtf_pofs(session, world)[member.cin] == "3"
