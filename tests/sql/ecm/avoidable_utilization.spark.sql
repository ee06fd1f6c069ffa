-- ecm.avoidable_utilization as of 2026-01-01 (spark); the policy hash, which changes with any policy edit, is shown as '<policy_hash>'

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
      STARTSWITH(hcpcs_code, '9920')
      OR STARTSWITH(hcpcs_code, '9921')
      OR STARTSWITH(hcpcs_code, '9934')
      OR STARTSWITH(hcpcs_code, '9935')
      OR STARTSWITH(hcpcs_code, '9938')
      OR STARTSWITH(hcpcs_code, '9939')
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
    COALESCE(claim_line_start_date, claim_start_date) <= CAST('2026-01-01' AS DATE)
    OR COALESCE(admission_date, claim_start_date) <= CAST('2026-01-01' AS DATE)
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
  CAST(ARRAY() AS ARRAY<STRING>) AS value_sets
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

-- agg_ed_visit
SELECT
  person_id,
  COUNT(*) FILTER(WHERE
    (
      visit_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '6' MONTH AS DATE)
      AND visit_date <= CAST('2026-01-01' AS DATE)
    )
    AND NOT urgent_care_only) AS `ed_visits_f17d2fba`,
  COUNT(*) FILTER(WHERE
    (
      visit_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND visit_date <= CAST('2026-01-01' AS DATE)
    )
    AND NOT urgent_care_only) AS `ed_visits_92bd7449`
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
      admission_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '6' MONTH AS DATE)
      AND admission_date <= CAST('2026-01-01' AS DATE)
    )
    AND source = 'claim'
    AND (
      (
        setting = 'acute_hospital' AND unplanned
      )
      OR (
        setting = 'nursing_facility'
        AND DATEDIFF(DAY, admission_date, COALESCE(discharge_date, CAST('2026-01-01' AS DATE))) <= 100
      )
    )) AS `unplanned_stays_92213fe2`,
  COUNT(DISTINCT admission_date) FILTER(WHERE
    (
      admission_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND admission_date <= CAST('2026-01-01' AS DATE)
    )
    AND source = 'claim'
    AND (
      (
        setting = 'acute_hospital' AND unplanned
      )
      OR (
        setting = 'nursing_facility'
        AND DATEDIFF(DAY, admission_date, COALESCE(discharge_date, CAST('2026-01-01' AS DATE))) <= 100
      )
    )) AS `unplanned_stays_1312c29f`
FROM stay
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
    program IN ('hospice', 'pace', 'ccm', 'cct')
    AND start_date <= CAST('2026-01-01' AS DATE)
    AND (
      end_date IS NULL OR end_date >= CAST('2026-01-01' AS DATE)
    )) AS `program_2dd9db34`,
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
    )) AS `program_1d982975`,
  COUNT(*) FILTER(WHERE
    program IN ('dsnp')
    AND start_date <= CAST('2026-01-01' AS DATE)
    AND (
      end_date IS NULL OR end_date >= CAST('2026-01-01' AS DATE)
    )) AS `program_98b901f4`
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
  a_program_span.`program_2dd9db34`,
  a_program_span.`program_1d982975`,
  a_program_span.`program_98b901f4`,
  a_ed_visit.`ed_visits_f17d2fba`,
  a_ed_visit.`ed_visits_92bd7449`,
  a_stay.`unplanned_stays_92213fe2`,
  a_stay.`unplanned_stays_1312c29f`
