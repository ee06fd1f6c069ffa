-- cs.sobering_center as of 2026-01-01 (duckdb); the policy hash, which changes with any policy edit, is shown as '<policy_hash>'

-- members
SELECT
  spans.person_id,
  member_id,
  birth_date,
  gender,
  race,
  ethnicity,
  payer,
  plan,
  county,
  language,
  COALESCE(spans.snp_type, dsnp.snp_type) AS snp_type,
  hospice_flag
FROM (
  SELECT
    *,
    ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY enrollment_start_date DESC, payer, county) AS span_rank
  FROM eligibility
  WHERE
    enrollment_start_date <= CAST('2026-01-01' AS DATE)
    AND (
      enrollment_end_date IS NULL OR enrollment_end_date >= CAST('2026-01-01' AS DATE)
    )
    AND (
      death_date IS NULL OR death_date > CAST('2026-01-01' AS DATE)
    )
    AND TRUE
    AND COALESCE(payer_type, 'medicaid') = 'medicaid'
) AS spans
LEFT JOIN (
  SELECT
    person_id,
    'D-SNP' AS snp_type
  FROM eligibility
  WHERE
    enrollment_start_date <= CAST('2026-01-01' AS DATE)
    AND (
      enrollment_end_date IS NULL OR enrollment_end_date >= CAST('2026-01-01' AS DATE)
    )
    AND (
      death_date IS NULL OR death_date > CAST('2026-01-01' AS DATE)
    )
    AND TRUE
    AND payer_type = 'medicare'
    AND UPPER(REPLACE(snp_type, '-', '')) = 'DSNP'
  GROUP BY
    person_id
) AS dsnp
  ON dsnp.person_id = spans.person_id
WHERE
  span_rank = 1;

-- claim_line
SELECT
  person_id,
  claim_id,
  COALESCE(claim_line_start_date, claim_start_date) AS line_date,
  GREATEST(
    COALESCE(claim_line_end_date, claim_end_date, claim_line_start_date, claim_start_date),
    COALESCE(claim_line_start_date, claim_start_date)
  ) AS line_end,
  COALESCE(admission_date, claim_start_date) AS admission_date,
  COALESCE(discharge_date, claim_end_date) AS discharge_date,
  UPPER(hcpcs_code) AS hcpcs_code,
  CAST(COALESCE(service_unit_quantity, 1) AS DOUBLE) AS units,
  CASE
    WHEN UPPER(hcpcs_code) IN (
      'G9008',
      'G9012',
      'H0014',
      'H0040',
      'H0043',
      'H0044',
      'H0045',
      'H2014',
      'H2016',
      'H2022',
      'H2024',
      'H2026',
      'H2038',
      'S5130',
      'S5151',
      'S5165',
      'S5170',
      'S9125',
      'S9452',
      'S9470',
      'S9977',
      'T1016',
      'T1019',
      'T2012',
      'T2014',
      'T2018',
      'T2020',
      'T2033',
      'T2038',
      'T2040',
      'T2041',
      'T2050',
      'T2051'
    )
    THEN [
      UPPER(hcpcs_modifier_1),
      UPPER(hcpcs_modifier_2),
      UPPER(hcpcs_modifier_3),
      UPPER(hcpcs_modifier_4),
      UPPER(hcpcs_modifier_5)
    ]
  END AS modifiers,
  [diagnosis_code_1, diagnosis_code_2, diagnosis_code_3] AS diagnoses,
  COALESCE(
    (
      revenue_center_code IN ('0450', '0451', '0452', '0459', '0981')
    )
    OR (
      place_of_service_code IN ('23')
    )
    OR (
      hcpcs_code IN ('99281', '99282', '99283', '99284', '99285')
    ),
    FALSE
  ) AS ed,
  COALESCE((
    revenue_center_code IN ('0456')
  ), FALSE) AS urgent_revenue,
  COALESCE(
    (
      revenue_center_code IN ('0456')
    )
    OR (
      place_of_service_code IN ('20')
    )
    OR (
      hcpcs_code IN ('S9083', 'S9088')
    ),
    FALSE
  ) AS urgent,
  COALESCE(
    (
      STARTS_WITH(hcpcs_code, '9920')
      OR STARTS_WITH(hcpcs_code, '9921')
      OR STARTS_WITH(hcpcs_code, '9934')
      OR STARTS_WITH(hcpcs_code, '9935')
      OR STARTS_WITH(hcpcs_code, '9938')
      OR STARTS_WITH(hcpcs_code, '9939')
    ),
    FALSE
  ) AS office,
  COALESCE(
    UPPER(hcpcs_code) IN (
      'G9008',
      'G9012',
      'H0014',
      'H0040',
      'H0043',
      'H0044',
      'H0045',
      'H2014',
      'H2016',
      'H2022',
      'H2024',
      'H2026',
      'H2038',
      'S5130',
      'S5151',
      'S5165',
      'S5170',
      'S9125',
      'S9452',
      'S9470',
      'S9977',
      'T1016',
      'T1019',
      'T2012',
      'T2014',
      'T2018',
      'T2020',
      'T2033',
      'T2038',
      'T2040',
      'T2041',
      'T2050',
      'T2051'
    ),
    FALSE
  ) AS service,
  COALESCE((
    STARTS_WITH(bill_type_code, '11')
  ), FALSE) AS acute,
  COALESCE(
    claim_type <> 'professional'
    AND (
      (
        STARTS_WITH(bill_type_code, '11')
      )
      OR (
        STARTS_WITH(bill_type_code, '21')
      )
    ),
    FALSE
  ) AS stay,
  COALESCE((
    admit_type_code IN ('1', '2', '5')
  ), FALSE) AS unplanned
