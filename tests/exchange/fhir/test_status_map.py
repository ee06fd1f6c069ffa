"""The status map covers every calaim status and reads back to the same status."""

from __future__ import annotations

import pytest

from calaim.exchange.fhir.status_map import TO_TASK, from_task, table, to_task
from calaim.ops.errors import InvalidRequest
from calaim.ops.referrals.state import ReferralStatus


def test_every_calaim_status_is_mapped() -> None:
    assert {status for status, _ in TO_TASK} == set(ReferralStatus)


@pytest.mark.parametrize(("status", "early"), list(TO_TASK))
def test_each_status_round_trips(status: ReferralStatus, early: bool) -> None:
    state = to_task(status, early)
    assert from_task(state.status, state.business, "Task.status") == (status, early)


def test_task_states_are_distinct() -> None:
    assert len(set(TO_TASK.values())) == len(TO_TASK)


def test_partner_statuses_without_business_status_read_as_the_nearest() -> None:
    assert from_task("completed", None, "f") == (ReferralStatus.SERVICES_RECEIVED, False)
    assert from_task("failed", "whatever", "f") == (ReferralStatus.CLOSED, True)


@pytest.mark.parametrize("status", ["draft", "on-hold", "entered-in-error", "nonsense"])
def test_statuses_without_meaning_are_located_errors(status: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        from_task(status, None, "entry[1].resource.status")
    assert caught.value.field == "entry[1].resource.status"
    assert status in str(caught.value)


def test_table_lists_every_row() -> None:
    rows = table()
    assert len(rows) == len(TO_TASK)
    assert {
        "calaim_status": "closed",
        "closed_early": True,
        "task_status": "cancelled",
        "business_status": "closed-early",
    } in rows
