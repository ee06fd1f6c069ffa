"""The one rule for control characters in text: the API and every file importer refuse them.

NUL above all (PostgreSQL refuses it outright), and the other C0 controls and DEL: no name,
code, address or note holds one. Text is stripped of surrounding whitespace first, then checked.
"""

from __future__ import annotations

import re

# For pydantic `pattern=`: a whole value without any control character.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"
# For SQL regular expressions (DuckDB): one control character anywhere.
CONTROL_CHARACTER_SQL = r"[\x00-\x1f\x7f]"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
ACTION = "remove it (NUL, tabs, line breaks and other control characters are refused)"


def control_character(text: str) -> str | None:
    """The first control character of `text`, named for people (`NUL (0x00)`), else None."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    code = ord(found.group())
    name = {0: "NUL", 9: "tab", 10: "line break", 13: "carriage return", 127: "DEL"}
    return f"{name.get(code, 'control character')} (0x{code:02X})"


def control_character_problem(text: str) -> str | None:
    """What is wrong with `text` under the rule (None when nothing is)."""
    found = control_character(text)
    return f"holds a {found}" if found else None
