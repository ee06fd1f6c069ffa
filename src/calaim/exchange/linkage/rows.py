"""Classifying linked rows: which person each cluster is, and what the report says of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from calaim.exchange.linkage.findings import (
    ContactChange,
    ReportRow,
    contact_changes,
    display_name,
    ended,
    evidence,
)
from calaim.exchange.linkage.model import LinkageModel
from calaim.exchange.linkage.persons import PersonResolver
from calaim.ops.models import LinkedPerson, Member


@dataclass
class Classified:
    """What the rows of one file amount to."""

    rows: list[ReportRow] = field(default_factory=list)
    people: list[tuple[LinkedPerson, dict[str, Any]]] = field(default_factory=list)
    matched: dict[int, Member] = field(default_factory=dict)  # by file row
    changes: list[tuple[Member, dict[str, ContactChange]]] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)  # known keys


def classify(
    rows: list[dict[str, Any]],
    members: dict[str, Member],
    resolver: PersonResolver,
    model: LinkageModel,
    as_of: dt.date,
) -> Classified:
    """Resolve each cluster's person and sort each row into report categories."""
    out = Classified()
    thresholds = model.thresholds
    clusters: dict[str, LinkedPerson] = {}
    members_changed: set[str] = set()
    for row in rows:
        probability = row.get("match_probability")
        key = row["person_key"] if (probability or 0) >= thresholds.match else None
        member = members.get(key) if key else None
        if row["cluster_id"] not in clusters:
            clusters[row["cluster_id"]] = resolver.person(key, member)
        person = clusters[row["cluster_id"]]
        out.people.append((person, row))
        base = {"row": row["row_number"], "person_id": str(person.id), "name": display_name(row)}
        if row["cluster_size"] > 1:
            out.rows.append(ReportRow("duplicate", **base, detail=f"cluster {row['cluster_id']}"))
        if member is None and key is not None:
            detail = "not a member; seen in an earlier roster (same person id)"
            out.rows.append(ReportRow("not_found", **base, detail=detail))
            continue
        if member is None:
            _unmatched(out, row, base, model, thresholds.review)
            continue
        _matched(out, row, base, member, model, float(probability or 0))
        changes = contact_changes(row, member)
        first_row = key not in members_changed
        members_changed.add(key or "")
        # A member's details come from the first row of its cluster (duplicates may disagree).
        if changes and first_row:
            out.changes.append((member, changes))
            for name, change in changes.items():
                out.rows.append(
                    ReportRow(
                        f"{name}_changed",
                        **base,
                        member_person_id=member.person_id,
                        detail=f"{change.old or '(none)'} -> {change.new}",
                    )
                )
        if ended(row, as_of) and key:
            out.ended.append(key)
            out.rows.append(
                ReportRow(
                    "disenrolled",
                    **base,
                    member_person_id=member.person_id,
                    detail=f"eligibility ended {row['eligibility_end_date']}",
                )
            )
    return out


def _matched(
    out: Classified,
    row: dict[str, Any],
    base: dict[str, Any],
    member: Member,
    model: LinkageModel,
    probability: float,
) -> None:
    out.matched[row["row_number"]] = member
    out.rows.append(
        ReportRow(
            "matched",
            **base,
            member_person_id=member.person_id,
            probability=round(probability, 6),
            evidence=evidence(model, row),
        )
    )


def _unmatched(
    out: Classified,
    row: dict[str, Any],
    base: dict[str, Any],
    model: LinkageModel,
    review: float,
) -> None:
    probability = row.get("match_probability")
    if probability is not None and probability >= review:
        out.rows.append(
            ReportRow(
                "possible_match",
                **base,
                probability=round(probability, 6),
                evidence=evidence(model, row),
                detail="below the match threshold: review by hand",
            )
        )
        return
    out.rows.append(ReportRow("not_found", **base, detail="no known member matches"))
