"""Request and response bodies of the assignments API (Pydantic v2)."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.assignments.ranking import Evaluation, Ranking
from calaim.ops.enrollments.schemas import EnrollmentOut
from calaim.ops.http.fields import bounded


class AssignIn(BaseModel):
    """Assign the best-ranked ECM provider to a member."""

    model_config = ConfigDict(extra="forbid")

    member_id: uuid.UUID
    referral_id: uuid.UUID | None = None
    authorization_id: uuid.UUID | None = None
    authorization_override_reason: Annotated[str, bounded(2000)] | None = Field(
        None,
        description="Assign without an ECM authorization in force (or against the engine's "
        "not-eligible finding): why. Stored with who and when, audited, shown.",
    )


class OverrideIn(AssignIn):
    """Assign a provider the plan names, with the reason."""

    provider_organization_id: uuid.UUID
    why: Annotated[str, bounded(2000)]


class ProviderChangeIn(BaseModel):
    """The member asked for another provider; `version` is the current enrollment's."""

    model_config = ConfigDict(extra="forbid")

    member_id: uuid.UUID
    provider_organization_id: uuid.UUID
    note: Annotated[str, bounded(2000)] | None = None
    version: int | None = None
    authorization_override_reason: Annotated[str, bounded(2000)] | None = None


class EvaluationOut(BaseModel):
    """One provider considered, and why it ranked or was excluded."""

    organization_id: uuid.UUID
    name: str
    rank: int | None
    excluded_because: list[str]
    continuity: str
    language_match: bool
    populations_matched: list[str]
    groups_matched: list[str] = []
    open_capacity: int


def evaluation_out(evaluation: Evaluation) -> EvaluationOut:
    """The response body of one evaluation."""
    return EvaluationOut(
        organization_id=evaluation.organization_id,
        name=evaluation.name,
        rank=evaluation.rank,
        excluded_because=list(evaluation.exclusions),
        continuity=evaluation.continuity.name.lower(),
        language_match=evaluation.language_match,
        populations_matched=list(evaluation.populations_matched),
        groups_matched=list(evaluation.groups_matched),
        open_capacity=evaluation.open_capacity,
    )


class RankingOut(BaseModel):
    """The chosen provider (if any) and every provider considered."""

    choice: uuid.UUID | None
    reason: str
    providers: list[EvaluationOut]


def ranking_out(ranking: Ranking) -> RankingOut:
    """The response body of a ranking."""
    choice = ranking.choice
    return RankingOut(
        choice=choice.organization_id if choice else None,
        reason=ranking.reason.value,
        providers=[evaluation_out(e) for e in ranking.evaluations],
    )


class AssignmentOut(BaseModel):
    """A new enrollment and the ranking behind it."""

    enrollment: EnrollmentOut
    ranking: RankingOut
