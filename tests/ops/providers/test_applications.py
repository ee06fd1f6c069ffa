"""One application to two plans: requirements as data, per-plan decisions, one common form."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calaim.ops.access.permissions import PermissionDenied
from calaim.ops.errors import InvalidRequest
from calaim.ops.models import ProviderProfile
from calaim.ops.models.provider_application import LineDecision, ProviderApplication
from calaim.ops.models.provider_credential import CredentialKind
from calaim.ops.models.task import Task
from calaim.ops.providers.applications import (
    AlreadyDecided,
    ApplicationIn,
    ApplicationService,
    RequirementsUnmet,
)
from calaim.ops.providers.export import as_csv, as_xlsx
from calaim.ops.providers.profile import CredentialIn, ProfileService
from calaim.ops.providers.repository import ApplicationNotFound
from calaim.ops.tasks.sweep import sweep

from .conftest import NOW, TODAY, Parties

ANSWERS = {
    "lacare.hipaa_attestation": True,
    "healthnet.cultural_competency": "Spanish- and Tagalog-speaking staff at every site.",
}
BOTH = ApplicationIn(["LACARE", "HEALTHNET"], ["ecm"], ["Los Angeles"], ANSWERS)


def insured(session: Session, parties: Parties, days: int) -> None:
    """General liability insurance expiring `days` after today."""
    ProfileService(session, parties.supervisor).add_credential(
        CredentialIn(
            CredentialKind.INSURANCE,
            "general_liability",
            "General liability",
            number="GL-1",
            expires_on=TODAY + dt.timedelta(days=days),
        )
    )


def applications(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ProviderApplication)) or 0)


def test_unmet_requirements_name_each_plan_and_send_nothing(
    session: Session, parties: Parties
) -> None:
    with pytest.raises(RequirementsUnmet) as refused:
        ApplicationService(session, parties.supervisor).submit(BOTH, now=NOW)
    message = str(refused.value)
    assert "lacare.general_liability" in message
    assert "healthnet.general_liability" in message
    assert applications(session) == 0


def test_insurance_must_outlast_lacare_s_90_days(session: Session, parties: Parties) -> None:
    # Exactly 90 days left is not "at least 90 more days" (valid until after today + 90).
    insured(session, parties, 90)
    with pytest.raises(RequirementsUnmet) as refused:
        ApplicationService(session, parties.supervisor).submit(BOTH, now=NOW)
    assert "lacare.general_liability" in str(refused.value)
    assert "healthnet" not in str(refused.value)
    insured(session, parties, 91)
    view = ApplicationService(session, parties.supervisor).submit(BOTH, now=NOW)
    assert len(view.lines) == 2


def test_an_unanswered_attestation_is_unmet(session: Session, parties: Parties) -> None:
    insured(session, parties, 365)
    answers = {**ANSWERS, "lacare.hipaa_attestation": False}
    given = ApplicationIn(["LACARE"], ["ecm"], ["Los Angeles"], answers)
    with pytest.raises(RequirementsUnmet, match=r"lacare\.hipaa_attestation"):
        ApplicationService(session, parties.supervisor).submit(given, now=NOW)


def test_two_plans_decide_differently(session: Session, parties: Parties) -> None:
    insured(session, parties, 365)
    sent = ApplicationService(session, parties.supervisor).submit(BOTH, now=NOW)
    lacare = ApplicationService(session, parties.lacare)
    own = lacare.get(sent.application.id).lines
    assert [(line.program_id, line.county) for line in own] == [("ecm", "Los Angeles")]
    lacare.decide(own[0].id, LineDecision.APPROVED, None, own[0].version, now=NOW)
    healthnet = ApplicationService(session, parties.healthnet)
    theirs = healthnet.get(sent.application.id).lines
    assert theirs[0].id != own[0].id
    with pytest.raises(InvalidRequest, match="why"):
        healthnet.decide(theirs[0].id, LineDecision.DENIED, " ", 1, now=NOW)
    healthnet.decide(theirs[0].id, LineDecision.DENIED, "network is full", 1, now=NOW)
    seen = ApplicationService(session, parties.supervisor).get(sent.application.id).lines
    assert sorted(line.decision for line in seen) == ["approved", "denied"]
    profile = session.get(ProviderProfile, parties.provider.id)
    assert profile is not None
    assert profile.contracted_plans == ["LACARE"]
    with pytest.raises(AlreadyDecided):
        lacare.decide(own[0].id, LineDecision.DENIED, "changed mind", own[0].version, now=NOW)


def test_a_plan_cannot_decide_another_plan_s_line(session: Session, parties: Parties) -> None:
    insured(session, parties, 365)
    sent = ApplicationService(session, parties.supervisor).submit(BOTH, now=NOW)
    theirs = ApplicationService(session, parties.healthnet).get(sent.application.id).lines[0]
    with pytest.raises(ApplicationNotFound):
        ApplicationService(session, parties.lacare).decide(
            theirs.id, LineDecision.APPROVED, None, 1, now=NOW
        )
    with pytest.raises(ApplicationNotFound):
        ApplicationService(session, parties.referrer).get(sent.application.id)
    with pytest.raises(PermissionDenied):
        ApplicationService(session, parties.referrer).submit(BOTH, now=NOW)


def test_the_common_form_exports_as_json_csv_and_xlsx(session: Session, parties: Parties) -> None:
    insured(session, parties, 365)
    sent = ApplicationService(session, parties.supervisor).submit(BOTH, now=NOW)
    form = ApplicationService(session, parties.supervisor).export(sent.application.id)
    assert form["form"] == "calaim-provider-application/1"
    assert form["profile"]["credentials"][0]["expires_on"] == str(TODAY + dt.timedelta(365))
    assert {line["plan"] for line in form["lines"]} == {"LACARE", "HEALTHNET"}
    json.dumps(form)  # plain data throughout
    rows = dict(csv.reader(io.StringIO(as_csv(form))))
    assert rows["profile.credentials.0.type"] == "general_liability"
    assert rows["profile.languages"] == "en"
    sheet = load_workbook(io.BytesIO(as_xlsx(form))).active
    assert sheet.cell(1, 1).value == "field"
    assert sheet.max_row == len(rows)


def test_an_expiring_credential_makes_one_renewal_task(session: Session, parties: Parties) -> None:
    # 60 days' notice: a policy expiring in 61 days has no task yet; in 60 days, one.
    insured(session, parties, 61)
    assert sweep(session, NOW, parties.provider.id).created == 0
    insured(session, parties, 60)
    assert sweep(session, NOW, parties.provider.id).created == 1
    tasks = list(session.scalars(select(Task).where(Task.organization_id == parties.provider.id)))
    assert [(t.kind, t.team_role) for t in tasks] == [("credential_expiry", "ecm_supervisor")]
    assert sweep(session, NOW, parties.provider.id).created == 0
