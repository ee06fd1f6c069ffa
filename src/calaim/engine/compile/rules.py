"""Resolved criterion trees → SQLGlot boolean expressions over the per-leaf test columns."""

from __future__ import annotations

from sqlglot import exp

from calaim.engine.loading.resolve import ResolvedOverlay, ResolvedProgram, RLeaf, RNode


def met_column(key: str) -> str:
    """Name of the boolean column holding a leaf's test result."""
    return f"{key}__met"


def program_column(program_id: str, what: str) -> str:
    """Name of a per-program column of the decision table, e.g. ecm__smh_sud__met."""
    return program_id.replace(".", "__") + "__" + what


def node_expression(node: RNode) -> exp.Expr:
    """A criterion tree as one boolean expression."""
    if isinstance(node, RLeaf):
        return exp.column(met_column(node.key), quoted=True)
    children = [node_expression(child) for child in node.children]
    if node.op == "not":
        return exp.Paren(this=exp.not_(children[0]))
    if not children:
        return exp.true() if node.op == "all" else exp.false()
    combined = exp.and_(*children) if node.op == "all" else exp.or_(*children)
    return exp.Paren(this=combined)


def _overlay_scope(overlay: ResolvedOverlay) -> exp.Expr:
    scope: exp.Expr = exp.EQ(this=exp.column("payer"), expression=exp.Literal.string(overlay.plan))
    if overlay.counties is not None:
        counties = [exp.Literal.string(county) for county in overlay.counties]
        scope = exp.and_(scope, exp.column("county").isin(*counties))
    return scope


def criteria_expression(program: ResolvedProgram) -> exp.Expr:
    """Statewide criteria AND every plan overlay in force (each applies in its plan's scope)."""
    if program.criteria is None:
        return exp.false()
    parts = [node_expression(program.criteria)]
    for overlay in program.overlays:
        # Outside the overlay's plan/counties it is vacuously true; inside it must be met.
        parts.append(
            exp.Paren(
                this=exp.or_(
                    exp.not_(exp.Paren(this=_overlay_scope(overlay))),
                    node_expression(overlay.require),
                )
            )
        )
    combined: exp.Expr = exp.and_(*parts) if len(parts) > 1 else parts[0]
    return combined


def exclusion_expression(program: ResolvedProgram) -> exp.Expr:
    """True when any exclusion applies."""
    if not program.exclusions:
        return exp.false()
    return exp.Paren(this=exp.or_(*(node_expression(node) for node in program.exclusions)))


def offered_expression(program: ResolvedProgram) -> exp.Expr:
    """NULL when the payer has no configuration; ECM is always offered by configured plans;
    a Community Support is offered where the plan elected it for the county on the date."""
    offered: exp.Expr
    if program.program.kind == "cs":
        offered = exp.Anonymous(
            this="list_contains",
            expressions=[exp.column("offers"), exp.Literal.string(program.program.id)],
        )
    else:
        offered = exp.true()
    return exp.Case(
        ifs=[exp.If(this=exp.column("offers").is_(exp.null()), true=exp.null())],
        default=offered,
    )
