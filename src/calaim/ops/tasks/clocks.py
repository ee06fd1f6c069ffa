"""The DHCS clocks as tasks: which tasks should be open now, for whom, due when.

- authorization decision: every undecided request, for the plan's utilization management,
  due when the decision is (`decision_due_at`, business-day aware; a pend moves it);
- outreach: every member assigned to an ECM provider and not yet enrolled, for the lead care
  manager (or the provider's lead care managers), due when the unable-to-reach window ends;
- care plan revision: every enrolled member whose care plan is missing or due for revision
  within the horizon (`ops/care_plans/revision.py`, the workspace's rule too), for the lead
  care manager;
- credential expiry: every provider license, insurance policy or staff credential expiring
  within `EXPIRY_NOTICE`, for the provider's supervisors (or CS staff), due on the expiry day;
- loop closure: every open referral waiting on a step with a closed-loop window, for the
  party that must act (the plan routes; the receiving provider accepts, starts and closes).

`wanted()` is pure over the rows it is given; `calaim.ops.tasks.sweep` reads the rows and makes
the tasks table match (creating what is missing, closing what the workflow finished).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from calaim.ops.calendar.business_days import CLOSE_OF_BUSINESS, local_zone
from calaim.ops.care_plans.revision import revision_due_on, revision_due_soon
from calaim.ops.enrollments.terms import unable_to_reach_days
from calaim.ops.models import Authorization, CarePlan, Enrollment, Referral, Role
from calaim.ops.models.provider_credential import ProviderCredential
from calaim.ops.models.task import TaskKind
from calaim.ops.referrals.overdue import step_of
from calaim.ops.referrals.policy import LoopStep, window


@dataclass(frozen=True)
class WantedTask:
    """A task one clock says should be open."""

    organization_id: uuid.UUID
    kind: TaskKind
    subject_type: str
    subject_id: uuid.UUID
    member_id: uuid.UUID | None
    due_at: dt.datetime
    team_role: Role | None
    assignee_user_id: uuid.UUID | None = None

    @property
    def clock_key(self) -> str:
        """One task per clock, subject and due date (a moved deadline is a new task)."""
        return f"{self.kind.value}:{self.subject_id}:{self.due_at.astimezone(dt.UTC):%Y%m%dT%H%M}"


def end_of_local_day(day: dt.date) -> dt.datetime:
    """Close of business on `day`, California time, in UTC."""
    return dt.datetime.combine(day, CLOSE_OF_BUSINESS, tzinfo=local_zone()).astimezone(dt.UTC)


def authorization_decision(authorization: Authorization) -> WantedTask:
    """The plan decides an undecided request by its decision due time."""
    return WantedTask(
        authorization.plan_organization_id,
        TaskKind.AUTHORIZATION_DECISION,
        "authorization",
        authorization.id,
        authorization.member_id,
        _aware(authorization.decision_due_at),
        Role.PLAN_UTILIZATION_MANAGEMENT,
    )


def outreach(enrollment: Enrollment, plan_code: str | None) -> WantedTask:
    """The provider reaches the member before the unable-to-reach window closes."""
    days = unable_to_reach_days(plan_code, enrollment.assigned_on)
    return WantedTask(
        enrollment.provider_organization_id,
        TaskKind.OUTREACH,
        "enrollment",
        enrollment.id,
        enrollment.member_id,
        end_of_local_day(enrollment.assigned_on + dt.timedelta(days=days)),
        None if enrollment.lead_care_manager_user_id else Role.LEAD_CARE_MANAGER,
        enrollment.lead_care_manager_user_id,
    )


def care_plan_revision(
    enrollment: Enrollment, care_plan: CarePlan | None, today: dt.date
) -> WantedTask | None:
    """A missing care plan is due on enrollment; a written one every six months (revision.py);
    the task appears within the horizon before that day."""
    due_on = revision_due_on(enrollment, care_plan, today)
    if not revision_due_soon(due_on, today):
        return None
    return WantedTask(
        enrollment.provider_organization_id,
        TaskKind.CARE_PLAN_REVISION,
        "enrollment",
        enrollment.id,
        enrollment.member_id,
        end_of_local_day(due_on),
        None if enrollment.lead_care_manager_user_id else Role.LEAD_CARE_MANAGER,
        enrollment.lead_care_manager_user_id,
    )


def loop_closure(
    referral: Referral, since: dt.datetime, plan_organization_id: uuid.UUID
) -> WantedTask | None:
    """The party whose step an open loop waits for acts within the step's window."""
    step = step_of(referral)
    if step is None:
        return None
    since = _aware(since)
    routing = step == LoopStep.ROUTE
    owner = plan_organization_id if routing else referral.receiving_organization_id
    if owner is None:
        return None
    return WantedTask(
        owner,
        TaskKind.LOOP_CLOSURE,
        "referral",
        referral.id,
        referral.member_id,
        since + window(step, since.date()),
        Role.PLAN_CARE_COORDINATION if routing else None,
    )


# Credentials (licenses, insurance, staff credentials) get a renewal task this long ahead.
EXPIRY_NOTICE = dt.timedelta(days=60)


def credential_expiry(credential: ProviderCredential, organization_kind: str) -> WantedTask:
    """The provider renews a license, insurance policy or staff credential before it expires."""
    assert credential.expires_on is not None, "only dated credentials expire"
    team = Role.ECM_SUPERVISOR if organization_kind == "ecm_provider" else Role.CS_PROVIDER_STAFF
    return WantedTask(
        credential.organization_id,
        TaskKind.CREDENTIAL_EXPIRY,
        "provider_credential",
        credential.id,
        None,
        end_of_local_day(credential.expires_on),
        team,
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes for stored UTC values; read them as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
