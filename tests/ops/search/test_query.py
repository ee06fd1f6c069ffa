"""How the search box reads what was typed, and how close a name must be to be found."""

from __future__ import annotations

import uuid
from difflib import SequenceMatcher

import pytest

from calaim.ops.search.names import WORD_MATCH, name_score
from calaim.ops.search.query import QueryKind, fold, number_range, parse, phone_forms, reference


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("1970-05-17", QueryKind.BIRTH_DATE, "1970-05-17"),
        ("05/17/1970", QueryKind.BIRTH_DATE, "1970-05-17"),
        ("91234567A", QueryKind.CIN, "91234567A"),
        ("91234567a", QueryKind.CIN, "91234567A"),
        ("(213) 555-0142", QueryKind.PHONE, "2135550142"),
        ("+1 213 555 0142", QueryKind.PHONE, "2135550142"),
        ("R-1A2B3C4D", QueryKind.NUMBER, "1A2B3C4D"),
        ("a-1a2b3c4d", QueryKind.NUMBER, "1A2B3C4D"),
        ("1a2b3c4d", QueryKind.NUMBER, "1A2B3C4D"),
        ("  Rosa   Delgado ", QueryKind.NAME, "rosa delgado"),
        ("José Núñez", QueryKind.NAME, "jose nunez"),
        ("deadbeef", QueryKind.NAME, "deadbeef"),
    ],
)
def test_the_text_is_read_as_what_it_looks_like(typed: str, kind: QueryKind, value: str) -> None:
    query = parse(typed)
    assert query is not None
    assert (query.kind, query.value) == (kind, value)


@pytest.mark.parametrize("typed", ["", " ", "a", "13/45/2020x", "--"])
def test_too_little_to_search_for_is_nothing(typed: str) -> None:
    found = parse(typed)
    assert found is None or found.kind == QueryKind.NAME


def test_a_number_is_the_start_of_the_record_id() -> None:
    record = uuid.UUID("1a2b3c4d-0000-4000-8000-000000000001")
    assert reference("R", record) == "R-1A2B3C4D"
    low, high = number_range("1A2B3C4D")
    assert low <= record <= high
    assert not low <= uuid.UUID("1a2b3c4e-0000-4000-8000-000000000000") <= high


def test_a_phone_is_looked_for_as_records_write_it() -> None:
    assert "213-555-0142" in phone_forms("2135550142")
    assert "(213) 555-0142" in phone_forms("2135550142")


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("rosa delgado", True),
        ("delgado", True),
        ("delg", True),
        ("rosa delgadoo", True),  # one letter too many
        ("rosa dlegado", True),  # two letters swapped
        ("delgada", True),  # one letter wrong: 6 of 7 letters
        ("rosa smith", False),  # one word matches, the other is someone else
        ("maria", False),
        ("do", False),  # too short to be a prefix of the first word... but is of none
    ],
)
def test_names_are_found_despite_typos_but_not_strangers(typed: str, found: bool) -> None:
    assert (name_score(typed, "Rosa", "Delgado") > 0) is found


def test_the_exact_name_ranks_above_a_near_one() -> None:
    exact = name_score("rosa delgado", "Rosa", "Delgado")
    near = name_score("rosa delgado", "Rosa", "Delgada")
    assert exact > near > 0


def test_the_quick_bounds_never_change_a_score() -> None:
    # word_score skips the exact ratio when a bound shows the word can't count: the scores
    # name_score gives must be those of the exact ratio everywhere.
    def exact(typed: str, first: str, last: str) -> float:
        words = fold(f"{first} {last}").split()
        best = [
            max(
                1.0 if w.startswith(t) and len(t) > 1 else SequenceMatcher(None, t, w).ratio()
                for w in words
            )
            for t in fold(typed).split()
        ]
        return 0.0 if min(best) < WORD_MATCH else sum(best) / len(best)

    typed = ["rosa delgado", "dlegado", "maria gacria", "smyth", "wei ngyuen", "ana", "lopez x"]
    names = [("Rosa", "Delgado"), ("Maria", "Garcia"), ("John", "Smith"), ("Wei", "Nguyen")]
    for text in typed:
        for first, last in names:
            assert name_score(text, first, last) == exact(text, first, last), (text, last)
