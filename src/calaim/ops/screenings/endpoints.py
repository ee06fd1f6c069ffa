"""Screening API: the DHCS adult and youth mental health screening tools and the transition
of care tool, scored from policy data; "no wrong door" routing (docs/reentry.md).

Scoring stores nothing and reads no member data: the answers come in, the route goes out.
"""

from __future__ import annotations

from calaim.ops.access.permissions import Permission, require
from calaim.ops.http.deps import ActorDep
from calaim.ops.http.routing import DomainRouter
from calaim.ops.screenings.schemas import ResultOut, ScreeningIn, ToolOut, result_out, tool_out
from calaim.ops.screenings.scoring import score, transition
from calaim.ops.screenings.tools import screening_tools

router = DomainRouter(
    prefix="/screenings",
    tag="screenings",
    description="DHCS mental health screening tools (adult, youth) and the transition of care "
    "tool: items, scoring and cut-off as policy data (unconfirmed items flagged), and the "
    "route to the plan, the county mental health plan or crisis services.",
)


@router.get("/tools", response_model=list[ToolOut])
def list_tools(actor: ActorDep) -> list[ToolOut]:
    """The tools, their questions and cut-offs."""
    require(actor, Permission.SCREENING_SCORE)
    return [tool_out(tool) for tool in screening_tools().values()]


@router.post("/score", response_model=ResultOut)
def score_screening(body: ScreeningIn, actor: ActorDep) -> ResultOut:
    """Score a screening and route the person (nothing is stored)."""
    require(actor, Permission.SCREENING_SCORE)
    override = body.override.override() if body.override else None
    if body.tool in screening_tools() and not screening_tools()[body.tool].scored:
        return result_out(transition(body.tool, dict(body.fields), override))
    return result_out(score(body.tool, dict(body.answers), override))