FROM medical_claim
WHERE
  (
    COALESCE(claim_line_start_date, claim_start_date) <= CAST('2026-01-01' AS DATE)
    OR COALESCE(admission_date, claim_start_date) <= CAST('2026-01-01' AS DATE)
  )
  AND TRUE;

-- raw_code
SELECT DISTINCT
  raw_code
FROM (
  SELECT
    UNNEST(diagnoses) AS raw_code
  FROM claim_line
) AS codes
WHERE
  NOT raw_code IS NULL;

-- code_map
WITH codes AS (
  SELECT
    raw_code,
    UPPER(REPLACE(TRIM(raw_code), '.', '')) AS code
  FROM raw_code
), matches AS (
  SELECT
    c.raw_code,
    v.value_set,
    v.include
  FROM codes AS c
  JOIN dx_code AS v
    ON v.match = 'prefix' AND v.code_length = 3 AND LEFT(c.code, 3) = v.code
  UNION ALL
  SELECT
    c.raw_code,
    v.value_set,
    v.include
  FROM codes AS c
  JOIN dx_code AS v
    ON v.match = 'prefix' AND v.code_length = 5 AND LEFT(c.code, 5) = v.code
  UNION ALL
  SELECT
    c.raw_code,
    v.value_set,
    v.include
  FROM codes AS c
  JOIN dx_code AS v
    ON v.match = 'exact' AND c.code = v.code
)
SELECT
  raw_code,
  value_set
FROM matches
GROUP BY
  raw_code,
  value_set
HAVING
  BOOL_AND(CAST(include AS BOOLEAN));

-- dx
SELECT
  person_id,
  claim_id,
  value_set,
  MIN(service_date) AS service_date,
  NULL AS codes
FROM (
  SELECT
    person_id,
    claim_id,
    line_date AS service_date,
    UNNEST(diagnoses) AS raw_code
  FROM claim_line
  WHERE
    line_date <= CAST('2026-01-01' AS DATE)
) AS lines
JOIN code_map AS m
  USING (raw_code)
GROUP BY
  person_id,
  claim_id,
  value_set;

-- ed_visit
SELECT
  ed.person_id,
  ed.visit_date,
  NULL AS claim_ids,
  BOOL_AND(CAST(ed.urgent_care_only AS BOOLEAN)) AS urgent_care_only,
  ARRAY_AGG(DISTINCT claim_dx.value_set) FILTER(WHERE
    NOT claim_dx.value_set IS NULL) AS value_sets
FROM (
  SELECT DISTINCT
    person_id,
    claim_id,
    line_date AS visit_date,
    NOT ed AS urgent_care_only
  FROM claim_line
  WHERE
    (
      ed OR urgent_revenue
    ) AND line_date <= CAST('2026-01-01' AS DATE)
) AS ed
LEFT JOIN (
  SELECT DISTINCT
    person_id,
    claim_id,
    value_set
  FROM dx
) AS claim_dx
  USING (person_id, claim_id)
GROUP BY
  ed.person_id,
  ed.visit_date;

-- stay
SELECT
  c.person_id,
  c.claim_id,
  c.admission_date,
  c.discharge_date,
  c.setting,
  c.unplanned,
  'claim' AS source,
  ARRAY_AGG(DISTINCT claim_dx.value_set) FILTER(WHERE
    NOT claim_dx.value_set IS NULL) AS value_sets
FROM (
  SELECT
    person_id,
    claim_id,
    MIN(admission_date) AS admission_date,
    MAX(discharge_date) AS discharge_date,
    CASE
      WHEN BOOL_OR(CAST(acute AS BOOLEAN))
      THEN 'acute_hospital'
      ELSE 'nursing_facility'
    END AS setting,
    BOOL_OR(CAST(unplanned AS BOOLEAN)) AS unplanned
  FROM claim_line
  WHERE
    stay AND admission_date <= CAST('2026-01-01' AS DATE)
  GROUP BY
    person_id,
    claim_id
) AS c
LEFT JOIN (
  SELECT DISTINCT
    person_id,
    claim_id,
    value_set
  FROM dx
) AS claim_dx
  USING (person_id, claim_id)
GROUP BY ALL
UNION ALL
SELECT
  person_id,
  NULL AS claim_id,
  admission_date,
  discharge_date,
  facility_type AS setting,
  NULL AS unplanned,
  'facility_stay' AS source,
  CAST([] AS TEXT[]) AS value_sets
FROM facility_stay
WHERE
  admission_date <= CAST('2026-01-01' AS DATE) AND TRUE;

