"""`/app/referrals/{id}`: the referral as the shared record every party acts from.

One page: why and for what the member was referred, how urgent, who referred and how to reach
them, how to reach the member and in which language, the member's consent, the files, the
messages between the organizations, the closed-loop timeline and notices, and the steps the
viewer's organization may take now. Everything is read through the ops services with the
viewer's scope (referrers see only their own form; Part 2 messages only with consent).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.access.scopes import sees_member_rows
from calaim.ops.admin.service import list_organizations
from calaim.ops.attachments.endpoints import storage_of
from calaim.ops.attachments.service import AttachmentService
from calaim.ops.messages.service import MessageService
from calaim.ops.models import User
from calaim.ops.notices.repository import NoticeFilter, NoticeRepository
from calaim.ops.paging import PageRequest
from calaim.ops.referrals.repository import ReferralRepository, forms_for
from calaim.web.referral_actions import (
    DECLINE_REASONS,
    closure_label,
    closure_reasons,
    steps_for,
)
from calaim.web.timeline import in_step_order


def record_of(
    request: Request, session: Session, actor: User, referral_id: uuid.UUID, now: dt.datetime
) -> dict[str, Any]:
    """Everything the referral page shows, as the actor may see it."""
    repository = ReferralRepository(session, actor)
    history = in_step_order(repository.history(referral_id))
    referral = repository.get(referral_id)
    notices = (
        NoticeRepository(session, actor)
        .search(NoticeFilter(subject_id=referral_id), PageRequest(limit=50))
        .items
    )
    names = {o.id: o.name for o in list_organizations(session)}
    return {
        "r": referral,
        "history": history,
        "notices": notices,
        "names": names,
        "forms": forms_for(session, actor, referral),
        "member_link": allowed(actor, Permission.MEMBER_READ),
        "sees_member": sees_member_rows(actor),
        "steps": steps_for(actor, referral),
        "decline_reasons": DECLINE_REASONS,
        "closure_reasons": closure_reasons(),
        "closure_reason": closure_label(referral.closure_reason),
        "threads": MessageService(session, actor).threads(referral_id=referral_id, now=now),
        "attachments": AttachmentService(session, actor, storage_of(request)).on_referral(
            referral_id
        ),
        "may_part2": allowed(actor, Permission.MEMBER_READ),
    }
