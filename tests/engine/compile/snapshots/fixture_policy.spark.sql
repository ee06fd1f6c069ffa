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
    ROW_NUMBER() OVER (
      PARTITION BY person_id
      ORDER BY enrollment_start_date DESC, payer NULLS LAST, county NULLS LAST
    ) AS span_rank
  FROM eligibility
  WHERE
    enrollment_start_date <= CAST('2024-06-01' AS DATE)
    AND (
      enrollment_end_date IS NULL OR enrollment_end_date >= CAST('2024-06-01' AS DATE)
    )
    AND (
      death_date IS NULL OR death_date > CAST('2024-06-01' AS DATE)
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
    enrollment_start_date <= CAST('2024-06-01' AS DATE)
    AND (
      enrollment_end_date IS NULL OR enrollment_end_date >= CAST('2024-06-01' AS DATE)
    )
    AND (
      death_date IS NULL OR death_date > CAST('2024-06-01' AS DATE)
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
    WHEN UPPER(hcpcs_code) IN ('G9012', 'H0044')
    THEN ARRAY(
      UPPER(hcpcs_modifier_1),
      UPPER(hcpcs_modifier_2),
      UPPER(hcpcs_modifier_3),
      UPPER(hcpcs_modifier_4),
      UPPER(hcpcs_modifier_5)
    )
  END AS modifiers,
  ARRAY(diagnosis_code_1, diagnosis_code_2, diagnosis_code_3) AS diagnoses,
  COALESCE(
    (
      revenue_center_code IN ('0450', '0451', '0452', '0456', '0459', '0981')
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
      STARTSWITH(hcpcs_code, '9920')
      OR STARTSWITH(hcpcs_code, '9921')
      OR STARTSWITH(hcpcs_code, '9934')
      OR STARTSWITH(hcpcs_code, '9935')
      OR STARTSWITH(hcpcs_code, '9938')
      OR STARTSWITH(hcpcs_code, '9939')
    ),
    FALSE
  ) AS office,
  COALESCE(UPPER(hcpcs_code) IN ('G9012', 'H0044'), FALSE) AS service,
  COALESCE((
    STARTSWITH(bill_type_code, '11')
  ), FALSE) AS acute,
  COALESCE(
    claim_type <> 'professional'
    AND (
      (
        STARTSWITH(bill_type_code, '11')
      ) OR (
        STARTSWITH(bill_type_code, '21')
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
    COALESCE(claim_line_start_date, claim_start_date) <= CAST('2024-06-01' AS DATE)
    OR COALESCE(admission_date, claim_start_date) <= CAST('2024-06-01' AS DATE)
  )
  AND TRUE;

-- raw_code
SELECT DISTINCT
  raw_code
FROM (
  SELECT
    EXPLODE(diagnoses) AS raw_code
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
    ON v.match = 'prefix' AND v.code_length = 4 AND LEFT(c.code, 4) = v.code
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
  BOOL_AND(include);

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
    EXPLODE(diagnoses) AS raw_code
  FROM claim_line
  WHERE
    line_date <= CAST('2024-06-01' AS DATE)
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
  BOOL_AND(ed.urgent_care_only) AS urgent_care_only,
  CAST(ARRAY() AS ARRAY<STRING>) AS value_sets
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
    ) AND line_date <= CAST('2024-06-01' AS DATE)
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
  CAST(ARRAY() AS ARRAY<STRING>) AS value_sets
FROM (
  SELECT
    person_id,
    claim_id,
    MIN(admission_date) AS admission_date,
    MAX(discharge_date) AS discharge_date,
    CASE WHEN BOOL_OR(acute) THEN 'acute_hospital' ELSE 'nursing_facility' END AS setting,
    BOOL_OR(unplanned) AS unplanned
  FROM claim_line
  WHERE
    stay AND admission_date <= CAST('2024-06-01' AS DATE)
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
  CAST(ARRAY() AS ARRAY<STRING>) AS value_sets
FROM facility_stay
WHERE
  admission_date <= CAST('2024-06-01' AS DATE) AND TRUE;

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
    DATEDIFF(DAY, c.line_date, c.line_end) + 1,
    CAST(CASE s.unit WHEN 'day' THEN c.units WHEN 'month' THEN c.units * 30 ELSE 1 END AS BIGINT)
  ) AS days,
  c.line_date + CAST(GREATEST(
    DATEDIFF(DAY, c.line_date, c.line_end) + 1,
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
  c.service AND c.line_date <= CAST('2024-06-01' AS DATE);

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
    value_set = 'homeless_z'
    AND service_date <= CAST('2024-06-01' AS DATE)
    AND (
      service_date > CAST(CAST('2024-06-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2024-06-01' AS DATE)
    )) AS `diagnosis_27756322`
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
      visit_date > CAST(CAST('2024-06-01' AS DATE) - INTERVAL '3' MONTH AS DATE)
      AND visit_date <= CAST('2024-06-01' AS DATE)
    )) AS `ed_visits_0d20dd10`
FROM ed_visit
WHERE
  person_id IN (
    SELECT
      person_id
    FROM members
  )
GROUP BY
  person_id;

-- agg_service
SELECT
  person_id,
  COUNT(DISTINCT claim_id) FILTER(WHERE
    program_id IN ('cs.test_support') AND start_date <= CAST('2024-06-01' AS DATE)) AS `service_use_69d4808c`
FROM service
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
  MAX_BY(status, observed_date || ' ' || status) FILTER(WHERE
    (
      observed_date > CAST(CAST('2024-06-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2024-06-01' AS DATE)
    )) AS `housing_status_f4dad065`
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
    program IN ('hospice')
    AND start_date <= CAST('2024-06-01' AS DATE)
    AND (
      end_date IS NULL OR end_date >= CAST('2024-06-01' AS DATE)
    )) AS `program_4019bb9c`
FROM program_span
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
  a_ed_visit.`ed_visits_0d20dd10`,
  a_program_span.`program_4019bb9c`,
  a_housing_status.`housing_status_f4dad065`,
  a_dx.`diagnosis_27756322`,
  a_service.`service_use_69d4808c`
FROM (
  SELECT
    person_id,
    payer,
    county,
    (
      DATEDIFF(YEAR, birth_date, CAST('2024-06-01' AS DATE)) - CASE
        WHEN birth_date + INTERVAL (
          DATEDIFF(YEAR, birth_date, CAST('2024-06-01' AS DATE))
        ) YEAR > CAST('2024-06-01' AS DATE)
        THEN 1
        ELSE 0
      END
    ) AS `age_071192ae`
  FROM members
) AS m
LEFT JOIN plan_offer AS o
  ON o.payer = m.payer AND o.county = m.county
LEFT JOIN agg_ed_visit AS a_ed_visit
  ON a_ed_visit.person_id = m.person_id
LEFT JOIN agg_program_span AS a_program_span
  ON a_program_span.person_id = m.person_id
LEFT JOIN agg_housing_status AS a_housing_status
  ON a_housing_status.person_id = m.person_id
LEFT JOIN agg_dx AS a_dx
  ON a_dx.person_id = m.person_id
LEFT JOIN agg_service AS a_service
  ON a_service.person_id = m.person_id;

-- feature_tests
SELECT
  *,
  (
    COALESCE(`ed_visits_0d20dd10`, 0) >= 2
  ) AS `ed_visits_0d20dd10__met`,
  (
    COALESCE(`program_4019bb9c`, 0) >= 1
  ) AS `program_4019bb9c__met`,
  (
    COALESCE(`housing_status_f4dad065` IN ('unsheltered', 'sheltered'), FALSE)
  ) AS `housing_status_f4dad065__met`,
  (
    COALESCE(`diagnosis_27756322`, 0) >= 1
  ) AS `diagnosis_27756322__met`,
  (
    COALESCE(`service_use_69d4808c`, 0) >= 1
  ) AS `service_use_69d4808c__met`,
  (
    `age_071192ae` >= 50
  ) AS `age_071192ae__met`
FROM feature_values;

-- decision
SELECT
  *,
  (
    `ed_visits_0d20dd10__met`
  ) AS `ecm__test_pof__met`,
  (
    `program_4019bb9c__met`
  ) AS `ecm__test_pof__excluded`,
  CASE WHEN offers IS NULL THEN NULL ELSE TRUE END AS `ecm__test_pof__offered`,
  (
    (
      (
        `ed_visits_0d20dd10__met`
      )
    )
  ) AS `ecm__met`,
  (
    `program_4019bb9c__met`
  ) AS `ecm__excluded`,
  CASE WHEN offers IS NULL THEN NULL ELSE TRUE END AS `ecm__offered`,
  (
    (
      (
        `housing_status_f4dad065__met` OR `diagnosis_27756322__met`
      )
    )
  )
  AND (
    NOT (
      payer = 'TESTPLAN' AND county IN ('Los Angeles')
    ) OR `age_071192ae__met`
  ) AS `cs__test_support__met`,
  (
    `service_use_69d4808c__met`
  ) AS `cs__test_support__excluded`,
  CASE
    WHEN offers IS NULL
    THEN NULL
    ELSE ARRAY_CONTAINS(offers, 'cs.test_support')
  END AS `cs__test_support__offered`
FROM feature_tests
ORDER BY
  person_id NULLS LAST;

-- determinations
SELECT
  person_id,
  d.program_id,
  CAST('2024-06-01' AS DATE) AS as_of,
  payer,
  county,
  d.eligible,
  d.offered,
  d.status,
  d.rule_version,
  '21868ade02181371' AS policy_hash
FROM (
  SELECT
    person_id,
    payer,
    county,
    EXPLODE(
      ARRAY(
        STRUCT(
          'ecm.test_pof' AS program_id,
          (
            `ecm__test_pof__met` AND NOT `ecm__test_pof__excluded`
          ) AS eligible,
          CAST(`ecm__test_pof__offered` AS BOOLEAN) AS offered,
          CASE
            WHEN `ecm__test_pof__met` AND `ecm__test_pof__excluded`
            THEN 'excluded'
            WHEN `ecm__test_pof__met` AND `ecm__test_pof__offered` IS FALSE
            THEN 'not_offered'
            WHEN `ecm__test_pof__met`
            THEN 'eligible'
            ELSE 'not_eligible'
          END AS status,
          '2022-01-01' AS rule_version
        ),
        STRUCT(
          'ecm' AS program_id,
          (
            `ecm__met` AND NOT `ecm__excluded`
          ) AS eligible,
          CAST(`ecm__offered` AS BOOLEAN) AS offered,
          CASE
            WHEN `ecm__met` AND `ecm__excluded`
            THEN 'excluded'
            WHEN `ecm__met` AND `ecm__offered` IS FALSE
            THEN 'not_offered'
            WHEN `ecm__met`
            THEN 'eligible'
            ELSE 'not_eligible'
          END AS status,
          '2022-01-01' AS rule_version
        ),
        STRUCT(
          'cs.test_support' AS program_id,
          (
            `cs__test_support__met` AND NOT `cs__test_support__excluded`
          ) AS eligible,
          CAST(`cs__test_support__offered` AS BOOLEAN) AS offered,
          CASE
            WHEN `cs__test_support__met` AND `cs__test_support__excluded`
            THEN 'excluded'
            WHEN `cs__test_support__met` AND `cs__test_support__offered` IS FALSE
            THEN 'not_offered'
            WHEN `cs__test_support__met`
            THEN 'eligible'
            ELSE 'not_eligible'
          END AS status,
          '2024-01-01' AS rule_version
        )
      )
    ) AS d
  FROM decision
) AS rows;

-- evidence
SELECT
  *
FROM decision;
