"""The one Part 2 masking rule: what a viewer without consent is shown reveals nothing hidden."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calaim.engine.explain import Explanation, NodeResult, ProgramResult
from calaim.ops.access.part2 import RESTRICTED, mask, mask_explanation

DAY = dt.date(2025, 9, 1)


@dataclass(frozen=True)
class Row:
    """A stored determination row, as masking reads it."""

    program_id: str
    eligible: bool
    as_of: dt.date = DAY
    offered: bool | None = True
    rule_version: str = "v"
    part2: bool = False

    @property
    def status(self) -> str:
        return "eligible" if self.eligible else "not_eligible"


def _rows(*, sud: bool, homeless: bool) -> list[Row]:
    return [
        Row("ecm", sud or homeless),
        Row("ecm.homeless_adult", homeless),
        Row("ecm.smh_sud", sud, part2=True),
        Row("cs.respite", True),
    ]


def test_the_mask_is_the_same_whatever_the_hidden_row_says() -> None:
    hidden_eligible = mask(_rows(sud=True, homeless=False), sees_part2=False)
    hidden_not = mask(_rows(sud=False, homeless=False), sees_part2=False)
    assert hidden_eligible == hidden_not
    shown = {row.program_id: row for row in hidden_eligible}
    assert set(shown) == {"ecm", "ecm.homeless_adult", "cs.respite"}
    assert (shown["ecm"].status, shown["ecm"].eligible, shown["ecm"].restricted) == (
        RESTRICTED,
        None,
        True,
    )


def test_an_aggregate_a_visible_program_explains_is_shown() -> None:
    shown = {r.program_id: r for r in mask(_rows(sud=True, homeless=True), sees_part2=False)}
    assert (shown["ecm"].status, shown["ecm"].eligible) == ("eligible", True)
    assert "ecm.smh_sud" not in shown


def test_an_explanation_on_another_day_does_not_count() -> None:
    rows = [Row("ecm", True), Row("ecm.homeless_adult", True, as_of=DAY - dt.timedelta(1))]
    assert mask(rows, sees_part2=False)[0].status == RESTRICTED


def test_with_part2_access_everything_is_shown_as_stored() -> None:
    shown = mask(_rows(sud=True, homeless=False), sees_part2=True)
    assert [(r.program_id, r.status) for r in shown] == [
        ("ecm", "eligible"),
        ("ecm.homeless_adult", "not_eligible"),
        ("ecm.smh_sud", "eligible"),
        ("cs.respite", "eligible"),
    ]


def _explained(sud: bool, homeless: bool) -> Explanation:
    pofs = [
        NodeResult("homeless", homeless, "all", id="ecm.homeless_adult"),
        NodeResult("SMH/SUD", sud, "all", id="ecm.smh_sud"),
    ]
    criteria = NodeResult("meets at least one", sud or homeless, "any", children=pofs)
    programs = [
        ProgramResult(
            "ecm",
            "ECM",
            "eligible" if sud or homeless else "not_eligible",
            sud or homeless,
            None,
            "v",
            criteria=criteria,
        ),
        ProgramResult(
            "ecm.homeless_adult",
            "Homeless",
            "eligible" if homeless else "not_eligible",
            homeless,
            None,
            "v",
        ),
        ProgramResult(
            "ecm.smh_sud", "SMH/SUD", "eligible" if sud else "not_eligible", sud, None, "v"
        ),
    ]
    return Explanation("P1", DAY, "hash", True, programs=programs)


def test_explain_withholds_part2_by_the_same_rule() -> None:
    masked = mask_explanation(_explained(sud=True, homeless=False))
    assert masked == mask_explanation(_explained(sud=False, homeless=False))
    ecm = masked.programs[0]
    assert (ecm.status, ecm.eligible, ecm.criteria) == (RESTRICTED, None, None)
    assert [p.program_id for p in masked.programs] == ["ecm", "ecm.homeless_adult"]
    explained = mask_explanation(_explained(sud=True, homeless=True)).programs[0]
    assert explained.status == "eligible"
    assert explained.criteria is not None
    assert [n.id for n in explained.criteria.children] == ["ecm.homeless_adult"]
