"""The member page's quick "Approve" goes through the review desk when the engine does not
support the approval (not eligible, not offered, excluded, none, or stale)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from calaim.ops.access.permissions import Permission, allowed
from calaim.ops.authorizations.service import AuthorizationService
from calaim.ops.models import User
from calaim.ops.review.service import ReviewService


def needs_the_desk(
    session: Session, actor: User, authorization_id: uuid.UUID, now: dt.datetime
) -> bool:
    """Whether approving this request needs the desk's warning and a written reason."""
    if not allowed(actor, Permission.AUTHORIZATION_DECIDE):
        return False  # the approval itself refuses, as before
    authorization = AuthorizationService(session, actor).get(authorization_id)
    if authorization.status not in ("pending", "presumptive"):
        return False  # the approval refuses the step, as before
    return ReviewService(session, actor).engine(authorization, now).needs_override
