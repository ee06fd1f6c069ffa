"""Letters as PDF: a per-language HTML template and word list, rendered by WeasyPrint.

A language is a folder under `templates/` (`letter.html` and `words.yaml`); adding a threshold
language is adding a folder. A member whose language has no folder gets English (the letter
carries the taglines that offer it in other languages).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, select_autoescape

from calaim.ops.models.letter import LetterKind
from calaim.ops.policy import shipped_policy

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_LANGUAGE = "en"


def languages() -> list[str]:
    """The languages letters are written in."""
    return sorted(p.name for p in TEMPLATES.iterdir() if (p / "letter.html").exists())


def letter_language(preferred: str | None) -> str:
    """The member's language if letters are written in it, else English."""
    code = (preferred or "").strip().lower()[:2]
    return code if code in languages() else DEFAULT_LANGUAGE


@cache
def words(language: str) -> dict[str, Any]:
    """The language's word list."""
    with (TEMPLATES / language / "words.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def program_name(program_id: str, language: str) -> str:
    """The program's name in `language` (English from the policy registry)."""
    translated = words(language).get("programs", {}).get(program_id)
    if translated:
        return str(translated)
    program = shipped_policy().programs.get(program_id)
    return program.name if program else program_id


@dataclass(frozen=True)
class LetterFacts:
    """Everything a letter says, in plain values (no ids)."""

    kind: LetterKind
    language: str
    letter_date: dt.date
    plan_name: str
    member_name: str
    program_id: str
    decided_by: str
    decided_at: dt.date
    member_address: list[str] = field(default_factory=list)
    provider_name: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    units: Decimal | None = None
    frequency: str | None = None
    reason_code: str | None = None
    reason_text: str | None = None
    information: str | None = None
    decide_by: dt.date | None = None
    rights: dict[str, int] = field(default_factory=dict)


def context(facts: LetterFacts) -> dict[str, Any]:
    """The template's values: dates and words in the letter's language."""
    said = words(facts.language)

    def day(value: dt.date | None) -> str:
        return str(format_date(value, format="long", locale=facts.language)) if value else ""

    provider = (
        said["provider"].format(name=facts.provider_name)
        if facts.provider_name
        else said["no_provider"]
    )
    units = f"{facts.units.normalize():f}" if facts.units is not None else None
    return {
        "kind": facts.kind.value,
        "title": said["titles"][facts.kind.value],
        "plan_name": facts.plan_name,
        "letter_date": day(facts.letter_date),
        "member_name": facts.member_name,
        "member_address": facts.member_address,
        "program": program_name(facts.program_id, facts.language),
        "provider_phrase": provider,
        "start": day(facts.start),
        "end": day(facts.end),
        "units": units,
        "frequency": said["frequencies"].get(facts.frequency or "", ""),
        "reason_label": said["denial_reasons"].get(facts.reason_code or "", ""),
        "reason_text": facts.reason_text,
        "information": facts.information,
        "decide_by": day(facts.decide_by),
        "decided_by": facts.decided_by,
        "decided_on": day(facts.decided_at),
        **facts.rights,
    }


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def html(facts: LetterFacts) -> str:
    """The letter as HTML."""
    template = _environment().get_template(f"{facts.language}/letter.html")
    return template.render(context(facts))


def pdf(facts: LetterFacts) -> bytes:
    """The letter as PDF."""
    # Imported here: WeasyPrint loads Pango at import, which only letter rendering needs.
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=str(TEMPLATES / "style.css"))
    rendered: bytes = HTML(string=html(facts), base_url=str(TEMPLATES)).write_pdf(
        stylesheets=[stylesheet]
    )
    return rendered
