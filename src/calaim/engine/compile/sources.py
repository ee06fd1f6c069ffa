"""SQL for the source relations features aggregate over (Tuva's core layer, in small).

- `members`: the person's enrollment span covering the as-of date (one row per person).
- `claim_line`: the one scan of `medical_claim`: each line's dates, codes, diagnoses and
  flags (ED, urgent care, office visit, stay, service), normalized once; every source below
  reads it instead of the claims.
- `ed_visit`: one row per person and ED visit date.
- `office_visit`: one row per person and date of an office, home or urgent-care visit.
- `program_span`: program enrollments with the member's birth date.
- `stay`: hospital and facility stays from institutional claims and `facility_stay`.
- `raw_code`, `code_map`, `dx`: claims with a diagnosis in a value set some rule cites (the
  distinct codes are matched to the sets once; then one row per claim and set). Each reads
  the diagnosis columns of `medical_claim` in one scan (the filled ones unnested together).
- `service`: past ECM / Community Supports service lines, by HCPCS code + modifier.

Every query is written in DuckDB's dialect; backends transpile with SQLGlot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from calaim.engine.features.base import Context, sql_list
from calaim.engine.loading.value_sets import CodeRow

DIAGNOSIS_COLUMNS = tuple(f"diagnosis_code_{i}" for i in range(1, 26))
MODIFIER_COLUMNS = tuple(f"hcpcs_modifier_{i}" for i in range(1, 6))
LINE_DATE = "coalesce(claim_line_start_date, claim_start_date)"
LINE_END = "coalesce(claim_line_end_date, claim_end_date, claim_line_start_date, claim_start_date)"


@dataclass(frozen=True)
class SourceInputs:
    """What the sources need to know about the inputs and the policy."""

    ctx: Context
    definitions: dict[str, tuple[CodeRow, ...]]  # definition value sets, rows in force
    diagnosis_columns: Sequence[str]  # diagnosis columns present in medical_claim
    person: str | None = None  # restrict every source to one person (explain)
    needs_claim_value_sets: bool = False  # do ED visits / stays carry dx value sets?


def code_match_sql(column: str, rows: Iterable[CodeRow]) -> str:
    """Condition: `column` matches a value set's include rows and none of its exclude rows."""
    rows = tuple(rows)

    def matches(selected: list[CodeRow]) -> str:
        exact = [row.code for row in selected if row.match == "exact"]
        parts = [f"{column} IN {sql_list(exact)}"] if exact else []
        parts += [
            f"starts_with({column}, '{row.code}')" for row in selected if row.match == "prefix"
        ]
        return " OR ".join(parts) if parts else "FALSE"

    include = matches([row for row in rows if row.include])
    excluded = [row for row in rows if not row.include]
    if not excluded:
        return f"({include})"
    return f"(({include}) AND NOT ({matches(excluded)}))"


def _person_filter(inputs: SourceInputs, column: str = "person_id") -> str:
    if inputs.person is None:
        return "TRUE"
    return f"{column} = '" + inputs.person.replace("'", "''") + "'"


def members_sql(inputs: SourceInputs) -> str:
    """The Medicaid enrollment span covering the as-of date; the latest-starting one if several.

    Only spans with payer_type medicaid (or none) enroll. A dual member's Medicare D-SNP span
    covering the date sets snp_type D-SNP on the Medi-Cal enrollment.
    """
    as_of = inputs.ctx.as_of_sql
    covering = f"""enrollment_start_date <= {as_of}
    AND (enrollment_end_date IS NULL OR enrollment_end_date >= {as_of})
    AND (death_date IS NULL OR death_date > {as_of})
    AND {_person_filter(inputs)}"""
    return f"""
SELECT spans.person_id, member_id, birth_date, gender, race, ethnicity, payer, plan, county,
       language, coalesce(spans.snp_type, dsnp.snp_type) AS snp_type, hospice_flag
FROM (
  SELECT *, row_number() OVER (
    PARTITION BY person_id ORDER BY enrollment_start_date DESC, payer, county) AS span_rank
  FROM eligibility
  WHERE {covering} AND coalesce(payer_type, 'medicaid') = 'medicaid'
) AS spans
LEFT JOIN (
  SELECT person_id, 'D-SNP' AS snp_type FROM eligibility
  WHERE {covering} AND payer_type = 'medicare'
    AND upper(replace(snp_type, '-', '')) = 'DSNP'
  GROUP BY person_id
) AS dsnp ON dsnp.person_id = spans.person_id
WHERE span_rank = 1"""


