"""A service's refusal in plain words, in the page's language: never an id, a UUID or a status
code.

The ops services say what went wrong in English for the API (`str(error)`). A page shows
`plain(error)` instead: a `Phrase`, an English sentence that also keeps its template and
values, so the page's `_()` (`pages.base_context`) says it in the reader's language. The
refusals people meet on the workspace (a step the record's state does not allow, a stale
form, a missing reason, dates, coverage, assignment) have their own sentence here; any other
refusal is shown in English with program ids named and record ids removed, and on a page in
another language as its kind's general sentence in that language (never English).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.access.referral_rules import NotYourStep
from calaim.ops.assignments.service import (
    AlreadyAssigned,
    NoActiveEnrollment,
    NoProviderAvailable,
    ProviderCannotServe,
)
from calaim.ops.attachments.content import FileRefused
from calaim.ops.authorizations.state import IllegalAuthorizationTransition
from calaim.ops.care_plans.content import InvalidCarePlan
from calaim.ops.enrollments.coverage import AuthorizationNotInForce, AuthorizationRequired
from calaim.ops.enrollments.service import InvalidDate, NotTheProvider
from calaim.ops.enrollments.state import IllegalEnrollmentTransition
from calaim.ops.errors import Conflict, Forbidden, InvalidRequest, NotFound, OpsError, StaleVersion
from calaim.ops.members.contact import InvalidContact
from calaim.ops.network.service import NoMemberFits, NotALead
from calaim.ops.providers.applications import AlreadyDecided, RequirementsUnmet
from calaim.ops.referrals.service import RouteRefused
from calaim.ops.referrals.state import IllegalTransition, ReasonRequired
from calaim.ops.services.service import NotCovered, OverAuthorized
from calaim.ops.services.state import EpisodeClosed
from calaim.web.i18n import N_
from calaim.web.program_names import is_program_id, program_name

Translate = Callable[[str], str]
UUID = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b", re.I)
PROGRAM = re.compile(r"'?\b((?:ecm|cs)\.[a-z][a-z0-9_]+)\b'?")
# A plan requirement's id in parentheses, e.g. "(lacare.general_liability)": left out.
REQUIREMENT = re.compile(r"\s*\((?!(?:ecm|cs)\.)[a-z0-9]+\.[a-z0-9_]+\)")
RECORDS = {
    IllegalTransition: N_("referral"),
    IllegalEnrollmentTransition: N_("ECM enrollment"),
    IllegalAuthorizationTransition: N_("authorization"),
}
STEP_NOT_ALLOWED = N_(
    "That step is not possible now: the %(record)s is %(status)s. Reload the page to see the "
    "steps it allows."
)
# One sentence per kind of refusal people meet on the pages (the most specific class first).
# Refusals whose English names records by id or states by code: this sentence replaces them.
SENTENCES: list[tuple[type[OpsError], str]] = [
    (
        StaleVersion,
        N_("Someone changed this record while you were working. Reload the page and try again."),
    ),
    (
        ReasonRequired,
        N_(
            "Give a reason (for example: the member declined, could not be reached, "
            "or there is no capacity)."
        ),
    ),
    (
        RouteRefused,
        N_("Only a referral that was received and not yet accepted can be sent to a provider."),
    ),
    (
        NotCovered,
        N_(
            "The authorization does not cover this: record service only on dates it "
            "covers while it is approved, or ask the plan for a new authorization."
        ),
    ),
    (
        AlreadyAssigned,
        N_(
            "The member already has an ECM provider. Change the provider or end "
            "that enrollment first."
        ),
    ),
    (
        NoActiveEnrollment,
        N_("The member has no active ECM enrollment to change; assign a provider instead."),
    ),
    (
        NoProviderAvailable,
        N_(
            "No ECM provider can take this member now. Add capacity or contracts, "
            "or choose a provider."
        ),
    ),
    (
        ProviderCannotServe,
        N_(
            "That provider cannot serve this member (county, plan or program). "
            "Choose another provider."
        ),
    ),
    (InvalidDate, N_("Check the date: it cannot be in the future or before the previous step.")),
    (
        PermissionDenied,
        N_("Your role does not allow this action. Ask your organization's administrator."),
    ),
]
# Refusals already plain in English (and more precise there): this sentence is for the other
# languages.
IN_OTHER_LANGUAGES: list[tuple[type[OpsError], str]] = [
    (
        NotYourStep,
        N_("Your organization cannot take this step on this referral; you can follow its status."),
    ),
    (
        OverAuthorized,
        N_(
            "This would go over what the authorization allows. Ask the plan to "
            "extend the authorization."
        ),
    ),
    (
        EpisodeClosed,
        N_(
            "This service episode is closed. Start a new one under a current "
            "authorization to record more."
        ),
    ),
    (
        AuthorizationRequired,
        N_(
            "The member needs an approved ECM authorization first, or an override with your reason."
        ),
    ),
    (
        AuthorizationNotInForce,
        N_(
            "That ECM authorization is not in force on this day. Choose an approved "
            "one, or give a reason to go ahead without it."
        ),
    ),
    (NotTheProvider, N_("Only the member's ECM provider can record this.")),
    (
        NoMemberFits,
        N_(
            "No member organization can take this referral now: none has open places for "
            "this service in the member's county and language. Add capacity, then route it "
            "again."
        ),
    ),
    (NotALead, N_("Your organization leads no network of community organizations then.")),
    (
        RequirementsUnmet,
        N_(
            "Your profile does not yet have what a plan you chose asks for. Add the missing "
            "license, insurance or answer, then send the application again."
        ),
    ),
    (
        AlreadyDecided,
        N_("Someone at your plan already decided this line. Reload the page to see it."),
    ),
    (InvalidContact, N_("Check the phone number (10 digits) or the ZIP code (5 digits).")),
    (
        FileRefused,
        N_(
            "This file cannot be attached: only PDF documents and PNG, JPEG or WebP "
            "images, at most 10 MB, whose name matches the content."
        ),
    ),
]
CARE_PLAN = [
    (
        "before the assessment",
        N_("A goal or step cannot be dated before the assessment. Choose a later date."),
    ),
    ("after today", N_("This date is after today. Record what has happened.")),
    (
        "before the member was assigned",
        N_("This date is before the member was assigned. Check the date."),
    ),
    ("before assessment_started_on", N_("The assessment cannot be completed before it started.")),
    ("needs assessment_started_on", N_("Give the date the assessment started too.")),
    ("is not a date", N_("Enter a date.")),
]
GENERAL: list[tuple[type[OpsError], str]] = [
    (InvalidRequest, N_("Check this field: the value was not accepted.")),
    (
        Conflict,
        N_(
            "That cannot be done now: the record is in a state that does not allow "
            "it. Reload and retry."
        ),
    ),
    (Forbidden, N_("Your role does not allow this action. Ask your organization's administrator.")),
    (NotFound, N_("There is nothing here that you can see.")),
]


class Phrase(str):
    """An English sentence that keeps its template, values and a general sentence to fall back
    on, so `say()` gives it in another language."""

    template: str
    values: dict[str, Any]
    fallback: str | None

    def __new__(cls, template: str, fallback: str | None = None, **values: Any) -> Phrase:
        """The English sentence (template filled with the values' English)."""
        shown = super().__new__(
            cls, template % {k: str(v) for k, v in values.items()} if values else template
        )
        shown.template, shown.values, shown.fallback = template, values, fallback
        return shown

    def say(self, translate: Translate) -> str:
        """The sentence in the language of `translate`; its values translated too."""
        said = translate(self.template)
        if said == self.template and self.fallback and translate(self.fallback) != self.fallback:
            return translate(self.fallback)  # no translation of this one: the general sentence
        values = {
            k: v.say(translate) if isinstance(v, Phrase) else v for k, v in self.values.items()
        }
        return said % values if values else said


def speaker(translate: Translate) -> Translate:
    """A page's `_()`: plain strings through the catalog, phrases in the page's language."""

    def say(message: str) -> str:
        return message.say(translate) if isinstance(message, Phrase) else translate(message)

    return say


def plain(error: OpsError) -> Phrase:
    """The refusal in plain words (translated where shown)."""
    record = next((word for kind, word in RECORDS.items() if isinstance(error, kind)), None)
    if record is not None:
        status = str(getattr(error, "current", "")).replace("_", " ")
        return Phrase(STEP_NOT_ALLOWED, record=Phrase(record), status=Phrase(status))
    if isinstance(error, InvalidCarePlan):
        said = str(error)
        found = next((s for key, s in CARE_PLAN if key in said), None)
        if found is not None:
            return Phrase(found)
    for kind, sentence in SENTENCES:
        if isinstance(error, kind):
            return Phrase(sentence)
    for kind, sentence in IN_OTHER_LANGUAGES + GENERAL:
        if isinstance(error, kind):
            return Phrase(cleaned(str(error)), sentence)
    return Phrase(cleaned(str(error)))


def cleaned(message: str) -> str:
    """`message` with program ids named in words and record ids left out."""
    named = PROGRAM.sub(
        lambda m: program_name(m.group(1)) if is_program_id(m.group(1)) else m.group(0), message
    )
    without = REQUIREMENT.sub("", UUID.sub("", named))
    tidy = re.sub(r"\s+([,;:.)])", r"\1", re.sub(r"\(\s*\)", "", without))
    sentence = re.sub(r"\s{2,}", " ", tidy).strip()
    return sentence[:1].upper() + sentence[1:] if sentence else sentence
