-- ecm.homeless_adult as of 2026-01-01 (duckdb); the policy hash, which changes with any policy edit, is shown as '<policy_hash>'

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
    ON v.match = 'prefix' AND v.code_length = 2 AND LEFT(c.code, 2) = v.code
  UNION ALL
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
    ON v.match = 'prefix' AND v.code_length = 4 AND LEFT(c.code, 4) = v.code
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
  CAST([] AS TEXT[]) AS value_sets
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
  CAST([] AS TEXT[]) AS value_sets
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

-- program_span
SELECT
  p.person_id,
  p.program,
  p.start_date,
  p.end_date,
  m.birth_date
FROM program_enrollment AS p
JOIN members AS m
  ON m.person_id = p.person_id;

-- agg_dx
SELECT
  person_id,
  COUNT(*) FILTER(WHERE
    value_set = 'homelessness'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS "diagnosis_8de19629",
  COUNT(*) FILTER(WHERE
    value_set = 'serious_mental_illness'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS "diagnosis_c3c1cd51",
  COUNT(*) FILTER(WHERE
    value_set = 'substance_use_disorder'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS "diagnosis_3c696bd3",
  COUNT(*) FILTER(WHERE
    value_set = 'serious_chronic_physical'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS "diagnosis_7efdb3e6",
  COUNT(*) FILTER(WHERE
    value_set = 'intellectual_developmental_disability'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS "diagnosis_6dc45bde",
  COUNT(*) FILTER(WHERE
    value_set = 'traumatic_brain_injury'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS "diagnosis_0108f74d",
  COUNT(*) FILTER(WHERE
    value_set = 'hiv'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS "diagnosis_71a18315",
  COUNT(*) FILTER(WHERE
    value_set = 'dementia'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS "diagnosis_f06337bf"
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
    )) AS "ed_visits_288da3d5"
FROM ed_visit
WHERE
  person_id IN (
    SELECT
      person_id
    FROM members
  )
GROUP BY
  person_id;

-- agg_stay
SELECT
  person_id,
  COUNT(DISTINCT admission_date) FILTER(WHERE
    (
      admission_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND admission_date <= CAST('2026-01-01' AS DATE)
    )
    AND setting IN ('acute_hospital', 'psychiatric_inpatient')) AS "hospital_stays_2840a0b2"
FROM stay
WHERE
  person_id IN (
    SELECT
      person_id
    FROM members
  )
GROUP BY
  person_id;

-- agg_housing_status
SELECT
  person_id,
  ARG_MAX(status, observed_date || ' ' || status) FILTER(WHERE
    (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS "housing_status_328bdcdc",
  ARG_MAX(status, observed_date || ' ' || status) FILTER(WHERE
    (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS "housing_status_bc36891d"
FROM housing_status
WHERE
  person_id IN (
    SELECT
      person_id
    FROM members
  )
GROUP BY
  person_id;

-- agg_program_span
SELECT
  person_id,
  COUNT(*) FILTER(WHERE
    program IN ('smhs', 'dmc')
    AND start_date <= CAST('2026-01-01' AS DATE)
    AND (
      end_date IS NULL OR end_date >= CAST('2026-01-01' AS DATE)
    )) AS "program_740f09c7",
  COUNT(*) FILTER(WHERE
    program IN ('hospice', 'pace', 'ccm', 'cct')
    AND start_date <= CAST('2026-01-01' AS DATE)
    AND (
      end_date IS NULL OR end_date >= CAST('2026-01-01' AS DATE)
    )) AS "program_2dd9db34",
  COUNT(*) FILTER(WHERE
    program IN (
      'waiver_hiv_aids',
      'waiver_hcba',
      'waiver_alw',
      'waiver_hcbs_dd',
      'waiver_mssp',
      'waiver_sdp'
    )
    AND start_date <= CAST('2026-01-01' AS DATE)
    AND (
      end_date IS NULL OR end_date >= CAST('2026-01-01' AS DATE)
    )) AS "program_1d982975",
  COUNT(*) FILTER(WHERE
    program IN ('dsnp')
    AND start_date <= CAST('2026-01-01' AS DATE)
    AND (
      end_date IS NULL OR end_date >= CAST('2026-01-01' AS DATE)
    )) AS "program_98b901f4"
FROM program_span
WHERE
  person_id IN (
    SELECT
      person_id
    FROM members
  )
GROUP BY
  person_id;

-- agg_member_fact
SELECT
  person_id,
  ARG_MAX(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'complex_health_need'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS "fact_d3aedd7c",
  ARG_MAX(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'lives_with_dependent_children'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS "fact_b572ae75"
FROM member_fact
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
  a_housing_status."housing_status_328bdcdc",
  a_housing_status."housing_status_bc36891d",
  a_dx."diagnosis_8de19629",
  a_dx."diagnosis_c3c1cd51",
  a_dx."diagnosis_3c696bd3",
  a_dx."diagnosis_7efdb3e6",
  a_dx."diagnosis_6dc45bde",
  a_dx."diagnosis_0108f74d",
  a_dx."diagnosis_71a18315",
  a_dx."diagnosis_f06337bf",
  a_member_fact."fact_d3aedd7c",
  a_member_fact."fact_b572ae75",
  a_program_span."program_740f09c7",
  a_program_span."program_2dd9db34",
  a_program_span."program_1d982975",
  a_program_span."program_98b901f4",
  a_ed_visit."ed_visits_288da3d5",
  a_stay."hospital_stays_2840a0b2"
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
    ) AS "age_bc1c7292",
    (
      DATE_DIFF('YEAR', birth_date, CAST('2026-01-01' AS DATE)) - CASE
        WHEN birth_date + INTERVAL (
          DATE_DIFF('YEAR', birth_date, CAST('2026-01-01' AS DATE))
        ) YEAR > CAST('2026-01-01' AS DATE)
        THEN 1
        ELSE 0
      END
    ) AS "age_a442c8fe",
    COALESCE(LOWER(TRIM(hospice_flag)) IN ('1', 'y', 'yes', 't', 'true'), FALSE) AS "hospice_flag_25213061",
    COALESCE(UPPER(REPLACE(snp_type, '-', '')) = 'DSNP', FALSE) AS "dsnp_72703c96"
  FROM members
) AS m
LEFT JOIN plan_offer AS o
  ON o.payer = m.payer AND o.county = m.county
LEFT JOIN agg_housing_status AS a_housing_status
  ON a_housing_status.person_id = m.person_id
LEFT JOIN agg_dx AS a_dx
  ON a_dx.person_id = m.person_id
LEFT JOIN agg_member_fact AS a_member_fact
  ON a_member_fact.person_id = m.person_id
LEFT JOIN agg_program_span AS a_program_span
  ON a_program_span.person_id = m.person_id
LEFT JOIN agg_ed_visit AS a_ed_visit
  ON a_ed_visit.person_id = m.person_id
LEFT JOIN agg_stay AS a_stay
  ON a_stay.person_id = m.person_id;

-- feature_tests
SELECT
  *,
  (
    "age_bc1c7292" >= 21
  ) AS "age_bc1c7292__met",
  (
    COALESCE(
      "housing_status_328bdcdc" IN (
        'unsheltered',
        'sheltered',
        'exiting_institution',
        'imminent_loss',
        'fleeing_violence'
      ),
      FALSE
    )
  ) AS "housing_status_328bdcdc__met",
  (
    COALESCE("diagnosis_8de19629", 0) >= 1
  ) AS "diagnosis_8de19629__met",
  (
    "age_a442c8fe" < 21
  ) AS "age_a442c8fe__met",
  (
    COALESCE(
      "housing_status_bc36891d" IN (
        'unsheltered',
        'sheltered',
        'exiting_institution',
        'imminent_loss',
        'fleeing_violence',
        'couch_surfing'
      ),
      FALSE
    )
  ) AS "housing_status_bc36891d__met",
  (
    COALESCE("fact_d3aedd7c" = 'true', FALSE)
  ) AS "fact_d3aedd7c__met",
  (
    COALESCE("program_740f09c7", 0) >= 1
  ) AS "program_740f09c7__met",
  (
    COALESCE("diagnosis_c3c1cd51", 0) >= 2
  ) AS "diagnosis_c3c1cd51__met",
  (
    COALESCE("diagnosis_3c696bd3", 0) >= 2
  ) AS "diagnosis_3c696bd3__met",
  (
    COALESCE("diagnosis_7efdb3e6", 0) >= 2
  ) AS "diagnosis_7efdb3e6__met",
  (
    COALESCE("diagnosis_6dc45bde", 0) >= 2
  ) AS "diagnosis_6dc45bde__met",
  (
    COALESCE("diagnosis_0108f74d", 0) >= 2
  ) AS "diagnosis_0108f74d__met",
  (
    COALESCE("diagnosis_71a18315", 0) >= 2
  ) AS "diagnosis_71a18315__met",
  (
    COALESCE("diagnosis_f06337bf", 0) >= 2
  ) AS "diagnosis_f06337bf__met",
  (
    COALESCE("ed_visits_288da3d5", 0) >= 2
  ) AS "ed_visits_288da3d5__met",
  (
    COALESCE("hospital_stays_2840a0b2", 0) >= 1
  ) AS "hospital_stays_2840a0b2__met",
  (
    COALESCE("fact_b572ae75" = 'true', FALSE)
  ) AS "fact_b572ae75__met",
  (
    COALESCE("program_2dd9db34", 0) >= 1
  ) AS "program_2dd9db34__met",
  (
    COALESCE("program_1d982975", 0) >= 1
  ) AS "program_1d982975__met",
  (
    "hospice_flag_25213061"
  ) AS "hospice_flag_25213061__met",
  (
    "dsnp_72703c96"
  ) AS "dsnp_72703c96__met",
  (
    COALESCE("program_98b901f4", 0) >= 1
  ) AS "program_98b901f4__met"
FROM feature_values;

-- decision
SELECT
  *,
  (
    (
      (
        "age_bc1c7292__met"
      )
      AND (
        (
          "housing_status_328bdcdc__met"
          OR "diagnosis_8de19629__met"
          OR (
            (
              "age_a442c8fe__met"
            ) AND "housing_status_bc36891d__met"
          )
        )
      )
      AND (
        (
          "fact_d3aedd7c__met"
          OR (
            (
              "program_740f09c7__met" OR "diagnosis_c3c1cd51__met" OR "diagnosis_3c696bd3__met"
            )
          )
          OR (
            "diagnosis_7efdb3e6__met"
          )
          OR (
            "diagnosis_6dc45bde__met"
          )
          OR "diagnosis_0108f74d__met"
          OR "diagnosis_71a18315__met"
          OR "diagnosis_f06337bf__met"
          OR "ed_visits_288da3d5__met"
          OR "hospital_stays_2840a0b2__met"
        )
      )
      AND (
        NOT (
          "fact_b572ae75__met"
        )
      )
    )
  ) AS "ecm__homeless_adult__met",
  (
    (
      (
        "program_2dd9db34__met" OR "program_1d982975__met" OR "hospice_flag_25213061__met"
      )
    )
    OR (
      (
        (
          "dsnp_72703c96__met" OR "program_98b901f4__met"
        )
      )
    )
  ) AS "ecm__homeless_adult__excluded",
  CASE WHEN offers IS NULL THEN NULL ELSE TRUE END AS "ecm__homeless_adult__offered"
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
        {'program_id': 'ecm.homeless_adult', 'eligible': (
          "ecm__homeless_adult__met" AND NOT "ecm__homeless_adult__excluded"
        ), 'offered': CAST("ecm__homeless_adult__offered" AS BOOLEAN), 'status': CASE
          WHEN "ecm__homeless_adult__met" AND "ecm__homeless_adult__excluded"
          THEN 'excluded'
          WHEN "ecm__homeless_adult__met" AND "ecm__homeless_adult__offered" IS FALSE
          THEN 'not_offered'
          WHEN "ecm__homeless_adult__met"
          THEN 'eligible'
          ELSE 'not_eligible'
        END, 'rule_version': '2025-01-01'}
      ]
    ) AS d
  FROM decision
) AS rows;

-- evidence
SELECT
  *
FROM decision;
