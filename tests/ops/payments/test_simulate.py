"""The payment models reproduce a case computed by hand (docs/network.md walks through it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from calaim.ops.payments.calibrate import calibrate
from calaim.ops.payments.models import Costs, Rates
from calaim.ops.payments.pipeline import Pipeline, run
from calaim.ops.payments.repository import Episode
from calaim.ops.payments.simulate import Scenario, contract_rates, simulate

PIPELINE = Pipeline(D(10), D("0.5"), 1, D("0.8"), 1, D("0.1"))
RATES = Rates(D(60), D(2), D(400), D(150), D(25), D(2), D(1000), D(5000))
COSTS = Costs(D(6000), 50, D("0.5"), D(1000))
HAND = Scenario(PIPELINE, RATES, COSTS, 4)


def test_the_pipeline_by_hand() -> None:
    # 10 assigned a month; half reached after a month; 80% of those enroll a month later;
    # 10% of the enrolled leave each month.
    months = run(PIPELINE, 4)
    assert [m.in_outreach for m in months] == [10, 15, 15, 15]
    assert [m.newly_enrolled for m in months] == [0, 0, 4, 4]
    assert [m.enrolled for m in months] == [0, 0, 4, D("7.6")]


def test_every_model_by_hand() -> None:
    outcomes = {o.model: o for o in simulate(HAND)}
    paid = {model: [f.paid for f in o.flows] for model, o in outcomes.items()}
    assert paid["fee_per_unit"] == [0, 0, 480, 912]
    assert paid["pmpm_enrolled"] == [0, 0, 1600, 3040]
    assert paid["pmpm_assigned"] == [1500, 2250, 2850, 3390]
    assert paid["outreach"] == [500, 750, 750, 750]
    assert paid["case_rate"] == [0, 0, 4000, 4000]
    assert paid["upfront"] == [5000, 0, 1600, 3040]
    pmpm = outcomes["pmpm_enrolled"]
    # Staff: (enrolled + half of those in outreach) / 50, up to the hundredth; 0.302 → 0.31.
    assert [f.staff for f in pmpm.flows] == [D("0.10"), D("0.15"), D("0.23"), D("0.31")]
    assert [f.cost for f in pmpm.flows] == [1600, 1900, 2380, 2860]
    assert [f.cumulative for f in pmpm.flows] == [-1600, -3500, -4280, -4100]
    assert (pmpm.plan_cost, pmpm.first_positive_month) == (4640, None)
    assert outcomes["upfront"].first_positive_month == 1
    # Break-even: 400 - 6000/50 = 280 a member-month covers 1000 overhead from 4 members.
    assert (pmpm.break_even.caseload, pmpm.break_even.staff) == (4, D("0.08"))
    # 2 units × 60 = 120 a member-month only covers the staff: never breaks even.
    assert outcomes["fee_per_unit"].break_even.caseload is None


def test_one_member_below_break_even_loses_money() -> None:
    # At 3 members (one below) 3 × 280 = 840 < 1000 overhead; at 4, 1120 ≥ 1000.
    margin = RATES.pmpm_enrolled - COSTS.staff_month / COSTS.caseload_per_staff
    assert 3 * margin < COSTS.overhead_month <= 4 * margin


def test_rates_come_from_the_plan_s_contract_on_the_day() -> None:
    # Health Net paid ECM per encounter until 2026-01-01, then per member per month.
    before = contract_rates("HEALTHNET", dt.date(2025, 12, 31), RATES)
    after = contract_rates("HEALTHNET", dt.date(2026, 1, 1), RATES)
    assert (before.fee_per_unit, before.pmpm_enrolled) == (D("60.00"), D(400))
    assert (after.pmpm_enrolled, after.outreach_per_attempt) == (D("420.00"), D("20.00"))


def test_calibration_from_history_by_hand() -> None:
    day = dt.date
    history = [
        Episode(day(2025, 1, 1), day(2025, 1, 31), day(2025, 3, 2), None),
        Episode(day(2025, 1, 1), None, None, None),
        Episode(day(2025, 2, 1), day(2025, 3, 3), day(2025, 4, 2), day(2025, 5, 2)),
        Episode(day(2025, 2, 1), day(2025, 3, 3), None, None),
    ]
    found = calibrate(history, day(2025, 1, 1), day(2025, 7, 1))
    assert found is not None
    # 4 assigned over 181 days (5.95 months); 3 of 4 reached after 30 days; 2 of 3 enrolled
    # 30 days later; 1 left over 121 + 30 = 151 enrolled days (4.96 member-months).
    assert found.assigned_per_month == D("0.67")
    assert (found.reach_rate, found.reach_months) == (D("0.75"), 1)
    assert (found.enroll_rate, found.enroll_months) == (D("0.6667"), 1)
    assert found.churn == D("0.2016")
    assert calibrate([], day(2025, 1, 1), day(2025, 7, 1)) is None
