"""What a search box's text is: a birth date, a CIN, a phone, a record number, or a name."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from dataclasses import dataclass
from enum import StrEnum


class QueryKind(StrEnum):
    """How the text is read."""

    BIRTH_DATE = "birth_date"
    CIN = "cin"
    PHONE = "phone"
    NUMBER = "number"
    NAME = "name"


@dataclass(frozen=True)
class SearchQuery:
    """The parsed text: its kind and the value to look for."""

    text: str
    kind: QueryKind
    value: str
    birth_date: dt.date | None = None


# A Medi-Cal CIN: 9 characters, digits and a letter (calaim takes any id with a digit in it).
_CIN = re.compile(r"^(?=.*\d)[0-9A-Z]{6,14}$")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y")
# A referral or authorization number as shown on its page: R-1A2B3C4D or A-1A2B3C4D.
_NUMBER = re.compile(r"^(?:[RA]-?)?([0-9A-F]{8})$")
_VOWELS = str.maketrans("", "", "aeiouy")


def reference(kind: str, record_id: uuid.UUID) -> str:
    """The short number people read and search for: `R-1A2B3C4D` (referral), `A-…`."""
    return f"{kind}-{record_id.hex[:8].upper()}"


def number_range(prefix: str) -> tuple[uuid.UUID, uuid.UUID]:
    """The ids whose number is `prefix` (8 hex digits): a range the primary key can serve."""
    low = uuid.UUID(prefix.lower() + "0" * 24)
    high = uuid.UUID(prefix.lower() + "f" * 24)
    return low, high


def fold(text: str) -> str:
    """Lower case, accents removed, one space between words (names as the index keeps them)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w' -]", " ", plain.lower()).split())


def skeleton(text: str) -> str:
    """A name without vowels (and y): the SQLite index's second key, for typos in vowels."""
    return text.translate(_VOWELS)


def parse(text: str) -> SearchQuery | None:
    """The kind of search `text` asks for; None when there is nothing to search for."""
    cleaned = " ".join(text.split())[:100]
    if len(cleaned) < 2:
        return None
    upper = cleaned.upper().replace(" ", "")
    for pattern in _DATE_FORMATS:
        try:
            born = dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
        return SearchQuery(cleaned, QueryKind.BIRTH_DATE, born.isoformat(), born)
    digits = re.sub(r"[\s().+-]", "", cleaned)
    if digits.isdigit() and len(digits) in (10, 11):
        return SearchQuery(cleaned, QueryKind.PHONE, digits[-10:])
    number = _NUMBER.match(upper)
    if number and (upper[:2] in ("R-", "A-") or (len(upper) == 8 and not upper.isalpha())):
        return SearchQuery(cleaned, QueryKind.NUMBER, number.group(1))
    if _CIN.match(upper):
        return SearchQuery(cleaned, QueryKind.CIN, upper)
    name = fold(cleaned)
    if len(name.replace(" ", "")) < 2:
        return None
    return SearchQuery(cleaned, QueryKind.NAME, name)


def phone_forms(digits: str) -> list[str]:
    """The ways a 10-digit phone is written in member records."""
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return [digits, f"{a}-{b}-{c}", f"({a}) {b}-{c}", f"{a}.{b}.{c}", f"{a} {b} {c}"]
