"""The Jinja2 environment: templates under templates/, autoescaped, with date filters.

Filters (each formats for the page's language):
- `day`: a date, e.g. "Oct 1, 2025" / "1 oct 2025";
- `moment`: a time-zone aware datetime in California time, e.g. "Oct 1, 2025, 9:00 AM";
- `label`: a code such as `plan_care_coordination` as words ("plan care coordination"); a
  program id as the program's plain name in the page's language (`web/program_names.py`);
- `number`: a referral's or authorization's short number, `id | number("R")` -> R-1A2B3C4D;
- `note`: an eligibility reason's note (`reports.reasons.Note`) in the page's language;
- `language_name`: a member's language code in words; `closure_words`: a closure reason code
  (DHCS list) in words.
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape

from calaim.ops.calendar.business_days import local_zone
from calaim.ops.members.languages import language_name
from calaim.ops.search.query import reference
from calaim.reports.reasons import Note
from calaim.web.program_names import is_program_id, program_name
from calaim.web.reason_words import say_note
from calaim.web.referral_actions import closure_label

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@pass_context
def _day(context: Any, value: dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(local_zone()).date()
    return str(format_date(value, format="medium", locale=context.get("language", "en")))


@pass_context
def _moment(context: Any, value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(local_zone())
    return str(format_datetime(local, format="medium", locale=context.get("language", "en")))


@pass_context
def _label(context: Any, value: object) -> str:
    text = str(value or "")
    if is_program_id(text):
        return program_name(text, context.get("language", "en"))
    return (
        text.split(".", 1)[-1].replace("_", " ")
        if text.startswith("cs.")
        else (text.replace("_", " "))
    )


@pass_context
def _note(context: Any, note: Note) -> str:
    return say_note(note, context["_"], lambda day: _day(context, day))


def reference_number(record_id: object, kind: str) -> str:
    """A record's short number as people read and search for it (`R-1A2B3C4D`)."""
    return reference(kind, record_id) if isinstance(record_id, uuid.UUID) else ""


@cache
def environment() -> Environment:
    """The one template environment (templates are cached after first load)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = _day
    env.filters["moment"] = _moment
    env.filters["label"] = _label
    env.filters["note"] = _note
    env.filters["number"] = reference_number
    env.filters["language_name"] = language_name
    env.filters["closure_words"] = lambda reason: closure_label(reason) or ""
    return env
