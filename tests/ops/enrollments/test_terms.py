"""The unable-to-reach window: the plan's term wins, else the statewide default."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from types import MappingProxyType

import pytest

from calaim.engine.loading.plans import AuthorizationTerms, Dated
from calaim.ops.enrollments import terms


def test_the_statewide_default_is_a_dated_assumption() -> None:
    parameter = terms.shipped_policy().parameters[terms.DEFAULT_WINDOW]
    assert parameter.confidence == "assumption"
    assert terms.unable_to_reach_days(None, dt.date(2025, 6, 1)) == 90
    assert terms.unable_to_reach_days("NOSUCHPLAN", dt.date(2025, 6, 1)) == 90


def test_a_plan_term_in_force_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = terms.shipped_policy()
    plan = loaded.plans["LACARE"]
    window = AuthorizationTerms(
        period=Dated(dt.date(2025, 1, 1), dt.date(2026, 1, 1)),
        ecm=MappingProxyType({"unable_to_reach_days": 60}),
        community_supports=MappingProxyType({}),
    )
    patched = replace(
        loaded, plans={**loaded.plans, "LACARE": replace(plan, authorization=(window,))}
    )
    monkeypatch.setattr(terms, "shipped_policy", lambda: patched)
    assert terms.unable_to_reach_days("lacare", dt.date(2025, 12, 31)) == 60
    # The day the term ends, the default applies again.
    assert terms.unable_to_reach_days("LACARE", dt.date(2026, 1, 1)) == 90
