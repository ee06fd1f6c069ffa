"""What calaim derives from an input folder: each enrollment span's county, when the file has
none, and the counts a run reports about what it read, normalized or set aside.

County, in this order: `eligibility.county`; the optional `member_county` table; the span's
`zip_code` through the shipped California crosswalk (policy/reference/ca_zip_county.csv); the
default county the caller gives (`--county`). A span left without a county is refused with
the fix.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import duckdb

from calaim.data.columns import county_names, quote_ident, sql_string
from calaim.data.errors import ContractError, Problem
from calaim.data.sources import EXAMPLES, RawTable

ZIP_TABLE = "_calaim_zip_county"
GIVEN = "_calaim_eligibility_given"
SUPPLEMENT = "_calaim_member_county"
CROSSWALK = "policy/reference/ca_zip_county.csv"
ZIP5 = r"regexp_extract({zip}, '^\s*([0-9]{{5}})', 1)"

Fetch = Callable[[str], list[tuple[Any, ...]]]
"""Runs a (DuckDB-dialect) query on an engine: its rows as tuples."""

COUNTY_SOURCES = ("eligibility", "member_county", "zip_code", "zip_code_split", "default")
"""Where a span's county came from; zip_code_split: a ZIP spanning counties (flagged)."""


@dataclass
class InputReport:
    """What calaim derived, normalized or set aside while reading the folder."""

    county_members: dict[str, int] = field(default_factory=dict)
    """Members (distinct person_id) by where their county came from (COUNTY_SOURCES)."""
    counts: dict[str, int] = field(default_factory=dict)
    """Other counts, by name (see COUNT_LABELS)."""

    def lines(self) -> list[str]:
        """Plain sentences for the run's output, skipping zero counts."""
        lines = []
        sources = {k: v for k, v in self.county_members.items() if v}
        if sources and set(sources) != {"eligibility"}:
            parts = ", ".join(f"{n:,} {COUNTY_LABELS[k]}" for k, n in sources.items())
            lines.append(f"Members' county: {parts}.")
        for name, label in COUNT_LABELS.items():
            if self.counts.get(name):
                lines.append(_label(label, self.counts[name]))
        return lines


COUNTY_LABELS = {
    "eligibility": "from eligibility.county",
    "member_county": "from member_county",
    "zip_code": "from zip_code",
    "zip_code_split": "from a zip_code spanning counties (the crosswalk's county was used)",
    "default": "from --county",
}
COUNT_LABELS = {
    "non_icd10_lines": "{n:,} claim {lines} {carry} non-ICD-10-CM diagnosis codes "
    "(diagnosis_code_type icd-9-cm): not matched against the ICD-10-CM value sets.",
    "bill_types_4": "{n:,} claim {lines} had 4-character bill types (0111): read as 111.",
    "revenue_codes_3": "{n:,} claim {lines} had 3-digit revenue codes (450): read as 0450.",
    "undetermined_lines": "{n:,} claim {lines} {have} claim_type undetermined: "
    "read as institutional where they carry a bill type.",
    "other_payer_spans": "{n:,} enrollment {spans} {are} not Medicaid (payer_type medicare, "
    "commercial, self-insured): they do not enroll anyone.",
    "dual_members": "{n:,} {members} {are} dually eligible (dual_status_code 01-10 or a Medicare "
    "span beside a Medicaid one); a Medicare D-SNP span sets D-SNP on the Medicaid enrollment.",
}


def _label(template: str, n: int) -> str:
    one = n == 1
    words = {
        "lines": "line" if one else "lines",
        "spans": "span" if one else "spans",
        "members": "member" if one else "members",
        "carry": "carries" if one else "carry",
        "have": "has" if one else "have",
        "are": "is" if one else "are",
    }
    return template.format(n=n, **words)


@cache
def zip_counties() -> dict[str, str]:
    """County name by five-digit California ZIP code (the shipped crosswalk)."""
    return {zip_code: county for zip_code, county, _ in crosswalk_rows()}


@cache
def crosswalk_rows() -> list[tuple[str, str, int]]:
    """The crosswalk as the derivation joins it: (zip, county, counties the ZIP spans)."""
    text = resources.files("calaim").joinpath(CROSSWALK).read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return [(row["zip"], row["county"], int(row["counties"])) for row in rows]


def resolve_default_county(county: str | None) -> tuple[str | None, list[Problem]]:
    """The county name for `--county` (name or Medi-Cal code), or a problem saying why not."""
    if county is None:
        return None, []
    name = county_names().get(county.strip().lower())
    if name is None:
        message = f"--county {county!r} is not a California county"
        hint = "Give a county name like Los Angeles or its Medi-Cal code like 19."
        return None, [Problem("--county", None, None, message, hint)]
    return name, []


