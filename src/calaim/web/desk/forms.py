"""Reading the desk's forms into the review service's inputs, and its refusals into messages
next to the field (in the reader's language)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from pydantic import ValidationError
from starlette.datastructures import FormData

from calaim.ops.errors import Conflict, InvalidRequest, NotFound, StaleVersion
from calaim.ops.review.clock import PendRefused
from calaim.ops.review.schemas import ApprovalTerms, Denial, Extension, Frequency, Pend
from calaim.ops.review.service import OverrideReasonRequired, ReviewService
from calaim.web.actions_common import version
from calaim.web.forms import FormErrors, day, number, text
from calaim.web.i18n import N_

FREQUENCIES = [
    (Frequency.ONCE.value, N_("One time")),
    (Frequency.PER_DAY.value, N_("Per day")),
    (Frequency.PER_WEEK.value, N_("Per week")),
    (Frequency.PER_MONTH.value, N_("Per month")),
    (Frequency.PER_AUTHORIZATION.value, N_("For the whole period")),
]
DENIAL_REASONS = [
    ("not_eligible", N_("The member does not meet the program's eligibility criteria")),
    ("not_offered", N_("The plan does not offer this service in the member's county")),
    ("incomplete_info", N_("The request lacks the information needed to decide")),
    ("duplicate", N_("The member already has a request or approval for this program")),
    ("other", N_("Another reason (the explanation says which)")),
]
WARNINGS = {
    "no_determination": N_("The engine has no determination for this member and program."),
    "not_eligible": N_("The engine says the member is not eligible for this program."),
    "not_offered": N_("The plan does not offer this service in the member's county."),
    "excluded": N_("An exclusion applies (for example, a service that would duplicate it)."),
    "stale": N_("The engine's determination is out of date."),
}
ACTION_WORDS = {
    "approve": N_("Approved"),
    "pend": N_("Pended for information"),
    "extend": N_("Extended"),
    "deny": N_("Denied"),
}
LETTER_WORDS = {
    "approval": N_("Approval letter"),
    "denial": N_("Denial letter"),
    "delay": N_("Delay letter"),
    "extension": N_("Extension letter"),
}
SHORT = {
    "no_determination": N_("no determination"),
    "not_eligible": N_("not eligible"),
    "not_offered": N_("not offered"),
    "excluded": N_("excluded"),
    "stale": N_("out of date"),
}
MESSAGES = {
    "override_reason": N_("The engine does not support this. Write why you approve anyway."),
    "already_pended": N_("This request was already extended once. Decide it now."),
    "already_due": N_("The decision is already due: an extension must come before the deadline."),
    "end_date": N_("Choose an end date after the current one, at most 12 months later."),
    "end_before_start": N_("The end date must be on or after the start date."),
    "frequency": N_("Say how often the units are given."),
    "conflict": N_("Someone changed this request since you opened it. Reload the page."),
    "state": N_("This request is not in a state that allows this step."),
}


def run(
    review: ReviewService,
    authorization_id: uuid.UUID,
    action: str,
    form: FormData,
    errors: FormErrors,
    now: dt.datetime,
) -> int:
    """Read the form and take the step: 303 done, 422 a field to fix, 409 a conflict."""
    expected = version(form, errors)
    step = _step(review, authorization_id, action, form, errors, expected, now)
    if step is None or errors:
        return 422
    try:
        step()
    except OverrideReasonRequired:
        errors.add("override_reason", MESSAGES["override_reason"])
        return 422
    except PendRefused as refused:
        key = "already_pended" if "once" in str(refused) else "already_due"
        errors.add("information", MESSAGES[key])
        return 409
    except InvalidRequest as error:
        field = (getattr(error, "field", None) or "reason").split(".")[-1]
        errors.add(field, MESSAGES.get(field, N_("Check this field.")))
        return 422
    except (Conflict, StaleVersion) as error:
        errors.add("version", MESSAGES["conflict" if "changed" in str(error) else "state"])
        return 409
    return 303


def _step(
    review: ReviewService,
    authorization_id: uuid.UUID,
    action: str,
    form: FormData,
    errors: FormErrors,
    expected: int,
    now: dt.datetime,
) -> Callable[[], object] | None:
    override = text(form, "override_reason", 2000) or None
    try:
        if action == "approve":
            start, end = day(form, "start_date", errors), day(form, "end_date", errors)
            units = number(form, "units", errors, required=False)
            if start and end and end < start:
                errors.add("end_date", MESSAGES["end_before_start"])
            if errors or start is None or end is None:
                return None
            terms = ApprovalTerms(start_date=start, end_date=end, units=units,
                                  frequency=_frequency(form), override_reason=override)  # fmt: skip
            return lambda: review.approve(
                authorization_id, terms, expected_version=expected, now=now
            )
        if action == "pend":
            information = text(form, "information", 2000)
            errors.require("information", information, N_("Say what information you need."))
            if errors:
                return None
            pend = Pend(information=information)
            return lambda: review.pend(authorization_id, pend, expected_version=expected, now=now)
        if action == "extend":
            end = day(form, "end_date", errors)
            reason = text(form, "reason", 2000)
            errors.require("reason", reason, N_("Say why the service is extended."))
            units = number(form, "units", errors, required=False)
            if errors or end is None:
                return None
            extension = Extension(end_date=end, reason=reason, units=units,
                                  frequency=_frequency(form), override_reason=override)  # fmt: skip
            return lambda: review.extend(authorization_id, extension, expected_version=expected,
                                         now=now)  # fmt: skip
        if action == "deny":
            code, reason = text(form, "reason_code", 20), text(form, "reason", 2000)
            errors.require("reason_code", code, N_("Choose a denial reason."))
            errors.require("reason", reason, N_("Explain the denial for the member's notice."))
            if errors:
                return None
            denial = Denial(reason_code=code, reason=reason)
            return lambda: review.deny(authorization_id, denial, expected_version=expected, now=now)
    except ValidationError as invalid:
        for problem in invalid.errors():
            errors.add(str(problem["loc"][0]), N_("Check this field."))
        return None
    raise NotFoundAction(action)


class NotFoundAction(NotFound):
    """No such step on the desk."""

    def __init__(self, action: str) -> None:
        super().__init__(f"no desk step named {action!r}")


def _frequency(form: FormData) -> Frequency | None:
    chosen = text(form, "frequency", 20)
    return Frequency(chosen) if chosen in set(Frequency) else None
