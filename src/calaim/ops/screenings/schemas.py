"""Request and response bodies of the screening API (Pydantic v2)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from calaim.ops.http.fields import bounded
from calaim.ops.screenings.scoring import Override, Result
from calaim.ops.screenings.tools import Item, Tool


class OverrideIn(BaseModel):
    """A licensed clinician's different recommendation (BHIN 25-020)."""

    model_config = ConfigDict(extra="forbid")

    route: Literal["plan", "county_mhp"]
    justification: Annotated[str, bounded(1000)]
    by_licensed_clinician: bool

    def override(self) -> Override:
        """The scoring's override."""
        return Override(self.route, self.justification, self.by_licensed_clinician)


class ScreeningIn(BaseModel):
    """A screening to score: the tool, and yes/no answers (or the transition fields)."""

    model_config = ConfigDict(extra="forbid")

    tool: Annotated[str, bounded(40)]
    answers: dict[Annotated[str, bounded(40)], bool] = Field(default_factory=dict, max_length=40)
    fields: dict[Annotated[str, bounded(40)], Annotated[str, bounded(500, 0)]] = Field(
        default_factory=dict, max_length=10
    )
    override: OverrideIn | None = None


class ResultOut(BaseModel):
    """The score, where the person goes for an assessment, and why."""

    tool: str
    label: str
    score: int | None
    county_at_least: int | None
    route: str
    route_label: str
    reasons: list[str]
    also_offer: list[str]
    confidence: str
    overridden: bool


class ItemOut(BaseModel):
    """One question."""

    id: str
    text: str
    weight: int
    confidence: str
    area: str


class ToolOut(BaseModel):
    """One tool as the form shows it."""

    id: str
    label: str
    scored: bool
    safety: list[ItemOut]
    items: list[ItemOut]
    county_at_least: int | None
    fields: list[str]


def result_out(result: Result) -> ResultOut:
    """The response body of a result."""
    return ResultOut(**result.__dict__)


def _item_out(item: Item) -> ItemOut:
    return ItemOut(
        id=item.id, text=item.text, weight=item.weight, confidence=item.confidence, area=item.area
    )


def tool_out(tool: Tool) -> ToolOut:
    """The response body of a tool."""
    return ToolOut(
        id=tool.id,
        label=tool.label,
        scored=tool.scored,
        safety=[_item_out(i) for i in tool.safety],
        items=[_item_out(i) for i in tool.items],
        county_at_least=tool.county_at_least,
        fields=list(tool.fields),
    )
