"""Writing a Notice of Action: the facts of the decision, in the member's language, as a PDF
stored with the decision and named by the decision's notices to the member and provider."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from decimal import Decimal

from sqlalchemy.orm import Session

from calaim.ops.authorizations.terms import parameter
from calaim.ops.calendar.business_days import local_zone
from calaim.ops.letters.render import LetterFacts, letter_language, pdf
from calaim.ops.letters.repository import LetterRepository
from calaim.ops.models import Authorization, Organization, User
from calaim.ops.models.letter import Letter, LetterKind

RIGHTS = {
    "appeal_days": "authorization.appeals.appeal_calendar_days",
    "hearing_days": "authorization.appeals.state_hearing_calendar_days",
    "continuation_days": "authorization.appeals.continuation_calendar_days",
    "appeal_resolution_days": "authorization.appeals.standard_appeal_resolution_days",
    "expedited_hours": "authorization.appeals.expedited_appeal_resolution_hours",
}


def rights_on(day: dt.date) -> dict[str, int]:
    """The appeal and State Hearing numbers in force on `day`."""
    return {key: int(parameter(path, day) or 0) for key, path in RIGHTS.items()}


class LetterService:
    """Notices of Action on behalf of the reviewer who decided."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        self.actor = actor
        self.repository = LetterRepository(session, actor)

    def send(
        self,
        authorization: Authorization,
        kind: LetterKind,
        now: dt.datetime,
        *,
        units: Decimal | None = None,
        frequency: str | None = None,
        reason_code: str | None = None,
        reason_text: str | None = None,
        information: str | None = None,
        decide_by: dt.date | None = None,
    ) -> Letter:
        """Render, store and attach the letter to the decision's notices (member, provider)."""
        facts = replace(
            self.facts(authorization, kind, now),
            units=units,
            frequency=frequency,
            reason_code=reason_code,
            reason_text=reason_text,
            information=information,
            decide_by=decide_by,
        )
        document = pdf(facts)
        letter = self.repository.add(
            Letter(
                member_id=authorization.member_id,
                plan_organization_id=authorization.plan_organization_id,
                authorization_id=authorization.id,
                kind=kind.value,
                language=facts.language,
                pdf=document,
                sha256=hashlib.sha256(document).hexdigest(),
                created_at=now,
                created_by_user_id=self.actor.id,
            )
        )
        self._attach(authorization, letter)
        return letter

    def facts(
        self, authorization: Authorization, kind: LetterKind, now: dt.datetime
    ) -> LetterFacts:
        """What the letter says, before the decision-specific details."""
        member = authorization.member
        today = now.astimezone(local_zone()).date()
        plan = self.session.get(Organization, authorization.plan_organization_id)
        provider = (
            self.session.get(Organization, authorization.provider_organization_id)
            if authorization.provider_organization_id
            else None
        )
        address = [
            line
            for line in (
                member.address_line,
                " ".join(filter(None, [member.city, member.zip_code])),
            )
            if line
        ]
        return LetterFacts(
            kind=kind,
            language=letter_language(member.language),
            letter_date=today,
            plan_name=plan.name if plan else "",
            member_name=f"{member.first_name} {member.last_name}",
            member_address=address,
            program_id=authorization.program_id,
            provider_name=provider.name if provider else None,
            start=authorization.start_date,
            end=authorization.end_date,
            decided_by=self.actor.name,
            decided_at=today,
            rights=rights_on(today),
        )

    def _attach(self, authorization: Authorization, letter: Letter) -> None:
        """Name the letter in the notices this decision just added (to member and provider)."""
        for item in self.repository.notices_of(authorization.id, letter.created_at):
            if "letter_id" not in (item.content or {}):
                item.content = {**(item.content or {}), "letter_id": str(letter.id),
                                "letter_language": letter.language}  # fmt: skip