-- service
SELECT
  c.person_id,
  c.claim_id,
  s.program_id,
  s.hcpcs,
  s.modifier,
  c.line_date AS start_date,
  c.line_end AS end_date,
  c.units,
  GREATEST(
    DATE_DIFF('DAY', c.line_date, c.line_end) + 1,
    CAST(CASE s.unit WHEN 'day' THEN c.units WHEN 'month' THEN c.units * 30 ELSE 1 END AS BIGINT)
  ) AS days,
  c.line_date + CAST(GREATEST(
    DATE_DIFF('DAY', c.line_date, c.line_end) + 1,
    CAST(CASE s.unit WHEN 'day' THEN c.units WHEN 'month' THEN c.units * 30 ELSE 1 END AS BIGINT)
  ) - 1 AS INT) AS span_end
FROM claim_line AS c
JOIN service_code AS s
  ON c.hcpcs_code = s.hcpcs
  AND ARRAY_CONTAINS(c.modifiers, s.modifier)
  AND (
    s.start_date IS NULL OR s.start_date <= c.line_date
  )
  AND (
    s.end_date IS NULL OR c.line_date < s.end_date
  )
WHERE
  c.service AND c.line_date <= CAST('2026-01-01' AS DATE);

-- agg_dx
SELECT
  person_id,
  COUNT(*) FILTER(WHERE
    value_set = 'substance_intoxication'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS "diagnosis_e2cde8ac"
FROM dx
WHERE
  person_id IN (
    SELECT
      person_id
    FROM members
  )
GROUP BY
  person_id;

-- agg_ed_visit
SELECT
  person_id,
  COUNT(*) FILTER(WHERE
    (
      visit_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND visit_date <= CAST('2026-01-01' AS DATE)
    )
    AND ARRAY_CONTAINS(value_sets, 'substance_use_disorder')) AS "ed_visits_6af091a0"
FROM ed_visit
WHERE
  person_id IN (
    SELECT
      person_id
    FROM members
  )
GROUP BY
  person_id;

-- feature_values
SELECT
  m.*,
  o.offers,
  a_dx."diagnosis_e2cde8ac",
  a_ed_visit."ed_visits_6af091a0"
FROM (
  SELECT
    person_id,
    payer,
    county,
    (
      DATE_DIFF('YEAR', birth_date, CAST('2026-01-01' AS DATE)) - CASE
        WHEN birth_date + INTERVAL (
          DATE_DIFF('YEAR', birth_date, CAST('2026-01-01' AS DATE))
        ) YEAR > CAST('2026-01-01' AS DATE)
        THEN 1
        ELSE 0
      END
    ) AS "age_e61a6269"
  FROM members
) AS m
LEFT JOIN plan_offer AS o
  ON o.payer = m.payer AND o.county = m.county
LEFT JOIN agg_dx AS a_dx
  ON a_dx.person_id = m.person_id
LEFT JOIN agg_ed_visit AS a_ed_visit
  ON a_ed_visit.person_id = m.person_id;

-- feature_tests
SELECT
  *,
  (
    "age_e61a6269" >= 18
  ) AS "age_e61a6269__met",
  (
    COALESCE("diagnosis_e2cde8ac", 0) >= 1
  ) AS "diagnosis_e2cde8ac__met",
  (
    COALESCE("ed_visits_6af091a0", 0) >= 1
  ) AS "ed_visits_6af091a0__met"
FROM feature_values;

-- decision
SELECT
  *,
  (
    (
      "age_e61a6269__met"
      AND (
        "diagnosis_e2cde8ac__met" OR "ed_visits_6af091a0__met"
      )
    )
  ) AS "cs__sobering_center__met",
  FALSE AS "cs__sobering_center__excluded",
  CASE
    WHEN offers IS NULL
    THEN NULL
    ELSE ARRAY_CONTAINS(offers, 'cs.sobering_center')
  END AS "cs__sobering_center__offered"
FROM feature_tests
ORDER BY
  person_id;

-- determinations
SELECT
  person_id,
  d.program_id,
  CAST('2026-01-01' AS DATE) AS as_of,
  payer,
  county,
  d.eligible,
  d.offered,
  d.status,
  d.rule_version,
  '<policy_hash>' AS policy_hash
FROM (
  SELECT
    person_id,
    payer,
    county,
    UNNEST(
      [
        {'program_id': 'cs.sobering_center', 'eligible': (
          "cs__sobering_center__met" AND NOT "cs__sobering_center__excluded"
        ), 'offered': CAST("cs__sobering_center__offered" AS BOOLEAN), 'status': CASE
          WHEN "cs__sobering_center__met" AND "cs__sobering_center__excluded"
          THEN 'excluded'
          WHEN "cs__sobering_center__met" AND "cs__sobering_center__offered" IS FALSE
          THEN 'not_offered'
          WHEN "cs__sobering_center__met"
          THEN 'eligible'
          ELSE 'not_eligible'
        END, 'rule_version': '2022-01-01'}
      ]
    ) AS d
  FROM decision
) AS rows;

-- evidence
SELECT
  *
FROM decision;
