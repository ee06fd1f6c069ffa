"""Translations: gettext catalogs (English source strings, Spanish shipped), chosen by cookie.

The catalog is `translations/<lang>/LC_MESSAGES/messages.po`, plus one catalog per area of
the workspace beside it (`reentry.po`, `network.po`, ...), merged in: an area catalog fills any
message `messages.po` lacks or leaves blank (so a `pybabel update` that adds blank entries to
`messages.po` never hides an area's translation). Compiled in memory on first use (no build
step, so a fresh clone works). Strings in Python code that a template shows later
are marked with `N_()` and translated when rendered with `_()`.

To refresh the catalog after changing strings:
`uv run pybabel extract -F src/calaim/web/babel.cfg -k N_ -o /tmp/messages.pot src/calaim/web`
then `uv run pybabel update -i /tmp/messages.pot -d src/calaim/web/translations` and translate
the new entries (tests/web/test_i18n.py fails while any is missing).
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from fastapi import Request

LANGUAGE_COOKIE = "calaim_lang"
DEFAULT_LANGUAGE = "en"
# Code -> the language's own name (shown in the switcher, never translated).
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
TRANSLATIONS = Path(__file__).parent / "translations"


def N_(message: str) -> str:
    """Mark `message` for translation where it is shown; returns it unchanged."""
    return message


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language` (English: the source strings themselves)."""
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    po = folder / "messages.po"
    if language == DEFAULT_LANGUAGE or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=language)
    # Other catalogs in the folder (one per area of the workspace) add their messages.
    for extra in sorted(folder.glob("*.po")):
        if extra.name != po.name:
            with extra.open("rb") as source:
                for message in read_po(source, locale=language):
                    if message.id and message.string and not _translated(catalog, message.id):
                        catalog[message.id] = message
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _translated(catalog: Catalog, message_id: object) -> bool:
    found = catalog.get(message_id)  # type: ignore[arg-type]
    return bool(found is not None and found.string)


def language_of(request: Request) -> str:
    """The language the browser chose (its cookie), else English."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def gettext_for(request: Request) -> gettext.NullTranslations:
    """The request's translations."""
    return translations(language_of(request))
