"""The Jinja2 environment: templates under templates/, autoescaped, with date filters.

Filters (each formats for the page's language):
- `day`: a date, e.g. "Oct 1, 2025" / "1 oct 2025";
- `moment`: a time-zone aware datetime in California time, e.g. "Oct 1, 2025, 9:00 AM";
- `label`: a code such as `plan_care_coordination` as words ("plan care coordination"); a
  program id as the program's plain name in the page's language (`web/program_names.py`).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape

from calaim.ops.calendar.business_days import local_zone
from calaim.web.program_names import is_program_id, program_name

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
    return env
