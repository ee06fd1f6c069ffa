"""Programs by their plain names, in the page's language: never an id on a screen.

The names are data (`policy/reference/program_names.csv`: id, English, Spanish), short enough
for a table cell and written for staff and members, not the registry's formal titles. A program
missing from the file falls back to the registry's name, then to its id as words.
"""

from __future__ import annotations

import csv
from functools import cache

from calaim.engine.loading.policy import default_policy_dir
from calaim.web.i18n import N_

NAMES_FILE = "reference/program_names.csv"


@cache
def _names() -> dict[str, dict[str, str]]:
    path = default_policy_dir() / NAMES_FILE
    with path.open(encoding="utf-8") as handle:
        return {
            row["id"]: {k: v for k, v in row.items() if k != "id"} for row in csv.DictReader(handle)
        }


def is_program_id(value: str) -> bool:
    """Whether `value` is one of the shipped programs' ids."""
    return value in _names()


def program_name(program_id: str, language: str = "en") -> str:
    """The plain name of `program_id` in `language` (English when not translated)."""
    names = _names().get(program_id)
    if names is None:
        return program_id.split(".", 1)[-1].replace("_", " ")
    return names.get(language) or names["en"]


# The reasons' sentences (reports/reasons.py), marked here so the catalog carries them.
REASON_TEXTS = (
    N_(
        "Meets the criteria of %(program)s on %(on)s, but an exclusion applies "
        "(for example, a service that would duplicate it)."
    ),
    N_(
        "Meets the criteria of %(program)s on %(on)s, but the member's plan does not offer it "
        "in %(county)s on that date."
    ),
    N_("Meets the statewide criteria of %(program)s on %(on)s."),
    N_("Does not meet the criteria of %(program)s on %(on)s."),
    N_(
        "The result for %(program)s on %(on)s may rest on information protected by 42 CFR Part 2, "
        "which you may see only with the member's written consent; the member's plan can tell you "
        "more."
    ),
)


def program_ids() -> list[str]:
    """Every shipped program's id, in the file's order."""
    return list(_names())
