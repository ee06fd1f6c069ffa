"""Notices of an authorization decision: one to the member, one to the provider if named."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.models import Authorization, Notice, NoticeChannel, NoticeKind, NoticeRecipient


def decision_notices(
    session: Session, authorization: Authorization, kind: NoticeKind, now: dt.datetime
) -> list[Notice]:
    """Add the member's notice (by mail) and the provider's (electronic) for a decision."""
    content = _content(authorization)
    # A member notice of action goes by mail unless the member agreed to electronic notices;
    # calaim records the default (mail). Closed-loop notices to organizations are electronic.
    notices = [
        Notice(
            member_id=authorization.member_id,
            kind=kind.value,
            recipient=NoticeRecipient.MEMBER.value,
            channel=NoticeChannel.MAIL.value,
            subject_type="authorization",
            subject_id=authorization.id,
            created_at=now,
            content=content,
        )
    ]
    if authorization.provider_organization_id is not None:
        notices.append(
            Notice(
                member_id=authorization.member_id,
                kind=kind.value,
                recipient=NoticeRecipient.ORGANIZATION.value,
                recipient_organization_id=authorization.provider_organization_id,
                channel=NoticeChannel.ELECTRONIC.value,
                subject_type="authorization",
                subject_id=authorization.id,
                created_at=now,
                content=content,
            )
        )
    session.add_all(notices)
    return notices


def _content(authorization: Authorization) -> dict[str, Any]:
    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    return {
        "program_id": authorization.program_id,
        "status": authorization.status,
        "decision_basis": authorization.decision_basis,
        "start_date": iso(authorization.start_date),
        "end_date": iso(authorization.end_date),
        "denial_reason_code": authorization.denial_reason_code,
        "denial_reason": authorization.denial_reason,
    }