def _claim_value_sets(inputs: SourceInputs) -> tuple[str, str]:
    """(join clause, list expression) attaching the dx value sets of each claim."""
    if not inputs.needs_claim_value_sets:
        return "", "CAST([] AS VARCHAR[])"
    join = (
        "LEFT JOIN (SELECT DISTINCT person_id, claim_id, value_set FROM dx) AS claim_dx "
        "USING (person_id, claim_id)"
    )
    return join, "list(DISTINCT claim_dx.value_set) FILTER (WHERE claim_dx.value_set IS NOT NULL)"


def _is_ed_sql(inputs: SourceInputs) -> str:
    """Condition: a claim line marks an emergency department visit (urgent care excluded)."""
    d = inputs.definitions
    return " OR ".join(
        (
            code_match_sql("revenue_center_code", d["ed_revenue_codes"]),
            code_match_sql("place_of_service_code", d["ed_place_of_service"]),
            code_match_sql("hcpcs_code", d["ed_procedure_codes"]),
        )
    )


def _is_urgent_care_sql(inputs: SourceInputs) -> str:
    """Condition: a claim line marks an urgent-care visit (revenue 0456, place of service 20)."""
    d = inputs.definitions
    return " OR ".join(
        (
            code_match_sql("revenue_center_code", d["urgent_care_revenue_codes"]),
            code_match_sql("place_of_service_code", d["urgent_care_place_of_service"]),
            code_match_sql("hcpcs_code", d["urgent_care_procedure_codes"]),
        )
    )


def claim_line_sql(inputs: SourceInputs, hcpcs_codes: Sequence[str]) -> str:
    """The one scan of `medical_claim`: every line dated (or admitted) by the as-of date, with
    what the event sources and diagnoses read, normalized once.

    Flags mark ED lines (or urgent care billed as revenue 0456), office, home and urgent-care
    visits, service lines of the coding table and institutional stay lines; they are never
    NULL (a NULL test reads as false, as it does in a WHERE clause). `diagnoses` lists the
    filled diagnosis columns. The filter reads dates only, so pushing it into the scan costs
    nothing.
    """
    d = inputs.definitions
    as_of = inputs.ctx.as_of_sql
    modifiers = ", ".join(f"upper({column})" for column in MODIFIER_COLUMNS)
    codes = sql_list(hcpcs_codes) if hcpcs_codes else "('')"
    acute = code_match_sql("bill_type_code", d["inpatient_bill_types"])
    snf = code_match_sql("bill_type_code", d["snf_bill_types"])
    flags = {
        "ed": _is_ed_sql(inputs),
        "urgent_revenue": code_match_sql("revenue_center_code", d["urgent_care_revenue_codes"]),
        "urgent": _is_urgent_care_sql(inputs),
        "office": code_match_sql("hcpcs_code", d["office_visit_procedure_codes"]),
        "service": f"upper(hcpcs_code) IN {codes}",
        "acute": acute,
        "stay": f"claim_type <> 'professional' AND ({acute} OR {snf})",
        "unplanned": code_match_sql("admit_type_code", d["unplanned_admit_types"]),
    }
    flag_columns = "".join(
        f",\n       coalesce({sql}, FALSE) AS {name}" for name, sql in flags.items()
    )
    return f"""
SELECT person_id, claim_id, {LINE_DATE} AS line_date,
       greatest({LINE_END}, {LINE_DATE}) AS line_end,
       coalesce(admission_date, claim_start_date) AS admission_date,
       coalesce(discharge_date, claim_end_date) AS discharge_date,
       upper(hcpcs_code) AS hcpcs_code,
       CAST(coalesce(service_unit_quantity, 1) AS DOUBLE) AS units,
       CASE WHEN upper(hcpcs_code) IN {codes} THEN [{modifiers}] END AS modifiers,
       {_diagnosis_list(inputs)} AS diagnoses{flag_columns}
FROM medical_claim
WHERE ({LINE_DATE} <= {as_of} OR coalesce(admission_date, claim_start_date) <= {as_of})
  AND {_person_filter(inputs)}"""


