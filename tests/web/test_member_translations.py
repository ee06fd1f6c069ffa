"""The member pages' translations are data: every member string in every threshold language,
placeholders intact, each entry flagged reviewed or unreviewed, and docs/member.md's table of
review status matching the catalogs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

import calaim.web
from calaim.web.member.i18n import LANGUAGES, REVIEWED, UNREVIEWED, catalog, review_status

WEB = Path(calaim.web.__file__).parent
DOCS = Path(__file__).resolve().parents[2] / "docs" / "member.md"
KEYWORDS = {"_": None, "N_": None, "gettext": None}
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def member_strings() -> set[str]:
    """Every string the member pages mark for translation (their code and templates)."""
    found = set()
    for folder, method in (("member", "**.py"), ("templates/me", "**.html")):
        kind = "python" if method.endswith("py") else "jinja2"
        for _f, _l, message, _c, _x in extract_from_dir(
            WEB / folder, [(method, kind)], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_member_string_is_translated_with_its_placeholders(language: str) -> None:
    entries = {m.id: m for m in (catalog(language) or []) if m.id}
    wanted = member_strings()
    assert len(wanted) > 100
    missing = sorted(s for s in wanted if not entries.get(s) or not entries[s].string)
    assert missing == []
    for source in wanted:
        entry = entries[source]
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(str(entry.string)))
        assert len({REVIEWED, UNREVIEWED} & set(entry.flags)) == 1, source


def test_the_docs_show_each_languages_review_status() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for code, name in LANGUAGES.items():
        if code == "en":
            assert "| English | `en` | the source |" in text
            continue
        status = review_status(code)
        row = f"| {name} | `{code}` | {status.reviewed} of {status.total} |"
        assert row in text, row


def syllables(word: str) -> int:
    """Syllables of an English word, by vowel groups (a silent final e not counted)."""
    cleaned = re.sub(r"[^a-z]", "", word.lower())
    groups = len(re.findall(r"[aeiouy]+", cleaned))
    if cleaned.endswith("e") and not cleaned.endswith(("le", "ee")) and groups > 1:
        groups -= 1
    return max(groups, 1)


def grade(text: str) -> float:
    """The Flesch-Kincaid grade level of `text`."""
    words = text.split()
    sentences = max(1, len(re.findall(r"[.!?](\s|$)", text)))
    per_word = sum(syllables(w) for w in words) / len(words)
    return 0.39 * len(words) / sentences + 11.8 * per_word - 15.59


def test_the_member_pages_read_at_about_a_sixth_grade_level() -> None:
    # Every sentence of four words or more, placeholders read as a short word.
    texts = [PLACEHOLDER.sub("it", s) for s in member_strings() if len(s.split()) >= 4]
    assert grade(" ".join(texts)) <= 6
    hardest = max(texts, key=grade)
    assert grade(hardest) < 10, hardest
    assert (
        grade("Substantial administrative considerations necessitate comprehensive evaluation.")
        > 10
    )
