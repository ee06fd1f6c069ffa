"""The member pages' languages: Medi-Cal's threshold languages, translations kept as data.

Each language's strings are in `translations/<lang>/LC_MESSAGES/member.po` (English is the
source). Every entry carries a flag saying whether a person has reviewed it: `reviewed`, or
`unreviewed` (a draft, e.g. machine translated). Pages in a language with unreviewed strings
say so. Farsi and Arabic are written right to left.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import cache

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from fastapi import Request

from calaim.web.i18n import TRANSLATIONS

LANGUAGE_COOKIE = "calaim_me_lang"
CATALOG = "member.po"
DEFAULT = "en"
# Code -> the language's own name (shown in the chooser, never translated).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "zh": "中文",
    "vi": "Tiếng Việt",
    "tl": "Tagalog",
    "ko": "한국어",
    "hy": "Հայերեն",
    "ru": "Русский",
    "fa": "فارسی",
    "ar": "العربية",
}
RIGHT_TO_LEFT = frozenset({"fa", "ar"})
REVIEWED, UNREVIEWED = "reviewed", "unreviewed"


@dataclass(frozen=True)
class ReviewStatus:
    """How many of a language's strings a person has reviewed."""

    language: str
    reviewed: int
    total: int

    @property
    def complete(self) -> bool:
        """Whether every string has been reviewed."""
        return self.reviewed == self.total


@cache
def catalog(language: str) -> Catalog | None:
    """The member catalog of `language` (None for English, the source)."""
    path = TRANSLATIONS / language / "LC_MESSAGES" / CATALOG
    if language == DEFAULT or not path.exists():
        return None
    with path.open("rb") as source:
        return read_po(source, locale="fil" if language == "tl" else language)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled member catalog of `language` (English: the source strings)."""
    found = catalog(language)
    if found is None:
        return gettext.NullTranslations()
    compiled = io.BytesIO()
    write_mo(compiled, found)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def review_status(language: str) -> ReviewStatus:
    """Reviewed and total strings of `language` (English is the source: all reviewed)."""
    found = catalog(language)
    if found is None:
        return ReviewStatus(language, 1, 1)
    entries = [m for m in found if m.id]
    done = sum(1 for m in entries if REVIEWED in m.flags and m.string)
    return ReviewStatus(language, done, len(entries))


def language_of(request: Request) -> str:
    """The language the member chose (cookie), else their browser's, else English."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in LANGUAGES:
            return code
    return DEFAULT
