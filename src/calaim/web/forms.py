"""Reading HTML forms: typed field readers and field-level error messages.

A form handler reads each field with `text`/`day`/`number`, collects problems in a
`FormErrors` (field name -> message, in form order), and, when there are any, renders the same
template again with the user's values and `errors` (status 422: nothing is saved). Templates
show `errors.get(name)` next to the field (`parts/field.html`) and the summary links to them.
Messages are `N_()`-marked English, translated in the template.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from calaim.ops.attachments.content import MAX_BYTES
from calaim.ops.errors import InvalidRequest
from calaim.web.i18n import N_
from calaim.web.refusals import plain


class FormErrors:
    """Field-level messages, in the order they were found."""

    def __init__(self) -> None:
        self.messages: dict[str, str] = {}

    def __bool__(self) -> bool:
        return bool(self.messages)

    def add(self, field: str, message: str) -> None:
        """Record `message` for `field` (the first message per field wins)."""
        self.messages.setdefault(field, message)

    def get(self, field: str) -> str | None:
        """The message for `field`, if any."""
        return self.messages.get(field)

    def require(self, field: str, value: object, message: str) -> None:
        """Record `message` when `value` is empty."""
        if value in (None, ""):
            self.add(field, message)

    def first(self) -> str | None:
        """The first field with a problem (the page moves focus there)."""
        return next(iter(self.messages), None)

    def from_ops(
        self,
        error: InvalidRequest,
        default_field: str,
        field_of: Callable[[str | None], str | None] | None = None,
    ) -> None:
        """An ops validation error, shown next to its field (or `default_field`).

        `field_of` maps the ops field (`goals[1].target_date`) to the form's own name.
        """
        field = getattr(error, "field", None)
        if field_of is not None:
            self.add(field_of(field) or default_field, plain(error))
            return
        self.add((field or default_field).split(".")[-1], plain(error))


def text(form: FormData, name: str, limit: int = 2000) -> str:
    """A text field, stripped and cut to `limit` characters ("" when absent)."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def day(form: FormData, name: str, errors: FormErrors, *, required: bool = True) -> dt.date | None:
    """A date field (`YYYY-MM-DD`, as `<input type="date">` sends it)."""
    raw = text(form, name, 20)
    if not raw:
        if required:
            errors.add(name, N_("Enter a date."))
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.add(name, N_("Enter a date as year-month-day, for example 2025-10-01."))
        return None


def number(
    form: FormData, name: str, errors: FormErrors, *, required: bool = True
) -> Decimal | None:
    """A non-negative number field."""
    raw = text(form, name, 30)
    if not raw:
        if required:
            errors.add(name, N_("Enter a number."))
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors.add(name, N_("Enter a number, for example 3 or 12.50."))
        return None
    if not value.is_finite() or value < 0:
        errors.add(name, N_("Enter a number of zero or more."))
        return None
    return value


def identifier(form: FormData, name: str, errors: FormErrors, message: str) -> uuid.UUID | None:
    """A choice whose value is a record id; `message` when it is missing or malformed."""
    try:
        return uuid.UUID(text(form, name, 40))
    except ValueError:
        errors.add(name, message)
        return None


def values_of(form: FormData) -> dict[str, str]:
    """The submitted values (for re-rendering the form), without the CSRF token."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


async def uploaded_file(request: Request, errors: FormErrors) -> tuple[bytes, str]:
    """The bytes and name of the form's `file` (read one byte past the attachment limit, so
    the service can refuse an oversized file by its size); a missing file is a field error."""
    form = await request.form(max_part_size=MAX_BYTES + 1024)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors.add("file", N_("Choose a file to attach."))
        return b"", ""
    return await upload.read(MAX_BYTES + 1), upload.filename
