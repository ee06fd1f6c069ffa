"""Accessible event-study charts: matplotlib SVG with a title and a text description.

Each chart is an inline SVG with role="img", a <title> and a <desc> that states the numbers in
words; the report also prints the same numbers as a table. Colours come from a
colour-blind-safe pair and the interval is drawn as bars, not by colour alone.
"""

from __future__ import annotations

import io
import re
from html import escape
from typing import Any

import matplotlib
from matplotlib.figure import Figure

from calaim.reports.evaluation.did import EventStudy
from calaim.reports.evaluation.spec import OUTCOMES

INK, ACCENT = "#1b1b1b", "#0072b2"
# Stable ids (the same data, the same file) and text kept as text: smaller, and readable by
# screen readers and search.
STYLE: dict[Any, Any] = {
    "svg.hashsalt": "calaim",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
}


def describe(study: EventStudy) -> str:
    """The chart in words: what the effect was before and after the start."""
    table = study.table.dropna(subset=["ci_low"])
    before = table[table["rel"] < 0]["estimate"].mean()
    after = table[table["rel"] >= 0]["estimate"].mean()
    label = OUTCOMES[study.outcome].lower()
    return (
        f"Difference between members who started and similar members who did not, in "
        f"{label} per member per month, by month from the start (month before = 0). "
        f"Average before the start: {before:.4f}; after: {after:.4f}."
    )


def event_svg(study: EventStudy, chart_id: str) -> str:
    """The event-study chart of one outcome as an accessible inline SVG."""
    with matplotlib.rc_context(STYLE):
        return _accessible(_draw(study), study, chart_id)


def _draw(study: EventStudy) -> str:
    table = study.table
    fig = Figure(figsize=(6.4, 2.8))
    ax = fig.add_subplot()
    err = [table["estimate"] - table["ci_low"], table["ci_high"] - table["estimate"]]
    ax.errorbar(
        table["rel"],
        table["estimate"],
        yerr=err,
        fmt="o",
        color=ACCENT,
        ecolor=ACCENT,
        elinewidth=1.2,
        capsize=2,
        markersize=4,
    )
    ax.axhline(0, color=INK, linewidth=0.8)
    ax.axvline(-0.5, color=INK, linewidth=0.8, linestyle="--")
    ax.set_xlabel("Months from the start (0 = month the service started)")
    ax.set_ylabel("Difference per member-month")
    ax.set_title(OUTCOMES[study.outcome])
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _accessible(svg: str, study: EventStudy, chart_id: str) -> str:
    svg = svg[svg.index("<svg") :]
    title = escape(f"Event study: {OUTCOMES[study.outcome]}")
    head = f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
    svg = re.sub(r"^<svg ", head, svg, count=1)
    close = svg.index(">") + 1
    return (
        svg[:close]
        + f'<title id="{chart_id}-t">{title}</title>'
        + f'<desc id="{chart_id}-d">{escape(describe(study))}</desc>'
        + svg[close:]
    )
