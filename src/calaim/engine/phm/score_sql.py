"""The risk score as SQL over the engine's feature tests: one row per member with each
factor's value, whether it is met and its points, the score and the tier. Nothing runs here."""

from __future__ import annotations

from calaim.engine.compile.rules import node_expression
from calaim.engine.phm.model import ResolvedModel, leaf_of

DIALECT = "duckdb"


def met_name(factor_id: str) -> str:
    """Column: whether the factor is met."""
    return f"{factor_id}__met"


def points_name(factor_id: str) -> str:
    """Column: the points the factor adds (0 when not met)."""
    return f"{factor_id}__points"


def value_name(factor_id: str) -> str:
    """Column: the value observed for a single-feature factor (e.g. the ED visit count)."""
    return f"{factor_id}__value"


def scored_sql(model: ResolvedModel) -> str:
    """Every member's factors, points, score and tier, from the `decision` and `members`
    steps of the engine pipeline."""
    columns: list[str] = []
    names: list[str] = []
    points: list[str] = []
    for factor in model.factors:
        met = f"coalesce({node_expression(factor.node).sql(dialect=DIALECT)}, FALSE)"
        leaf = leaf_of(factor.node)
        if leaf is not None:
            columns.append(f'CAST(d."{leaf.key}" AS VARCHAR) AS "{value_name(factor.id)}"')
            names.append(value_name(factor.id))
        columns.append(f'{met} AS "{met_name(factor.id)}"')
        points_sql = f"CASE WHEN {met} THEN {factor.points} ELSE 0 END"
        columns.append(f'{points_sql} AS "{points_name(factor.id)}"')
        names += [met_name(factor.id), points_name(factor.id)]
        points.append(points_sql)
    score = " + ".join(points) if points else "0"
    tiers = " ".join(f"WHEN score >= {t.at_least} THEN '{t.tier}'" for t in model.tiers)
    per_factor = ", ".join(f'"{name}"' for name in names)
    return f"""
SELECT person_id, DATE '{model.as_of.isoformat()}' AS as_of, payer, county, race, ethnicity,
       race_ethnicity, language, score,
       CASE {tiers} ELSE '{model.default_tier}' END AS tier,
       {per_factor},
       '{model.policy_hash}' AS policy_hash
FROM (
  SELECT d.person_id, d.payer, d.county, m.race, m.ethnicity,
         CASE WHEN lower(m.ethnicity) = 'hispanic or latino' THEN 'hispanic or latino'
              ELSE coalesce(m.race, 'unknown') END AS race_ethnicity,
         coalesce(m.language, 'unknown') AS language,
         {", ".join(columns)},
         {score} AS score
  FROM decision AS d
  JOIN members AS m ON m.person_id = d.person_id
) AS scored
ORDER BY person_id"""
