"""Splitting X12 text into segments, with the delimiters the ISA header declares.

Errors say which segment (1-based, counting from ISA) and element is wrong and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

ISA_LENGTH = 106


class X12SyntaxError(ValueError):
    """The text is not well-formed X12; names the segment number and element."""

    def __init__(self, message: str, *, segment: int, element: str | None = None) -> None:
        where = f"segment {segment}" + (f", element {element}" if element else "")
        super().__init__(f"{where}: {message}")
        self.segment = segment
        self.element = element


@dataclass(frozen=True)
class Segment:
    """One segment: its position, id and elements (element 1 is `elements[0]`)."""

    number: int
    id: str
    elements: tuple[str, ...]
    component: str

    def get(self, position: int) -> str:
        """Element `position` (1-based), or "" when absent."""
        return self.elements[position - 1] if len(self.elements) >= position else ""

    def parts(self, position: int) -> list[str]:
        """The components of a composite element."""
        return self.get(position).split(self.component)

    def name(self, position: int) -> str:
        """The element's reference, e.g. CLP04."""
        return f"{self.id}{position:02d}"


def tokenize(text: str) -> list[Segment]:
    """Every segment of an X12 interchange (delimiters read from the ISA)."""
    data = text.lstrip("\ufeff \r\n\t")
    if not data.startswith("ISA") or len(data) < ISA_LENGTH:
        raise X12SyntaxError(
            "the file does not start with a complete ISA segment; is it an X12 835?",
            segment=1,
            element="ISA01",
        )
    element, component, terminator = data[3], data[104], data[105]
    if len({element, component, terminator}) < 3 or any(c.isalnum() for c in (element, terminator)):
        raise X12SyntaxError(
            "the ISA header's delimiters are missing or repeated (check ISA16 and the segment "
            "terminator)",
            segment=1,
            element="ISA16",
        )
    segments: list[Segment] = []
    for raw in data.split(terminator):
        raw = raw.strip("\r\n")
        if not raw.strip():
            continue
        fields = raw.split(element)
        number = len(segments) + 1
        seg_id = fields[0].strip()
        if not (2 <= len(seg_id) <= 3 and seg_id.isalnum() and seg_id.isupper()):
            raise X12SyntaxError(f"{seg_id[:10]!r} is not a segment id", segment=number)
        segments.append(Segment(number, seg_id, tuple(fields[1:]), component))
    return segments
