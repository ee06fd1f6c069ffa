"""pyx12's validator behind one small typed function (pyx12 ships no type hints)."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass
from typing import Any, cast

import pyx12.params  # type: ignore[import-untyped]
import pyx12.x12n_document  # type: ignore[import-untyped]


@dataclass(frozen=True)
class X12Issue:
    """One problem pyx12 found: where (segment number, id, element) and what."""

    segment_number: int | None
    segment_id: str
    element: str | None
    message: str

    def __str__(self) -> str:
        where = f"segment {self.segment_number} ({self.segment_id})"
        if self.element:
            where += f", element {self.element}"
        return f"{where}: {self.message}"


def validate(text: str) -> list[X12Issue]:
    """Every error pyx12 reports for an X12 document (empty when it is valid)."""
    report = io.StringIO()
    # pyx12 logs each error at ERROR level as well; the report below carries them.
    logging.getLogger("pyx12").setLevel(logging.CRITICAL)
    try:
        ok = pyx12.x12n_document.x12n_document(
            pyx12.params.ParamsBase(), io.StringIO(text), None, None, None, report
        )
    except Exception as error:  # pyx12 raises its own errors on badly broken envelopes
        return [X12Issue(None, "ISA", None, f"not a readable X12 document ({error})")]
    issues = list(_issues(cast(dict[str, Any], json.loads(report.getvalue() or "{}"))))
    if not ok and not issues:
        issues.append(X12Issue(None, "ISA", None, "pyx12 rejected the interchange envelope"))
    return issues


def _issues(node: dict[str, Any], segment: str = "ISA") -> list[X12Issue]:
    """Flatten pyx12's nested report (interchange, group, transaction, segment, element)."""
    found = [X12Issue(None, segment, None, e["err_str"]) for e in node.get("errors", [])]
    for seg in node.get("segments", []):
        number = seg.get("seg_count")
        found += [X12Issue(number, seg["seg_id"], None, e["err_str"]) for e in seg["errors"]]
        for element in seg.get("elements", []):
            name = f"{seg['seg_id']}{int(element['ele_pos']):02d}"
            found += [
                X12Issue(number, seg["seg_id"], name, e["err_str"]) for e in element["errors"]
            ]
    for key, child_segment in (("interchanges", "ISA"), ("groups", "GS"), ("transactions", "ST")):
        for child in node.get(key, []):
            found += _issues(child, child_segment)
    return found
