"""The Jinja2 environment: templates under templates/, autoescaped, with date filters.

Filters (each formats for the page's language):
- `day`: a date, e.g. "Oct 1, 2025" / "1 oct 2025";
- `moment`: a time-zone aware datetime in California time, e.g. "Oct 1, 2025, 9:00 AM";
- `label`: a code such as `plan_care_coordination` as words ("plan care coordination").
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape

from calaim.ops.calendar.business_days import local_zone
from calaim.ops.members.languages import language_name

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


def _label(value: object) -> str:
    text = str(value or "")
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
    env.filters["language_name"] = language_name
    return env
