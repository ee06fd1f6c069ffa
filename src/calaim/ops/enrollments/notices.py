"""DHCS closed-loop and discharge notices about an ECM enrollment (policy-facts §5.5, §2.6).

Notices carry the provider's name and contact only, never clinical information: the referring
organization may not otherwise see the member's record.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.models import (
    Enrollment,
    Notice,
    NoticeChannel,
    NoticeKind,
    NoticeRecipient,
    Organization,
    ProviderProfile,
)


def provider_contact(session: Session, provider_id: uuid.UUID) -> dict[str, Any]:
    """The provider's name and contact details as a notice states them."""
    organization = session.get(Organization, provider_id)
    profile = session.get(ProviderProfile, provider_id)
    return {
        "provider_name": organization.name if organization else None,
        "provider_phone": profile.phone if profile else None,
        "provider_npi": profile.npi if profile else None,
    }


def _notice(
    enrollment: Enrollment,
    kind: NoticeKind,
    content: dict[str, Any],
    now: dt.datetime,
    organization_id: uuid.UUID | None = None,
) -> Notice:
    # DHCS: closed-loop notices are electronic unless both sides agree otherwise (§5.5).
    return Notice(
        member_id=enrollment.member_id,
        kind=kind.value,
        recipient=(NoticeRecipient.ORGANIZATION if organization_id else NoticeRecipient.MEMBER),
        recipient_organization_id=organization_id,
        channel=NoticeChannel.ELECTRONIC.value,
        subject_type="enrollment",
        subject_id=enrollment.id,
        created_at=now,
        content=content,
    )


def assignment_notices(
    session: Session,
    enrollment: Enrollment,
    referring_organization_id: uuid.UUID | None,
    now: dt.datetime,
) -> list[Notice]:
    """Add the member's assignment notice and, for a referral, the referrer's, sent `now`."""
    content = provider_contact(session, enrollment.provider_organization_id)
    content["assigned_on"] = enrollment.assigned_on.isoformat()
    notices = [_notice(enrollment, NoticeKind.ASSIGNMENT_TO_MEMBER, content, now)]
    if referring_organization_id is not None:
        notices.append(
            _notice(
                enrollment,
                NoticeKind.ASSIGNMENT_TO_REFERRER,
                dict(content),
                now,
                referring_organization_id,
            )
        )
    session.add_all(notices)
    return notices


def discontinuation_notice(
    session: Session, enrollment: Enrollment, label: str, now: dt.datetime
) -> Notice:
    """Add the member's notice that ECM with this provider ended (§2.6: must be notified)."""
    content = provider_contact(session, enrollment.provider_organization_id)
    content.update(
        {
            "discontinued_on": (
                enrollment.discontinued_on.isoformat() if enrollment.discontinued_on else None
            ),
            "reason_code": enrollment.discontinuation_reason_code,
            "reason": label,
        }
    )
    notice = _notice(enrollment, NoticeKind.ECM_DISCONTINUED, content, now)
    session.add(notice)
    return notice
