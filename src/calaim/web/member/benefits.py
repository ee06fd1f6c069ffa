"""What a member may be eligible for, and why, from their stored determinations (their own,
Part 2 included: it is theirs), grouped by the name a member knows it by."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from calaim.ops.determinations.repository import DeterminationRepository
from calaim.ops.models import Member, User
from calaim.web.member.words import ECM, program_words


@dataclass
class Benefit:
    """One kind of help, in words: its name, why (one or more reasons), and whether the plan
    offers it where the member lives."""

    name: str
    program_id: str
    whys: list[str] = field(default_factory=list)
    offered: bool = True


def benefits(session: Session, actor: User, member: Member, today: dt.date) -> list[Benefit]:
    """The help the member's records say they may get (eligible rows only), ECM first."""
    rows = DeterminationRepository(session, actor).for_member(member.id, today, today=today)
    found: dict[str, Benefit] = {}
    for row in sorted(rows, key=lambda r: r.program_id):
        if not row.eligible or row.status != "eligible":
            continue
        name, why = program_words(row.program_id)
        benefit = found.setdefault(name, Benefit(name, row.program_id))
        if why not in benefit.whys:
            benefit.whys.append(why)
        benefit.offered = benefit.offered and row.offered is not False
    ecm = found.pop(ECM, None)
    if ecm is not None and len(ecm.whys) > 1:
        ecm.whys = [w for w in ecm.whys if w != program_words("ecm")[1]]
    return ([ecm] if ecm else []) + list(found.values())
