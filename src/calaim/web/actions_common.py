"""What every workspace action shares: run a service call, turn its refusal into a message.

An action reads its form, collects field problems, then calls one ops service method. On
success it redirects back to the member page (303) with a short confirmation; on a refusal it
rolls the session back and renders the member page again with the message next to the field
and the user's values kept (422 for invalid input, 409 for a conflict; nothing is saved).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from calaim.ops.errors import Conflict, InvalidRequest, StaleVersion
from calaim.ops.http.errors import database_error
from calaim.ops.models import User
from calaim.web.forms import FormErrors, identifier, text, values_of
from calaim.web.i18n import N_
from calaim.web.members import show_member
from calaim.web.pages import redirect
from calaim.web.refusals import plain


def attempt(
    action: Callable[[], object],
    errors: FormErrors,
    field: str,
    *,
    field_of: Callable[[str | None], str | None] | None = None,
) -> int:
    """Run `action` unless the form already has problems; the status for the outcome."""
    if errors:
        return 422
    try:
        action()
    except SQLAlchemyError as error:
        # A simultaneous change won (a unique index, a version): the one mapping says how.
        refused = database_error(error)
        if refused is None:
            raise
        errors.add(field, plain(refused))
        return 422 if isinstance(refused, InvalidRequest) else 409
    except InvalidRequest as error:
        errors.from_ops(error, field, field_of)
        return 422
    except (Conflict, StaleVersion) as error:
        # A conflict about one field (the ECM authorization override) is shown next to it.
        errors.add(getattr(error, "field", None) or field, plain(error))
        return 409
    return 303


def version(form: FormData, errors: FormErrors) -> int:
    """The record version the form was rendered with."""
    try:
        return int(text(form, "version", 12))
    except ValueError:
        errors.add("version", N_("The form is out of date; reload the page."))
        return -1


def member_of(form: FormData) -> uuid.UUID:
    """The member whose page the form is on (a malformed id: the page is not found)."""
    found = identifier(form, "member_id", FormErrors(), "")
    if found is None:
        raise InvalidRequest("no member", field="member_id")
    return found


def finish(
    request: Request,
    session: Session,
    actor: User,
    now: dt.datetime,
    *,
    status: int,
    member_id: uuid.UUID,
    key: str,
    done: str,
    errors: FormErrors,
    form: FormData,
) -> Response:
    """Redirect on success; otherwise roll back and show the form again with its messages."""
    if status == 303:
        return redirect(f"/app/members/{member_id}?done={done}")
    session.rollback()
    return show_member(
        request,
        session,
        actor,
        member_id,
        now,
        form=key,
        errors=errors,
        values=values_of(form),
        status=status,
    )