FROM (
  SELECT
    person_id,
    payer,
    county,
    (
      DATEDIFF(YEAR, birth_date, CAST('2026-01-01' AS DATE)) - CASE
        WHEN birth_date + INTERVAL (
          DATEDIFF(YEAR, birth_date, CAST('2026-01-01' AS DATE))
        ) YEAR > CAST('2026-01-01' AS DATE)
        THEN 1
        ELSE 0
      END
    ) AS `age_bc1c7292`,
    (
      DATEDIFF(YEAR, birth_date, CAST('2026-01-01' AS DATE)) - CASE
        WHEN birth_date + INTERVAL (
          DATEDIFF(YEAR, birth_date, CAST('2026-01-01' AS DATE))
        ) YEAR > CAST('2026-01-01' AS DATE)
        THEN 1
        ELSE 0
      END
    ) AS `age_a442c8fe`,
    COALESCE(LOWER(TRIM(hospice_flag)) IN ('1', 'y', 'yes', 't', 'true'), FALSE) AS `hospice_flag_25213061`,
    COALESCE(UPPER(REPLACE(snp_type, '-', '')) = 'DSNP', FALSE) AS `dsnp_72703c96`
  FROM members
) AS m
LEFT JOIN plan_offer AS o
  ON o.payer = m.payer AND o.county = m.county
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
    `age_bc1c7292` >= 21
  ) AS `age_bc1c7292__met`,
  (
    `age_a442c8fe` < 21
  ) AS `age_a442c8fe__met`,
  (
    COALESCE(`program_2dd9db34`, 0) >= 1
  ) AS `program_2dd9db34__met`,
  (
    COALESCE(`program_1d982975`, 0) >= 1
  ) AS `program_1d982975__met`,
  (
    `hospice_flag_25213061`
  ) AS `hospice_flag_25213061__met`,
  (
    `dsnp_72703c96`
  ) AS `dsnp_72703c96__met`,
  (
    COALESCE(`program_98b901f4`, 0) >= 1
  ) AS `program_98b901f4__met`,
  (
    COALESCE(`ed_visits_f17d2fba`, 0) >= 5
  ) AS `ed_visits_f17d2fba__met`,
  (
    COALESCE(`unplanned_stays_92213fe2`, 0) >= 3
  ) AS `unplanned_stays_92213fe2__met`,
  (
    COALESCE(`ed_visits_92bd7449`, 0) >= 3
  ) AS `ed_visits_92bd7449__met`,
  (
    COALESCE(`unplanned_stays_1312c29f`, 0) >= 2
  ) AS `unplanned_stays_1312c29f__met`
FROM feature_values;

-- decision
SELECT
  *,
  (
    (
      (
        (
          `age_bc1c7292__met`
        )
        AND (
          `ed_visits_f17d2fba__met` OR `unplanned_stays_92213fe2__met`
        )
      )
      OR (
        (
          `age_a442c8fe__met`
        )
        AND (
          `ed_visits_92bd7449__met` OR `unplanned_stays_1312c29f__met`
        )
      )
    )
  ) AS `ecm__avoidable_utilization__met`,
  (
    (
      (
        `program_2dd9db34__met` OR `program_1d982975__met` OR `hospice_flag_25213061__met`
      )
    )
    OR (
      (
        (
          `dsnp_72703c96__met` OR `program_98b901f4__met`
        )
      )
    )
  ) AS `ecm__avoidable_utilization__excluded`,
  CASE WHEN offers IS NULL THEN NULL ELSE TRUE END AS `ecm__avoidable_utilization__offered`
FROM feature_tests
ORDER BY
  person_id NULLS LAST;

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
    EXPLODE(
      ARRAY(
        STRUCT(
          'ecm.avoidable_utilization' AS program_id,
          (
            `ecm__avoidable_utilization__met` AND NOT `ecm__avoidable_utilization__excluded`
          ) AS eligible,
          CAST(`ecm__avoidable_utilization__offered` AS BOOLEAN) AS offered,
          CASE
            WHEN `ecm__avoidable_utilization__met` AND `ecm__avoidable_utilization__excluded`
            THEN 'excluded'
            WHEN `ecm__avoidable_utilization__met`
            AND `ecm__avoidable_utilization__offered` IS FALSE
            THEN 'not_offered'
            WHEN `ecm__avoidable_utilization__met`
            THEN 'eligible'
            ELSE 'not_eligible'
          END AS status,
          '2025-01-01' AS rule_version
        )
      )
    ) AS d
  FROM decision
) AS rows;

-- evidence
SELECT
  *
FROM decision;
