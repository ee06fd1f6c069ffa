"""A partner's Task update (a Task resource sent for a referral) applied and echoed back."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from fhir.resources.R4B.task import Task
from pydantic import ValidationError
from sqlalchemy.orm import Session

from calaim.exchange.fhir.errors import FhirInputError, json_path
from calaim.exchange.fhir.export import export_referral
from calaim.exchange.fhir.task_update import apply_task_status
from calaim.ops.access.permissions import Permission, require
from calaim.ops.models import User
from calaim.ops.referrals.service import ReferralService


def read_task(data: Any, source: str | None = None) -> Task:
    """A validated R4B Task, or a located error."""
    if not isinstance(data, dict) or data.get("resourceType") != "Task":
        raise FhirInputError(
            "send a Task resource (resourceType Task)", field="resourceType", source=source
        )
    try:
        return Task.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise FhirInputError(
            f"{first['msg']}; fix this element (FHIR R4)",
            field=json_path(tuple(first["loc"])),
            source=source,
        ) from error


def update_task(
    session: Session, actor: User, referral_id: uuid.UUID, data: Any, now: dt.datetime
) -> dict[str, Any]:
    """Apply a Task's status to a visible referral; the referral's Task as it now stands."""
    require(actor, Permission.FHIR_EXCHANGE)
    require(actor, Permission.REFERRAL_ACT)
    task = read_task(data)
    savepoint = session.begin_nested()
    try:
        _apply(session, actor, referral_id, task, now)
    except BaseException:
        savepoint.rollback()  # a refused update leaves nothing behind, not even its read
        raise
    savepoint.commit()
    bundle = export_referral(session, actor, referral_id, now)
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Task")


def _apply(
    session: Session, actor: User, referral_id: uuid.UUID, task: Task, now: dt.datetime
) -> None:
    """Walk the referral to the Task's status (checked, dated and audited steps)."""
    referral = ReferralService(session, actor).get(referral_id)
    business = None
    if task.businessStatus is not None:
        codes = [c.code for c in task.businessStatus.coding or [] if c.code]
        business = codes[0] if codes else task.businessStatus.text
    apply_task_status(
        session,
        actor,
        referral,
        status=str(task.status),
        business=business,
        reason=task.statusReason.text if task.statusReason else None,
        path="",
        now=now,
    )
