"""The eligibility reasons' notes (the rules' date and confidence, the go-live) in the page's
language: `say_note` is the `note` filter of the templates (`parts/reason.html`).

The English templates live in `calaim.reports.reasons`; they are marked here so the catalog
carries them (tests/web/test_i18n.py fails on a missing translation), with the confidence
words of `calaim.engine.explain_text.CONFIDENCE_WORDS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from calaim.reports.reasons import Note
from calaim.web.i18n import N_

NOTE_TEXTS = (
    N_("Rules in force from %(version)s: %(confidence)s."),
    N_("Not live in %(county)s County on any date calaim knows of."),
    N_("Goes live in %(county)s County on %(day)s."),
    N_("Goes live in %(county)s County on %(day)s (counties went live at different times)."),
    N_("In effect statewide since %(day)s."),
    N_("Live in %(county)s County since %(day)s (counties went live at different times)."),
    N_("confirmed in a published source"),
    N_("from DHCS guidance as recalled, not yet confirmed in a source"),
    N_("a modelling choice calaim makes where DHCS is silent"),
)


def say_note(note: Note, translate: Callable[[str], str], day: Callable[[dt.date], str]) -> str:
    """The note in the language of `translate`, its dates written by `day`."""
    values = {
        key: day(value) if isinstance(value, dt.date)
        else translate(str(value)) if key in note.words
        else value
        for key, value in note.values.items()
    }  # fmt: skip
    return translate(note.text) % values