def ed_visit_sql(inputs: SourceInputs) -> str:
    """One row per person and date with an ED revenue code, ED place of service or ED E/M.

    Dates whose only ED-like line is revenue code 0456 ("Emergency Room - Urgent Care", in
    HEDIS's ED value set but an urgent-care visit) are kept with `urgent_care_only` true, so
    a rule decides (by a dated parameter) whether they count.
    """
    join, value_sets = _claim_value_sets(inputs)
    # Claim ids are evidence for one person's explanation only.
    claim_ids = "string_agg(DISTINCT ed.claim_id, ', ')" if inputs.person else "NULL"
    return f"""
SELECT ed.person_id, ed.visit_date, {claim_ids} AS claim_ids,
       bool_and(ed.urgent_care_only) AS urgent_care_only, {value_sets} AS value_sets
FROM (
  SELECT DISTINCT person_id, claim_id, line_date AS visit_date, NOT ed AS urgent_care_only
  FROM claim_line
  WHERE (ed OR urgent_revenue) AND line_date <= {inputs.ctx.as_of_sql}
) AS ed
{join}
GROUP BY ed.person_id, ed.visit_date"""


def office_visit_sql(inputs: SourceInputs) -> str:
    """One row per person and date of an outpatient visit that is not an ED visit: an office,
    home or preventive E/M visit, or an urgent-care visit (`urgent` true)."""
    join, value_sets = _claim_value_sets(inputs)
    claim_ids = "string_agg(DISTINCT ov.claim_id, ', ')" if inputs.person else "NULL"
    return f"""
SELECT ov.person_id, ov.visit_date, {claim_ids} AS claim_ids, bool_or(ov.urgent) AS urgent,
       {value_sets} AS value_sets
FROM (
  SELECT DISTINCT person_id, claim_id, line_date AS visit_date, urgent
  FROM claim_line
  WHERE NOT ed AND (office OR urgent) AND line_date <= {inputs.ctx.as_of_sql}
) AS ov
{join}
GROUP BY ov.person_id, ov.visit_date"""


def program_span_sql(inputs: SourceInputs) -> str:
    """Program enrollments of the enrolled members, with each member's birth date (so a rule
    can ask whether an enrollment lasted past a birthday, e.g. aging out of foster care)."""
    return """
SELECT p.person_id, p.program, p.start_date, p.end_date, m.birth_date
FROM program_enrollment AS p
JOIN members AS m ON m.person_id = p.person_id"""


def stay_sql(inputs: SourceInputs) -> str:
    """Institutional stays from claims (acute 11x, SNF 21x) plus the facility_stay table.

    Claims of type `undetermined` (Tuva's value until a claim is classified) count when they
    carry an inpatient or SNF bill type, which only institutional claims have.
    """
    join, value_sets = _claim_value_sets(inputs)
    return f"""
SELECT c.person_id, c.claim_id, c.admission_date, c.discharge_date, c.setting, c.unplanned,
       'claim' AS source, {value_sets} AS value_sets
FROM (
  SELECT person_id, claim_id,
         min(admission_date) AS admission_date,
         max(discharge_date) AS discharge_date,
         CASE WHEN bool_or(acute) THEN 'acute_hospital' ELSE 'nursing_facility' END AS setting,
         bool_or(unplanned) AS unplanned
  FROM claim_line
  WHERE stay AND admission_date <= {inputs.ctx.as_of_sql}
  GROUP BY person_id, claim_id
) AS c
{join}
GROUP BY ALL
UNION ALL
SELECT person_id, NULL AS claim_id, admission_date, discharge_date, facility_type AS setting,
       NULL AS unplanned, 'facility_stay' AS source, CAST([] AS VARCHAR[]) AS value_sets
FROM facility_stay
WHERE admission_date <= {inputs.ctx.as_of_sql} AND {_person_filter(inputs)}"""


