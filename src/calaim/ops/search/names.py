"""Typo-tolerant name matching: how close a member's name is to what was typed (0 to 1).

The database index (pg_trgm on PostgreSQL, FTS5 trigrams on SQLite) finds candidates fast;
this score ranks them the same way on both databases and drops the ones too far off.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from calaim.ops.search.query import fold

# A typed word this close to a word of the name counts as that word ("smyth" ~ "smith": 0.8).
WORD_MATCH = 0.7


@lru_cache(maxsize=8192)
def word_score(typed: str, word: str) -> float:
    """How close one typed word is to one word of a name (a prefix counts fully).

    Below WORD_MATCH only "too far" matters (name_score drops the name unless another word
    matches), so a cheap upper bound under it is returned as is: the exact ratio is computed
    only for words that may count. Names repeat, so the scores are cached.
    """
    if word.startswith(typed) and len(typed) >= 2:
        return 1.0
    matcher = SequenceMatcher(None, typed, word)
    bound = matcher.real_quick_ratio()
    if bound < WORD_MATCH:
        return bound
    bound = matcher.quick_ratio()
    return bound if bound < WORD_MATCH else matcher.ratio()


def name_score(typed: str, first_name: str, last_name: str) -> float:
    """The mean of each typed word's best match among the name's words; 0 if one misses."""
    words = fold(f"{first_name} {last_name}").split()
    typed_words = fold(typed).split()
    if not words or not typed_words:
        return 0.0
    best = [max(word_score(t, w) for w in words) for t in typed_words]
    if min(best) < WORD_MATCH:
        return 0.0
    return sum(best) / len(best)
