"""The evaluation report: HTML (Jinja2, inline accessible SVG charts) and PDF (WeasyPrint)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from calaim.reports.evaluation.charts import describe, event_svg
from calaim.reports.evaluation.did import Estimate
from calaim.reports.evaluation.run import Evaluation
from calaim.reports.evaluation.spec import MONEY_OUTCOMES, OUTCOMES, STRATA
from calaim.reports.evaluation.summary import program_name, summary

ENV = Environment(
    loader=PackageLoader("calaim.reports.evaluation", "templates"),
    autoescape=select_autoescape(["html"]),
)


LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "zh": "Chinese",
    "vi": "Vietnamese",
    "tl": "Tagalog",
    "ko": "Korean",
    "ru": "Russian",
    "ar": "Arabic",
    "hy": "Armenian",
    "fa": "Farsi",
    "hmn": "Hmong",
    "km": "Khmer",
    "pa": "Punjabi",
    "ja": "Japanese",
    "lo": "Lao",
    "hi": "Hindi",
    "pt": "Portuguese",
    "th": "Thai",
    "uk": "Ukrainian",
}
COVARIATES = {
    "age": "Age",
    "age_band": "Age band",
    "sex": "Sex",
    "race_ethnicity": "Race and ethnicity",
    "language": "Language",
    "county": "County",
    "pof": "Population of Focus",
    "pre_ed_visits": "ED visits before",
    "pre_ip_admits": "Hospital admissions before",
    "pre_ip_days": "Hospital days before",
    "pre_snf_days": "SNF days before",
    "pre_paid": "Total paid before (log)",
}


def group_label(dimension: str, value: str) -> str:
    """A group as people read it: language names, capitalized words."""
    if dimension == "language":
        return LANGUAGES.get(value, value)
    return value[:1].upper() + value[1:]


def covariate_label(name: str) -> str:
    """'age_band=50-64' as 'Age band: 50-64'."""
    base, _, level = name.partition("=")
    label = COVARIATES.get(base, base)
    return f"{label}: {group_label(base, level)}" if level else label


def fmt(outcome: str, value: float) -> str:
    """A number for a table cell: dollars for money, 4 decimals for rates."""
    if math.isnan(value):
        return "–"
    return f"${value:,.2f}" if outcome in MONEY_OUTCOMES else f"{value:.4f}"


def _result(e: Estimate) -> dict[str, str]:
    o = e.outcome
    return {
        "label": OUTCOMES[o],
        "tp": fmt(o, e.treated_pre),
        "tq": fmt(o, e.treated_post),
        "cp": fmt(o, e.control_pre),
        "cq": fmt(o, e.control_post),
        "est": fmt(o, e.estimate),
        "ci": f"{fmt(o, e.ci_low)} to {fmt(o, e.ci_high)}",
    }


def _strata(ev: Evaluation) -> list[dict[str, Any]]:
    dims = []
    for dim, label in STRATA.items():
        rows = []
        for s in (s for s in ev.strata if s.dimension == dim):
            by = {e.outcome: e for e in s.estimates}
            cells = [
                f"{fmt(o, by[o].estimate)} ({fmt(o, by[o].ci_low)} to {fmt(o, by[o].ci_high)})"
                if o in by
                else "–"
                for o in OUTCOMES
            ]
            label = group_label(dim, s.value)
            rows.append({"value": label, "n": s.treated_members, "cells": cells})
        dims.append({"label": label, "rows": rows})
    return dims


def render_html(ev: Evaluation) -> str:
    """The report as one self-contained HTML page."""
    charts = [
        {"svg": event_svg(study, f"chart-{study.outcome}"), "caption": describe(study)}
        for study in ev.events
        if not study.table.empty
    ]
    balance = [
        {
            "covariate": covariate_label(str(r.covariate)),
            "before": f"{r.smd_before:.3f}",
            "after": f"{r.smd_after:.3f}",
        }
        for r in ev.balance.itertuples()
    ]
    return ENV.get_template("evaluation.html").render(
        name=program_name(ev.spec.program_id),
        summary=summary(ev),
        spec=ev.spec,
        policy_hash=ev.policy_hash,
        fingerprint=ev.input_fingerprint,
        cohort=ev.cohort,
        unmatched=ev.unmatched,
        results=[_result(e) for e in ev.estimates],
        charts=charts,
        strata=_strata(ev),
        outcome_labels=list(OUTCOMES.values()),
        balance=balance,
    )


def write_report(ev: Evaluation, folder: Path, *, pdf: bool = True) -> list[Path]:
    """Write report.html (and report.pdf) into `folder`; return the paths written."""
    html = render_html(ev)
    path = folder / "report.html"
    path.write_text(html, encoding="utf-8")
    written = [path]
    if pdf:
        from weasyprint import HTML

        pdf_path = folder / "report.pdf"
        HTML(string=html).write_pdf(pdf_path)
        written.append(pdf_path)
    return written