def raw_counts(con: duckdb.DuckDBPyConnection, raws: dict[str, RawTable]) -> dict[str, int]:
    """Counts taken from the files as written (before normalization)."""
    counts: dict[str, int] = {}
    claims = raws.get("medical_claim")
    if claims is not None:
        counts |= _claim_counts(con, claims)
    eligibility = raws.get("eligibility")
    if eligibility is not None:
        counts |= _eligibility_counts(con, eligibility)
    return counts


def _claim_counts(con: duckdb.DuckDBPyConnection, raw: RawTable) -> dict[str, int]:
    cols = raw.columns
    parts: dict[str, str] = {}
    if "diagnosis_code_type" in cols:
        dx = [cols[n].sql for n in cols if n.startswith("diagnosis_code_") and n[-1].isdigit()]
        has_dx = " OR ".join(f"{c} IS NOT NULL" for c in dx) or "FALSE"
        kind = _text(raw, "diagnosis_code_type")
        parts["non_icd10_lines"] = f"lower({kind}) <> 'icd-10-cm' AND ({has_dx})"
    if "bill_type_code" in cols:
        bill = _text(raw, "bill_type_code")
        parts["bill_types_4"] = f"length({bill}) = 4 AND starts_with({bill}, '0')"
    if "revenue_center_code" in cols:
        revenue = _text(raw, "revenue_center_code")
        parts["revenue_codes_3"] = f"regexp_full_match({revenue}, '[0-9]{{3}}')"
    if "claim_type" in cols:
        parts["undetermined_lines"] = f"lower({_text(raw, 'claim_type')}) = 'undetermined'"
    return _count_rows(con, raw, parts)


def _eligibility_counts(con: duckdb.DuckDBPyConnection, raw: RawTable) -> dict[str, int]:
    parts: dict[str, str] = {}
    if "payer_type" in raw.columns:
        parts["other_payer_spans"] = f"lower({_text(raw, 'payer_type')}) <> 'medicaid'"
    counts = _count_rows(con, raw, parts)
    dual = []
    if "dual_status_code" in raw.columns:
        dual.append(f"{_text(raw, 'dual_status_code')} NOT IN ('00')")
    person = _text(raw, "person_id")
    if "payer_type" in raw.columns:
        dual.append(
            f"{person} IN (SELECT {person} FROM {raw.relation} GROUP BY {person} HAVING "
            f"bool_or(lower({_text(raw, 'payer_type')}) = 'medicare') AND "
            f"bool_or(coalesce(lower({_text(raw, 'payer_type')}), 'medicaid') = 'medicaid'))"
        )
    if dual:
        sql = f"SELECT count(DISTINCT {person}) FROM {raw.relation} WHERE {' OR '.join(dual)}"
        counts["dual_members"] = int(con.execute(sql).fetchall()[0][0])
    return counts


def _text(raw: RawTable, name: str) -> str:
    src = raw.columns[name]
    return src.sql if src.type == "VARCHAR" else f"CAST({src.sql} AS VARCHAR)"


def _count_rows(
    con: duckdb.DuckDBPyConnection, raw: RawTable, parts: dict[str, str]
) -> dict[str, int]:
    if not parts:
        return {}
    selects = ", ".join(f"count(*) FILTER (WHERE {condition})" for condition in parts.values())
    found = con.execute(f"SELECT {selects} FROM {raw.relation}").fetchall()[0]
    return {name: int(n) for name, n in zip(parts, found, strict=True)}


def derive_county(
    con: duckdb.DuckDBPyConnection,
    file: str,
    supplement: bool,
    default: str | None,
) -> dict[str, int]:
    """Fill the `eligibility` relation's empty counties; members by county source.

    Raises ContractError naming the members left without a county. Runs inside the caller's
    transaction, so a refusal changes nothing.
    """
    missing = con.execute("SELECT count(*) FROM eligibility WHERE county IS NULL").fetchall()
    if not missing[0][0]:
        members = con.execute("SELECT count(DISTINCT person_id) FROM eligibility").fetchall()
        return {"eligibility": int(members[0][0])}
    if supplement:
        _check_supplement(con)
    _load_crosswalk(con)
    kind = _rename_eligibility(con)
    con.execute(f"CREATE TABLE eligibility AS {_derived_sql(supplement, default)}")
    unresolved = unresolved_counties(lambda sql: con.execute(sql).fetchall(), file)
    if unresolved:
        raise ContractError(unresolved)
    found = con.execute(
        "SELECT _county_source, count(DISTINCT person_id) FROM eligibility GROUP BY ALL"
    ).fetchall()
    con.execute("ALTER TABLE eligibility DROP COLUMN _county_source")
    con.execute(f"DROP {kind} {GIVEN}")
    return {source: int(n) for source, n in sorted(found, key=lambda r: COUNTY_SOURCES.index(r[0]))}