def _diagnosis_list(inputs: SourceInputs) -> str:
    """The line's filled diagnosis columns as one list."""
    columns = inputs.diagnosis_columns or ["CAST(NULL AS VARCHAR)"]
    return "[" + ", ".join(columns) + "]"


def raw_code_sql(inputs: SourceInputs) -> str:
    """Every distinct diagnosis code as written in the claims (a few thousand values)."""
    return """
SELECT DISTINCT raw_code
FROM (SELECT unnest(diagnoses) AS raw_code FROM claim_line) AS codes
WHERE raw_code IS NOT NULL"""


def code_map_sql(lengths: Sequence[int]) -> str:
    """Raw code → cited value sets it belongs to (include rows match, no exclude row does)."""
    normalized = "SELECT raw_code, upper(replace(trim(raw_code), '.', '')) AS code FROM raw_code"
    matched = [
        f"SELECT c.raw_code, v.value_set, v.include FROM codes AS c JOIN dx_code AS v "
        f"ON v.match = 'prefix' AND v.code_length = {n} AND left(c.code, {n}) = v.code"
        for n in lengths
    ]
    matched.append(
        "SELECT c.raw_code, v.value_set, v.include FROM codes AS c JOIN dx_code AS v "
        "ON v.match = 'exact' AND c.code = v.code"
    )
    union = "\n  UNION ALL\n  ".join(matched)
    return f"""
WITH codes AS ({normalized}), matches AS (
  {union}
)
SELECT raw_code, value_set FROM matches GROUP BY raw_code, value_set HAVING bool_and(include)"""


def dx_sql(inputs: SourceInputs) -> str:
    """One row per claim and cited value set it matches, with the matching codes."""
    # The matching codes are shown only when explaining one person; a population run skips
    # that (costly) string aggregation.
    codes = "string_agg(DISTINCT raw_code, ', ' ORDER BY raw_code)" if inputs.person else "NULL"
    return f"""
SELECT person_id, claim_id, value_set, min(service_date) AS service_date, {codes} AS codes
FROM (
  SELECT person_id, claim_id, line_date AS service_date, unnest(diagnoses) AS raw_code
  FROM claim_line
  WHERE line_date <= {inputs.ctx.as_of_sql}
) AS lines
JOIN code_map AS m USING (raw_code)
GROUP BY person_id, claim_id, value_set"""


def service_sql(inputs: SourceInputs) -> str:
    """Past ECM / CS service lines: the coding table decides by code + any modifier slot.

    `days` is the days a line stands for (its date span, or its units for per-diem and
    monthly services); `span_end` is the last of those days, so features can count only the
    days that fall inside a window.
    """
    days = (
        "greatest(date_diff('day', c.line_date, c.line_end) + 1, "
        "CAST(CASE s.unit WHEN 'day' THEN c.units WHEN 'month' THEN c.units * 30 ELSE 1 END "
        "AS BIGINT))"
    )
    return f"""
SELECT c.person_id, c.claim_id, s.program_id, s.hcpcs, s.modifier,
       c.line_date AS start_date, c.line_end AS end_date, c.units, {days} AS days,
       c.line_date + CAST({days} - 1 AS INTEGER) AS span_end
FROM claim_line AS c
JOIN service_code AS s
  ON c.hcpcs_code = s.hcpcs AND list_contains(c.modifiers, s.modifier)
 AND (s.start_date IS NULL OR s.start_date <= c.line_date)
 AND (s.end_date IS NULL OR c.line_date < s.end_date)
WHERE c.service AND c.line_date <= {inputs.ctx.as_of_sql}"""
