"""Closed-loop notices (DHCS CLR, policy-facts §5.5), created at the loop's turning points.

From the go-live date (`closed_loop.notices.required`) the plan notifies the member when a
referral is received and when a provider is assigned (with the provider's name and contact),
and the referring organizations when the member is assigned, declined or the loop closes.
Notices go electronically (fax does not count). The member's own plan is never notified: it
sends the notices. ECM assignment notices come from `ops/assignments`, which creates the
enrollment; `route` sends them for Community Supports.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.orm import Session

from calaim.ops.models import (
    Notice,
    NoticeChannel,
    NoticeKind,
    NoticeRecipient,
    Organization,
    ProviderProfile,
    Referral,
)
from calaim.ops.referrals.policy import notices_required
from calaim.ops.referrals.repository import ReferralRepository, joined_organizations
from calaim.ops.referrals.state import ReferralStatus

# Referrers hear when their loop ends (declined, or closed) so it closes for them too.
ON_STATUS = {
    # The referrer hears when the provider accepts (the discharge planner can stop calling).
    ReferralStatus.ACCEPTED: NoticeKind.REFERRAL_ACCEPTED,
    ReferralStatus.DECLINED: NoticeKind.REFERRAL_DECLINED,
    ReferralStatus.CLOSED: NoticeKind.REFERRAL_CLOSED,
}


def referrer_ids(session: Session, referral: Referral) -> list[uuid.UUID]:
    """The referring organizations to notify: first referrer and joiners, minus the plan."""
    ids = [referral.referring_organization_id, *joined_organizations(session, referral.id)]
    plan = referral.member.plan_organization_id
    return [org for i, org in enumerate(ids) if org != plan and org not in ids[:i]]


def provider_contact(session: Session, organization_id: uuid.UUID) -> dict[str, Any]:
    """The provider's name and phone, as the member and referrer notices must give them."""
    organization = session.get(Organization, organization_id)
    profile = session.get(ProviderProfile, organization_id)
    return {
        "provider_name": organization.name if organization else None,
        "provider_phone": profile.phone if profile else None,
    }


def send(
    session: Session,
    referral: Referral,
    kind: NoticeKind,
    now: dt.datetime,
    content: dict[str, Any],
) -> list[Notice]:
    """Create the notices of `kind` for the referral's event at `now` (none before go-live)."""
    if not notices_required(now.date()):
        return []
    base = {"program_id": referral.program_id, "status": referral.status, **content}
    notices = []
    if kind in _TO_MEMBER:
        notices.append(_notice(referral, kind, now, base, None))
    if kind in _TO_REFERRERS:
        for organization_id in referrer_ids(session, referral):
            notices.append(_notice(referral, kind, now, base, organization_id))
    session.add_all(notices)
    return notices


# Who hears about what: the member on receipt and assignment; referrers on assignment,
# acceptance, decline and closure (so the referrer's loop closes too).
_TO_MEMBER = frozenset({NoticeKind.REFERRAL_RECEIVED, NoticeKind.ASSIGNMENT_TO_MEMBER})
_TO_REFERRERS = frozenset(
    {
        NoticeKind.ASSIGNMENT_TO_REFERRER,
        NoticeKind.REFERRAL_ACCEPTED,
        NoticeKind.REFERRAL_DECLINED,
        NoticeKind.REFERRAL_CLOSED,
    }
)


def _notice(
    referral: Referral,
    kind: NoticeKind,
    now: dt.datetime,
    content: dict[str, Any],
    organization_id: uuid.UUID | None,
) -> Notice:
    return Notice(
        member_id=referral.member_id,
        kind=kind.value,
        recipient=(
            NoticeRecipient.MEMBER if organization_id is None else NoticeRecipient.ORGANIZATION
        ).value,
        recipient_organization_id=organization_id,
        channel=NoticeChannel.ELECTRONIC.value,
        subject_type="referral",
        subject_id=referral.id,
        created_at=now,
        content=dict(content),
    )


def notify(
    repository: ReferralRepository,
    referral: Referral,
    kind: NoticeKind,
    now: dt.datetime,
    content: dict[str, Any],
) -> list[Notice]:
    """Send the notices of `kind` and audit each one on the referral."""
    sent = send(repository.session, referral, kind, now, content)
    for notice in sent:
        organization = notice.recipient_organization_id
        repository.audit(
            "referral.notice",
            referral,
            {
                "kind": notice.kind,
                "recipient_organization_id": str(organization) if organization else None,
            },
        )
    repository.session.flush()
    return sent