def _check_supplement(con: duckdb.DuckDBPyConnection) -> None:
    """One county per person in member_county, or a ContractError naming the people."""
    found = con.execute(
        f"SELECT person_id, list(DISTINCT county ORDER BY county) FROM {SUPPLEMENT} "
        f"GROUP BY person_id HAVING count(DISTINCT county) > 1 ORDER BY person_id LIMIT {EXAMPLES}"
    ).fetchall()
    if found:
        hint = "Give each person one county in member_county."
        raise ContractError(
            [
                Problem(
                    "member_county",
                    None,
                    "county",
                    f"person {p!r} has several: {', '.join(c)}",
                    hint,
                )
                for p, c in found
            ]
        )


def _load_crosswalk(con: duckdb.DuckDBPyConnection) -> None:
    with resources.as_file(resources.files("calaim").joinpath(CROSSWALK)) as path:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {ZIP_TABLE} AS SELECT zip, county, counties "
            f"FROM read_csv({sql_string(str(path))}, header=true, "
            "columns={'zip': 'VARCHAR', 'county': 'VARCHAR', 'county_fips': 'VARCHAR', "
            "'land_share': 'VARCHAR', 'counties': 'INTEGER', 'method': 'VARCHAR', "
            "'source': 'VARCHAR'})"
        )


def _rename_eligibility(con: duckdb.DuckDBPyConnection) -> str:
    """Rename the eligibility relation to GIVEN; its kind (TABLE or VIEW)."""
    kind = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'eligibility' "
        "AND table_schema = current_schema()"
    ).fetchall()[0][0]
    word = "VIEW" if kind == "VIEW" else "TABLE"
    con.execute(f"ALTER {word} eligibility RENAME TO {GIVEN}")
    return word


def _derived_sql(supplement: bool, default: str | None) -> str:
    joins, county, source = _derivation(supplement, default)
    return (
        f"SELECT g.* REPLACE ({county} AS county), {source} AS _county_source "
        f"FROM {GIVEN} AS g {joins}"
    )


def derived_eligibility_sql(
    given: str, columns: Sequence[str], supplement: bool, default: str | None
) -> str:
    """SELECT of `columns` from `given` (a relation or a parenthesized query) with empty
    counties filled exactly as `derive_county` fills them, for engines without `* REPLACE`
    (Spark). Reads ZIP_TABLE (crosswalk_rows) and, when `supplement`, SUPPLEMENT."""
    joins, county, _ = _derivation(supplement, default)
    values = ", ".join(
        f"{county} AS county" if name == "county" else f"g.{quote_ident(name)}" for name in columns
    )
    return f"SELECT {values} FROM {given} AS g {joins}"


def _derivation(supplement: bool, default: str | None) -> tuple[str, str, str]:
    """The joins, the county expression and the county-source expression (over `g`)."""
    zip5 = ZIP5.format(zip="g.zip_code")
    joins = f"LEFT JOIN {ZIP_TABLE} AS z ON z.zip = nullif({zip5}, '')"
    member = "CAST(NULL AS VARCHAR)"
    if supplement:
        # One county per person (checked first on DuckDB); min keeps remote runs deterministic.
        one = f"SELECT person_id, min(county) AS county FROM {SUPPLEMENT} GROUP BY person_id"
        joins = f"LEFT JOIN ({one}) AS s ON s.person_id = g.person_id " + joins
        member = "s.county"
    fallback = sql_string(default) if default else "CAST(NULL AS VARCHAR)"
    source = (
        f"CASE WHEN g.county IS NOT NULL THEN 'eligibility' "
        f"WHEN {member} IS NOT NULL THEN 'member_county' "
        f"WHEN z.county IS NOT NULL AND z.counties > 1 THEN 'zip_code_split' "
        f"WHEN z.county IS NOT NULL THEN 'zip_code' "
        f"WHEN {fallback} IS NOT NULL THEN 'default' END"
    )
    county = f"coalesce(g.county, {member}, z.county, {fallback})"
    return joins, county, source


def unresolved_counties(fetch: Fetch, file: str) -> list[Problem]:
    """Problems naming members of the `eligibility` relation still without a county."""
    rows = fetch(
        "SELECT person_id, min(zip_code) FROM eligibility WHERE county IS NULL "
        f"GROUP BY person_id ORDER BY person_id LIMIT {EXAMPLES + 1}"
    )
    if not rows:
        return []
    count = "SELECT count(DISTINCT person_id) FROM eligibility WHERE county IS NULL"
    total = int(fetch(count)[0][0])
    hint = (
        "Fill in eligibility.county, add a member_county table (person_id, county), "
        "give a California zip_code, or pass --county NAME as the default county."
    )
    problems = []
    for person, zip_code in rows[:EXAMPLES]:
        why = f"zip_code {zip_code!r} is not a California ZIP code" if zip_code else "no zip_code"
        message = f"person {person!r} has no county and none can be derived ({why})"
        problems.append(Problem(file, None, "county", message, hint))
    if total > EXAMPLES:
        more = total - EXAMPLES
        message = f"{more:,} more members have no county that can be derived"
        problems.append(Problem(file, None, "county", message, hint, count=more))
    return problems
