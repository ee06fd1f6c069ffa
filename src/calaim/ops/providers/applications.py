"""One application, many plans: the provider submits its profile once to several plans, for
some services in some counties; each plan decides each service in each county on its own.

Submitting checks every chosen plan's extra requirements (`requirements.py`) and refuses the
whole application, naming each unmet requirement, when any is unmet: nothing is half-sent.
A plan's approval adds the plan to the provider's contracted plans and the county to the
counties it serves, which assignment reads at once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, require
from calaim.ops.errors import Conflict, InvalidRequest, StaleVersion
from calaim.ops.models import Organization, User
from calaim.ops.models.provider_application import (
    ApplicationLine,
    LineDecision,
    ProviderApplication,
)
from calaim.ops.providers.export import as_form, snapshot_of
from calaim.ops.providers.profile import ProfileService
from calaim.ops.providers.repository import ApplicationRepository
from calaim.ops.providers.requirements import HeldCredential, requirements_for, unmet
from calaim.ops.referrals.programs import check_program


@dataclass(frozen=True)
class ApplicationIn:
    """What the provider applies for, and its answers to plans' extra requirements."""

    plan_codes: list[str]
    programs: list[str]
    counties: list[str]
    answers: dict[str, Any]


@dataclass(frozen=True)
class ApplicationView:
    """An application with the lines the caller may see."""

    application: ProviderApplication
    lines: list[ApplicationLine]


class RequirementsUnmet(InvalidRequest):
    """One or more chosen plans' requirements are not met (each named in the message)."""


class AlreadyDecided(Conflict):
    """The line was decided already."""


class ApplicationService:
    """Applications on behalf of one user (a provider submits, a plan decides)."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = ApplicationRepository(session, actor)

    def _plans(self, codes: list[str]) -> list[Organization]:
        wanted = sorted(set(codes))
        if not wanted:
            raise InvalidRequest("choose at least one plan", field="plan_codes")
        found = self.repository.plans_by_code(wanted)
        missing = [code for code in wanted if code not in found]
        if missing:
            raise InvalidRequest(f"no plan with code {', '.join(missing)}", field="plan_codes")
        return [found[code] for code in wanted]

    def _check(self, plans: list[Organization], given: ApplicationIn, on: dt.date) -> None:
        credentials = [
            HeldCredential(c.credential_type, c.expires_on)
            for c in ProfileService(self.session, self.actor).rows.credentials()
        ]
        problems = []
        for plan in plans:
            for requirement in requirements_for(str(plan.plan_code), on):
                why = unmet(requirement, credentials, given.answers, on)
                if why is not None:
                    problems.append(f"{plan.name}: {requirement.label} ({requirement.id}): {why}")
        if problems:
            raise RequirementsUnmet("; ".join(problems), field="answers")

    def _lines(self, plans: list[Organization], given: ApplicationIn) -> list[tuple[Any, ...]]:
        if not given.programs or not given.counties:
            raise InvalidRequest("choose at least one service and one county", field="programs")
        for program_id in given.programs:
            check_program(program_id)
        lines = []
        for plan in plans:
            for county in sorted(set(given.counties)):
                served = plan.counties_served or []
                if served and county not in served:
                    raise InvalidRequest(
                        f"{plan.name} does not serve {county} county", field="counties"
                    )
                lines += [(plan.id, p, county) for p in sorted(set(given.programs))]
        return lines

    def submit(self, given: ApplicationIn, *, now: dt.datetime) -> ApplicationView:
        """Send the profile to every chosen plan at once (all or nothing)."""
        require(self.actor, Permission.PROVIDER_PROFILE)
        view = ProfileService(self.session, self.actor).view()
        plans = self._plans(given.plan_codes)
        lines = self._lines(plans, given)
        self._check(plans, given, now.date())
        application = ProviderApplication(
            id=uuid.uuid4(),
            organization_id=self.actor.organization_id,
            submitted_by_user_id=self.actor.id,
            submitted_at=now,
            snapshot=snapshot_of(view),
            answers=dict(given.answers),
        )
        self.session.add(application)
        self.session.flush()
        rows = [
            ApplicationLine(
                id=uuid.uuid4(),
                application_id=application.id,
                plan_organization_id=plan_id,
                program_id=program_id,
                county=county,
                decision=LineDecision.PENDING.value,
            )
            for plan_id, program_id, county in lines
        ]
        self.session.add_all(rows)
        self.repository.audit(
            "provider_application.submit", application, {"plans": [p.plan_code for p in plans]}
        )
        return ApplicationView(application, self.repository.lines(application.id))

    def get(self, application_id: uuid.UUID) -> ApplicationView:
        """One visible application with the caller's lines (audited)."""
        found = self.repository.get_visible(application_id, action="provider_application.read")
        return ApplicationView(found, self.repository.lines(found.id))

    def export(self, application_id: uuid.UUID) -> dict[str, Any]:
        """The application in the common form (audited as an export)."""
        view = self.get(application_id)
        plans = self.repository.organizations([line.plan_organization_id for line in view.lines])
        self.repository.audit("provider_application.export", view.application, {})
        return as_form(view.application, view.lines, plans)

    def page(self, limit: int, offset: int) -> tuple[list[ApplicationView], int]:
        """Visible applications, newest first."""
        rows, total = self.repository.page(limit, offset)
        return [ApplicationView(a, self.repository.lines(a.id)) for a in rows], total

    def decide(
        self,
        line_id: uuid.UUID,
        decision: LineDecision,
        reason: str | None,
        version: int,
        *,
        now: dt.datetime,
    ) -> ApplicationView:
        """The plan approves or denies one service in one county (a denial needs a reason)."""
        require(self.actor, Permission.PROVIDER_CREDENTIALING)
        line = self.repository.line(line_id)
        if line.version != version:
            raise StaleVersion(f"the line changed (version {line.version}); reload it")
        if line.decision != LineDecision.PENDING.value:
            raise AlreadyDecided(f"this line was already {line.decision}")
        if decision == LineDecision.PENDING:
            raise InvalidRequest("decide approved or denied", field="decision")
        if decision == LineDecision.DENIED and not (reason or "").strip():
            raise InvalidRequest("say why the line is denied", field="reason")
        line.decision, line.reason = decision.value, (reason or "").strip() or None
        line.decided_at, line.decided_by_user_id = now, self.actor.id
        application = self.repository.get_visible(line.application_id)
        if decision == LineDecision.APPROVED:
            self._contract(application, line)
        self.repository.audit(
            "provider_application.decide",
            application,
            {"line_id": str(line.id), "decision": decision.value},
        )
        return ApplicationView(application, self.repository.lines(application.id))

    def _contract(self, application: ProviderApplication, line: ApplicationLine) -> None:
        """An approval makes the plan a contracted plan of the provider, in that county."""
        profile, org = self.repository.applicant(application.organization_id)
        code = str(self.actor.organization.plan_code)
        if code not in profile.contracted_plans:
            profile.contracted_plans = [*profile.contracted_plans, code]
        if line.county not in (org.counties_served or []):
            org.counties_served = sorted({*(org.counties_served or []), line.county})
