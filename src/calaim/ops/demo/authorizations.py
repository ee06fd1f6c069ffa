"""The plan's authorization work: pending (one overdue), denied with a notice, withdrawn."""

from __future__ import annotations

from sqlalchemy.orm import Session

from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.demo.actions import request
from calaim.ops.demo.world import CC, UM, DemoWorld, at, days_before, pick


def authorization_queue(session: Session, world: DemoWorld) -> None:
    """Requests waiting for the reviewer (one past its due date), a denial and a withdrawal."""
    # Requested three weeks ago, before the engine's run, with no provider named: still pending,
    # and its decision was due long ago, so it heads the plan's overdue queue.
    request(session, world, CC, pick(session, world, "ecm"), "ecm", at(days_before(21)))
    # Requested yesterday: pending, not yet due.
    program = "cs.housing_transition_navigation"
    request(session, world, CC, pick(session, world, program), program, at(days_before(1), 14))
    denied(session, world)
    withdrawn(session, world)


def denied(session: Session, world: DemoWorld) -> None:
    """The reviewer denies respite with a reason code; the member and requester are told."""
    program = "cs.respite"
    # The denial says not eligible: a member the engine did not find eligible either.
    member = pick(session, world, program, eligible=False)
    authorization = request(session, world, CC, member, program, at(days_before(29)))
    AuthorizationService(session, world.users[UM]).deny(
        authorization.id,
        expected_version=authorization.version,
        now=at(days_before(26), 15),
        reason_code="not_eligible",
        reason="Respite relieves a caregiver; the member lives alone with no caregiver at home.",
    )


def withdrawn(session: Session, world: DemoWorld) -> None:
    """The coordinator withdraws a request made in error."""
    program = "cs.housing_tenancy_sustaining"
    authorization = request(
        session, world, CC, pick(session, world, program), program, at(days_before(23))
    )
    AuthorizationService(session, world.users[CC]).withdraw(
        authorization.id,
        expected_version=authorization.version,
        now=at(days_before(22)),
        reason="the member already receives tenancy support from the county",
    )
