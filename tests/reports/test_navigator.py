"""The member view of the coverage navigator: eligibility with reasons, whom to refer to."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from calaim.ops.errors import NotFound
from calaim.ops.models import AuditEvent, Organization, OrganizationKind, ProviderProfile, Role
from calaim.ops.policy import shipped_policy
from calaim.reports.navigator import coverage, member_coverage
from ops.factories import organization, user

from .world import AS_OF, actor, determination, episode, member, provider

POLICY = shipped_policy()
K = OrganizationKind
RC = "cs.recuperative_care"


def lacare(session: Session) -> Organization:
    """The L.A. Care plan organization (the sample configuration's plan code)."""
    found = session.scalars(select(Organization).where(Organization.plan_code == "LACARE")).first()
    return found or organization(session, K.PLAN, "LACARE")


def test_eligibility_reasons_and_providers_with_room(session: Session) -> None:
    owner = lacare(session)
    who = member(session, owner)
    determination(session, who, RC, offered=True)
    determination(session, who, "cs.respite", eligible=False, status="not_eligible")
    room = provider(session, K.CS_PROVIDER, [RC], ["LACARE"], capacity=2)
    full = provider(session, K.CS_PROVIDER, [RC], ["LACARE"], capacity=1)
    episode(session, member(session, owner), RC, full, started=dt.date(2025, 9, 1))
    provider(session, K.CS_PROVIDER, [RC], ["HEALTHNET"], capacity=9)  # not contracted
    coordinator = user(session, owner, Role.PLAN_CARE_COORDINATION)
    view = member_coverage(session, coordinator, POLICY, who.id, as_of=AS_OF, today=AS_OF)
    by_program = {e.program_id: e for e in view.eligibility}
    assert by_program[RC].referable
    assert "Meets the statewide criteria" in by_program[RC].reason
    assert any("discharge" in c for c in by_program[RC].plan_criteria)
    assert not by_program["cs.respite"].referable
    assert "Does not meet" in by_program["cs.respite"].reason
    assert [o.organization_id for o in view.refer_to] == [room.id]
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_user_id == coordinator.id)
    ).all()
    assert set(actions) == {"determination.read", "report.member_coverage"}


def test_providers_serving_the_members_group_are_listed_first(session: Session) -> None:
    # The member is 55 on the day: a provider whose profile says it serves adults comes before
    # one that serves only children and youth (both still listed; names break no tie here).
    owner = lacare(session)
    who = member(session, owner)
    determination(session, who, RC, offered=True)
    youth = provider(session, K.CS_PROVIDER, [RC], ["LACARE"], capacity=4)
    adults = provider(session, K.CS_PROVIDER, [RC], ["LACARE"], capacity=4)
    youth.name, adults.name = "A youth respite", "Z adult respite"
    for org, groups in ((youth, ["children_youth"]), (adults, ["adults"])):
        profile = session.get(ProviderProfile, org.id)
        assert profile is not None
        profile.populations_served = groups
    session.flush()
    coordinator = user(session, owner, Role.PLAN_CARE_COORDINATION)
    view = member_coverage(session, coordinator, POLICY, who.id, as_of=AS_OF, today=AS_OF)
    listed = [o.organization_id for o in view.refer_to]
    assert listed.index(adults.id) < listed.index(youth.id)


def test_part2_rows_stay_hidden_from_a_provider_without_consent(session: Session) -> None:
    owner = lacare(session)
    who = member(session, owner)
    determination(session, who, "ecm.smh_sud")
    determination(session, who, RC, offered=True)
    cs = provider(session, K.CS_PROVIDER, [RC], ["LACARE"], capacity=5)
    episode(session, who, RC, cs, started=dt.date(2025, 9, 1))
    staff = user(session, cs, Role.CS_PROVIDER_STAFF)
    view = member_coverage(session, staff, POLICY, who.id, as_of=AS_OF, today=AS_OF)
    assert "ecm.smh_sud" not in {e.program_id for e in view.eligibility}
    assert RC in {e.program_id for e in view.eligibility}


@pytest.mark.parametrize(
    ("kind", "role"), [(K.STATE, Role.STATE_ANALYST), (K.PLAN, Role.PLAN_ADMIN)]
)
def test_others_cannot_see_the_member(session: Session, kind: K, role: Role) -> None:
    who = member(session, lacare(session))
    outsider = actor(session, kind, role)
    with pytest.raises(NotFound):
        member_coverage(session, outsider, POLICY, who.id, as_of=AS_OF, today=AS_OF)
    with pytest.raises(NotFound):
        member_coverage(session, outsider, POLICY, uuid.uuid4(), as_of=AS_OF, today=AS_OF)


def test_any_signed_in_user_reads_the_grid_and_it_is_audited(session: Session) -> None:
    referrer = actor(session, K.REFERRER, Role.REFERRER)
    report = coverage(session, referrer, POLICY, "Sacramento", AS_OF)
    assert [g.county for g in report.grids] == ["Sacramento"]
    assert [p.code for p in report.grids[0].plans] == ["ANTHEM", "HEALTHNET", "KAISER", "MOLINA"]
    every = coverage(session, referrer, POLICY, None, AS_OF)
    assert len(every.grids) >= 5
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_user_id == referrer.id)
    ).all()
    assert actions == ["report.coverage", "report.coverage"]
