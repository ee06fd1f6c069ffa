"""Request and response bodies of the care plans API (Pydantic v2)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.care_plans.content import CarePlanContent
from calaim.ops.http.fields import bounded
from calaim.ops.models import CarePlan

Text = Annotated[str, bounded(2000)]
Short = Annotated[str, bounded(200)]


class AssessmentItemIn(BaseModel):
    """One domain of the comprehensive assessment: the need found and a note."""

    model_config = ConfigDict(extra="forbid")

    domain: Annotated[str, bounded(40)]
    need: Annotated[str, bounded(20)]
    note: Text | None = None


class GoalIn(BaseModel):
    """One care plan goal."""

    model_config = ConfigDict(extra="forbid")

    description: Text
    domain: Annotated[str, bounded(40)] | None = None
    target_date: dt.date | None = None
    status: Annotated[str, bounded(20)] | None = None


class InterventionIn(BaseModel):
    """One intervention: what, who, by when."""

    model_config = ConfigDict(extra="forbid")

    description: Text
    responsible: Short | None = None
    due_date: dt.date | None = None
    status: Annotated[str, bounded(20)] | None = None


class CareTeamMemberIn(BaseModel):
    """One member of the care team."""

    model_config = ConfigDict(extra="forbid")

    name: Short
    role: Short
    organization: Short | None = None
    contact: Short | None = None


class CarePlanIn(BaseModel):
    """The whole care plan (each save replaces it and is a revision)."""

    model_config = ConfigDict(extra="forbid")

    assessment_started_on: dt.date | None = None
    assessment_completed_on: dt.date | None = None
    last_care_conference_on: dt.date | None = None
    assessment: list[AssessmentItemIn] = Field(default_factory=list, max_length=50)
    goals: list[GoalIn] = Field(default_factory=list, max_length=100)
    interventions: list[InterventionIn] = Field(default_factory=list, max_length=100)
    care_team: list[CareTeamMemberIn] = Field(default_factory=list, max_length=50)
    version: int | None = None

    def content(self) -> CarePlanContent:
        """The service's content."""
        return CarePlanContent(
            assessment_started_on=self.assessment_started_on,
            assessment_completed_on=self.assessment_completed_on,
            last_care_conference_on=self.last_care_conference_on,
            assessment=[item.model_dump() for item in self.assessment],
            goals=[goal.model_dump() for goal in self.goals],
            interventions=[item.model_dump() for item in self.interventions],
            care_team=[person.model_dump() for person in self.care_team],
        )


class CarePlanOut(BaseModel):
    """An enrollment's care plan with its revision date and version."""

    id: uuid.UUID
    enrollment_id: uuid.UUID
    assessment_started_on: dt.date | None
    assessment_completed_on: dt.date | None
    latest_revision_on: dt.date | None
    last_care_conference_on: dt.date | None
    assessment: list[dict[str, object]]
    goals: list[dict[str, object]]
    interventions: list[dict[str, object]]
    care_team: list[dict[str, object]]
    version: int


def care_plan_out(care_plan: CarePlan) -> CarePlanOut:
    """The response body of a care plan."""
    return CarePlanOut(
        id=care_plan.id,
        enrollment_id=care_plan.enrollment_id,
        assessment_started_on=care_plan.assessment_started_on,
        assessment_completed_on=care_plan.assessment_completed_on,
        latest_revision_on=care_plan.latest_revision_on,
        last_care_conference_on=care_plan.last_care_conference_on,
        assessment=list(care_plan.assessment or []),
        goals=list(care_plan.goals),
        interventions=list(care_plan.interventions),
        care_team=list(care_plan.care_team),
        version=care_plan.version,
    )
