-- ecm as of 2026-01-01 (spark); the policy hash, which changes with any policy edit, is shown as '<policy_hash>'

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
    ON v.match = 'prefix' AND v.code_length = 6 AND LEFT(c.code, 6) = v.code
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
  COLLECT_LIST(DISTINCT claim_dx.value_set) FILTER(WHERE
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
  COLLECT_LIST(DISTINCT claim_dx.value_set) FILTER(WHERE
    NOT claim_dx.value_set IS NULL) AS value_sets
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

-- office_visit
SELECT
  ov.person_id,
  ov.visit_date,
  NULL AS claim_ids,
  BOOL_OR(ov.urgent) AS urgent,
  COLLECT_LIST(DISTINCT claim_dx.value_set) FILTER(WHERE
    NOT claim_dx.value_set IS NULL) AS value_sets
FROM (
  SELECT DISTINCT
    person_id,
    claim_id,
    line_date AS visit_date,
    urgent
  FROM claim_line
  WHERE
    NOT ed AND (
      office OR urgent
    ) AND line_date <= CAST('2026-01-01' AS DATE)
) AS ov
LEFT JOIN (
  SELECT DISTINCT
    person_id,
    claim_id,
    value_set
  FROM dx
) AS claim_dx
  USING (person_id, claim_id)
GROUP BY
  ov.person_id,
  ov.visit_date;

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
    )) AS `diagnosis_8de19629`,
  COUNT(*) FILTER(WHERE
    value_set = 'serious_mental_illness'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_c3c1cd51`,
  COUNT(*) FILTER(WHERE
    value_set = 'substance_use_disorder'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_3c696bd3`,
  COUNT(*) FILTER(WHERE
    value_set = 'serious_chronic_physical'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_7efdb3e6`,
  COUNT(*) FILTER(WHERE
    value_set = 'intellectual_developmental_disability'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_6dc45bde`,
  COUNT(*) FILTER(WHERE
    value_set = 'traumatic_brain_injury'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_0108f74d`,
  COUNT(*) FILTER(WHERE
    value_set = 'hiv'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_71a18315`,
  COUNT(*) FILTER(WHERE
    value_set = 'dementia'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_f06337bf`,
  COUNT(*) FILTER(WHERE
    value_set = 'housing_instability'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_04cc5e6b`,
  COUNT(*) FILTER(WHERE
    value_set = 'social_risk_factors'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_5a063c31`,
  COUNT(*) FILTER(WHERE
    value_set = 'overdose_suicide_risk'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_3f632c7a`,
  COUNT(*) FILTER(WHERE
    value_set = 'pregnancy'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_981018ea`,
  COUNT(*) FILTER(WHERE
    value_set = 'serious_mental_illness'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '36' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_424a8d8b`,
  COUNT(*) FILTER(WHERE
    value_set = 'substance_use_disorder'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '36' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_5ad6a919`,
  COUNT(*) FILTER(WHERE
    value_set = 'serious_chronic_physical'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '36' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_c57dbb49`,
  COUNT(*) FILTER(WHERE
    value_set = 'intellectual_developmental_disability'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '36' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_5f754ced`,
  COUNT(*) FILTER(WHERE
    value_set = 'traumatic_brain_injury'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '36' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_716cff72`,
  COUNT(*) FILTER(WHERE
    value_set = 'hiv'
    AND service_date <= CAST('2026-01-01' AS DATE)
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '36' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `diagnosis_1b4e02c2`
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
    )) AS `ed_visits_288da3d5`,
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
    AND NOT urgent_care_only) AS `ed_visits_92bd7449`,
  COUNT(*) FILTER(WHERE
    (
      visit_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND visit_date <= CAST('2026-01-01' AS DATE)
    )) AS `ed_visits_c7c842c8`,
  COUNT(*) FILTER(WHERE
    (
      visit_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND visit_date <= CAST('2026-01-01' AS DATE)
    )
    AND ARRAY_CONTAINS(value_sets, 'smi_or_sud')) AS `ed_visits_53d2e3be`,
  COUNT(*) FILTER(WHERE
    (
      visit_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND visit_date <= CAST('2026-01-01' AS DATE)
    )
    AND ARRAY_CONTAINS(value_sets, 'smi_or_sud')) AS `ed_visits_9529bb5d`
FROM ed_visit
WHERE
  person_id IN (
    SELECT
      person_id
    FROM members
  )
GROUP BY
  person_id;

-- agg_office_visit
SELECT
  person_id,
  COUNT(*) FILTER(WHERE
    (
      visit_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND visit_date <= CAST('2026-01-01' AS DATE)
    )
    AND urgent
    AND TRUE) AS `office_visits_2e80155e`,
  COUNT(*) FILTER(WHERE
    (
      visit_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND visit_date <= CAST('2026-01-01' AS DATE)
    )
    AND NOT urgent
    AND TRUE) AS `office_visits_117dc168`
FROM office_visit
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
    AND setting IN ('acute_hospital', 'psychiatric_inpatient')) AS `hospital_stays_2840a0b2`,
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
    )) AS `unplanned_stays_1312c29f`,
  COUNT(DISTINCT admission_date) FILTER(WHERE
    (
      admission_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND admission_date <= CAST('2026-01-01' AS DATE)
    )
    AND setting IN ('acute_hospital', 'psychiatric_inpatient')
    AND (
      ARRAY_CONTAINS(value_sets, 'smi_or_sud') OR setting IN ('psychiatric_inpatient')
    )) AS `hospital_stays_a6241e69`,
  MAX(DATEDIFF(DAY, admission_date, CAST('2026-01-01' AS DATE))) FILTER(WHERE
    setting IN ('nursing_facility')
    AND admission_date <= CAST('2026-01-01' AS DATE)
    AND (
      discharge_date IS NULL OR discharge_date > CAST('2026-01-01' AS DATE)
    )) AS `in_facility_1eacae89`,
  COUNT(DISTINCT admission_date) FILTER(WHERE
    (
      admission_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND admission_date <= CAST('2026-01-01' AS DATE)
    )
    AND setting IN ('acute_hospital', 'psychiatric_inpatient')
    AND (
      ARRAY_CONTAINS(value_sets, 'smi_or_sud') OR setting IN ('psychiatric_inpatient')
    )) AS `hospital_stays_d00e326d`
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
  MAX_BY(status, observed_date || ' ' || status) FILTER(WHERE
    (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `housing_status_328bdcdc`,
  MAX_BY(status, observed_date || ' ' || status) FILTER(WHERE
    (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `housing_status_bc36891d`,
  MAX_BY(status, observed_date || ' ' || status) FILTER(WHERE
    (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `housing_status_ac9bb8db`,
  MAX_BY(status, observed_date || ' ' || status) FILTER(WHERE
    (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `housing_status_319125e0`
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
    )) AS `program_740f09c7`,
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
    )) AS `program_98b901f4`,
  COUNT(*) FILTER(WHERE
    program IN ('foster_care')
    AND start_date <= CAST('2026-01-01' AS DATE)
    AND COALESCE(end_date, CAST('2026-01-01' AS DATE)) >= CAST(birth_date + INTERVAL '18' YEAR AS DATE)
    AND CAST(birth_date + INTERVAL '18' YEAR AS DATE) <= CAST('2026-01-01' AS DATE)) AS `program_71e71c6d`,
  COUNT(*) FILTER(WHERE
    program IN ('ccs', 'ccs_wcm')
    AND start_date <= CAST('2026-01-01' AS DATE)
    AND (
      end_date IS NULL OR end_date >= CAST('2026-01-01' AS DATE)
    )) AS `program_3901c6c2`,
  COUNT(*) FILTER(WHERE
    program IN ('foster_care')
    AND start_date <= CAST('2026-01-01' AS DATE)
    AND (
      end_date IS NULL
      OR end_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
    )) AS `program_2b209ceb`,
  COUNT(*) FILTER(WHERE
    program IN ('adoption_assistance')
    AND start_date <= CAST('2026-01-01' AS DATE)
    AND (
      end_date IS NULL OR end_date >= CAST('2026-01-01' AS DATE)
    )) AS `program_7d3255b8`,
  COUNT(*) FILTER(WHERE
    program IN ('child_welfare_services')
    AND start_date <= CAST('2026-01-01' AS DATE)
    AND (
      end_date IS NULL
      OR end_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
    )) AS `program_4f33ed35`
FROM program_span
WHERE
  person_id IN (
    SELECT
      person_id
    FROM members
  )
GROUP BY
  person_id;

-- agg_incarceration
SELECT
  person_id,
  COUNT(*) FILTER(WHERE
    facility_type IN ('jail', 'prison', 'youth_facility')
    AND (
      release_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND release_date <= CAST('2026-01-01' AS DATE)
    )) AS `incarceration_release_88ce469d`,
  COUNT(*) FILTER(WHERE
    facility_type IN ('youth_facility', 'jail', 'prison')
    AND (
      release_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND release_date <= CAST('2026-01-01' AS DATE)
    )) AS `incarceration_release_7e23762a`
FROM incarceration
WHERE
  person_id IN (
    SELECT
      person_id
    FROM members
  )
GROUP BY
  person_id;

-- agg_pre_release_service
SELECT
  person_id,
  COUNT(*) FILTER(WHERE
    service IN (
      'reentry_care_management',
      'clinical_consultation',
      'lab_radiology',
      'medication',
      'mat',
      'community_health_worker',
      'release_medication_supply',
      'release_dme'
    )
    AND (
      service_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND service_date <= CAST('2026-01-01' AS DATE)
    )) AS `pre_release_service_0faf6206`
FROM pre_release_service
WHERE
  person_id IN (
    SELECT
      person_id
    FROM members
  )
GROUP BY
  person_id;

-- agg_pregnancy
SELECT
  person_id,
  COUNT(*) FILTER(WHERE
    start_date <= CAST('2026-01-01' AS DATE)
    AND (
      end_date IS NULL
      OR end_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
    )) AS `pregnancy_4259936a`
FROM pregnancy
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
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'complex_health_need'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_d3aedd7c`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'lives_with_dependent_children'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_b572ae75`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'food_insecurity'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_1168401f`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'transportation_barrier'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_063b16c7`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'law_enforcement_contact'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_8799faa2`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'crisis_contact'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_fc3c7b75`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'ace_score'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_ee30a7f3`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'nf_level_of_care'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_5f80b60a`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'adl_deficits'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_629ec9ae`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'skilled_nursing_need'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_7d1da600`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'adl_deficits'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_91ae0291`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'lives_alone'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_be4737b0`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'inadequate_caregiving'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_9b73a6e2`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'communication_difficulty'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_b9e71669`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'conservatorship_need'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_e215b354`,
  MAX_BY(value, observed_date || ' ' || value) FILTER(WHERE
    fact = 'wants_community_transition'
    AND (
      observed_date > CAST(CAST('2026-01-01' AS DATE) - INTERVAL '12' MONTH AS DATE)
      AND observed_date <= CAST('2026-01-01' AS DATE)
    )) AS `fact_0aee63c7`
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
  a_housing_status.`housing_status_328bdcdc`,
  a_housing_status.`housing_status_bc36891d`,
  a_housing_status.`housing_status_ac9bb8db`,
  a_housing_status.`housing_status_319125e0`,
  a_dx.`diagnosis_8de19629`,
  a_dx.`diagnosis_c3c1cd51`,
  a_dx.`diagnosis_3c696bd3`,
  a_dx.`diagnosis_7efdb3e6`,
  a_dx.`diagnosis_6dc45bde`,
  a_dx.`diagnosis_0108f74d`,
  a_dx.`diagnosis_71a18315`,
  a_dx.`diagnosis_f06337bf`,
  a_dx.`diagnosis_04cc5e6b`,
  a_dx.`diagnosis_5a063c31`,
  a_dx.`diagnosis_3f632c7a`,
  a_dx.`diagnosis_981018ea`,
  a_dx.`diagnosis_424a8d8b`,
  a_dx.`diagnosis_5ad6a919`,
  a_dx.`diagnosis_c57dbb49`,
  a_dx.`diagnosis_5f754ced`,
  a_dx.`diagnosis_716cff72`,
  a_dx.`diagnosis_1b4e02c2`,
  a_member_fact.`fact_d3aedd7c`,
  a_member_fact.`fact_b572ae75`,
  a_member_fact.`fact_1168401f`,
  a_member_fact.`fact_063b16c7`,
  a_member_fact.`fact_8799faa2`,
  a_member_fact.`fact_fc3c7b75`,
  a_member_fact.`fact_ee30a7f3`,
  a_member_fact.`fact_5f80b60a`,
  a_member_fact.`fact_629ec9ae`,
  a_member_fact.`fact_7d1da600`,
  a_member_fact.`fact_91ae0291`,
  a_member_fact.`fact_be4737b0`,
  a_member_fact.`fact_9b73a6e2`,
  a_member_fact.`fact_b9e71669`,
  a_member_fact.`fact_e215b354`,
  a_member_fact.`fact_0aee63c7`,
  a_program_span.`program_740f09c7`,
  a_program_span.`program_2dd9db34`,
  a_program_span.`program_1d982975`,
  a_program_span.`program_98b901f4`,
  a_program_span.`program_71e71c6d`,
  a_program_span.`program_3901c6c2`,
  a_program_span.`program_2b209ceb`,
  a_program_span.`program_7d3255b8`,
  a_program_span.`program_4f33ed35`,
  a_ed_visit.`ed_visits_288da3d5`,
  a_ed_visit.`ed_visits_f17d2fba`,
  a_ed_visit.`ed_visits_92bd7449`,
  a_ed_visit.`ed_visits_c7c842c8`,
  a_ed_visit.`ed_visits_53d2e3be`,
  a_ed_visit.`ed_visits_9529bb5d`,
  a_stay.`hospital_stays_2840a0b2`,
  a_stay.`unplanned_stays_92213fe2`,
  a_stay.`unplanned_stays_1312c29f`,
  a_stay.`hospital_stays_a6241e69`,
  a_stay.`in_facility_1eacae89`,
  a_stay.`hospital_stays_d00e326d`,
  a_incarceration.`incarceration_release_88ce469d`,
  a_incarceration.`incarceration_release_7e23762a`,
  a_office_visit.`office_visits_2e80155e`,
  a_office_visit.`office_visits_117dc168`,
  a_pregnancy.`pregnancy_4259936a`,
  a_pre_release_service.`pre_release_service_0faf6206`
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
    COALESCE(UPPER(REPLACE(snp_type, '-', '')) = 'DSNP', FALSE) AS `dsnp_72703c96`,
    (
      DATEDIFF(YEAR, birth_date, CAST('2026-01-01' AS DATE)) - CASE
        WHEN birth_date + INTERVAL (
          DATEDIFF(YEAR, birth_date, CAST('2026-01-01' AS DATE))
        ) YEAR > CAST('2026-01-01' AS DATE)
        THEN 1
        ELSE 0
      END
    ) AS `age_eb02659d`,
    (
      DATEDIFF(YEAR, birth_date, CAST('2026-01-01' AS DATE)) - CASE
        WHEN birth_date + INTERVAL (
          DATEDIFF(YEAR, birth_date, CAST('2026-01-01' AS DATE))
        ) YEAR > CAST('2026-01-01' AS DATE)
        THEN 1
        ELSE 0
      END
    ) AS `age_f654039a`,
    race AS `race_f87c7160`
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
  ON a_stay.person_id = m.person_id
LEFT JOIN agg_incarceration AS a_incarceration
  ON a_incarceration.person_id = m.person_id
LEFT JOIN agg_office_visit AS a_office_visit
  ON a_office_visit.person_id = m.person_id
LEFT JOIN agg_pregnancy AS a_pregnancy
  ON a_pregnancy.person_id = m.person_id
LEFT JOIN agg_pre_release_service AS a_pre_release_service
  ON a_pre_release_service.person_id = m.person_id;

-- feature_tests
SELECT
  *,
  (
    `age_bc1c7292` >= 21
  ) AS `age_bc1c7292__met`,
  (
    COALESCE(
      `housing_status_328bdcdc` IN (
        'unsheltered',
        'sheltered',
        'exiting_institution',
        'imminent_loss',
        'fleeing_violence'
      ),
      FALSE
    )
  ) AS `housing_status_328bdcdc__met`,
  (
    COALESCE(`diagnosis_8de19629`, 0) >= 1
  ) AS `diagnosis_8de19629__met`,
  (
    `age_a442c8fe` < 21
  ) AS `age_a442c8fe__met`,
  (
    COALESCE(
      `housing_status_bc36891d` IN (
        'unsheltered',
        'sheltered',
        'exiting_institution',
        'imminent_loss',
        'fleeing_violence',
        'couch_surfing'
      ),
      FALSE
    )
  ) AS `housing_status_bc36891d__met`,
  (
    COALESCE(`fact_d3aedd7c` = 'true', FALSE)
  ) AS `fact_d3aedd7c__met`,
  (
    COALESCE(`program_740f09c7`, 0) >= 1
  ) AS `program_740f09c7__met`,
  (
    COALESCE(`diagnosis_c3c1cd51`, 0) >= 2
  ) AS `diagnosis_c3c1cd51__met`,
  (
    COALESCE(`diagnosis_3c696bd3`, 0) >= 2
  ) AS `diagnosis_3c696bd3__met`,
  (
    COALESCE(`diagnosis_7efdb3e6`, 0) >= 2
  ) AS `diagnosis_7efdb3e6__met`,
  (
    COALESCE(`diagnosis_6dc45bde`, 0) >= 2
  ) AS `diagnosis_6dc45bde__met`,
  (
    COALESCE(`diagnosis_0108f74d`, 0) >= 2
  ) AS `diagnosis_0108f74d__met`,
  (
    COALESCE(`diagnosis_71a18315`, 0) >= 2
  ) AS `diagnosis_71a18315__met`,
  (
    COALESCE(`diagnosis_f06337bf`, 0) >= 2
  ) AS `diagnosis_f06337bf__met`,
  (
    COALESCE(`ed_visits_288da3d5`, 0) >= 2
  ) AS `ed_visits_288da3d5__met`,
  (
    COALESCE(`hospital_stays_2840a0b2`, 0) >= 1
  ) AS `hospital_stays_2840a0b2__met`,
  (
    COALESCE(`fact_b572ae75` = 'true', FALSE)
  ) AS `fact_b572ae75__met`,
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
  ) AS `unplanned_stays_1312c29f__met`,
  (
    COALESCE(`housing_status_ac9bb8db` IN ('at_risk', 'couch_surfing'), FALSE)
  ) AS `housing_status_ac9bb8db__met`,
  (
    COALESCE(`diagnosis_04cc5e6b`, 0) >= 1
  ) AS `diagnosis_04cc5e6b__met`,
  (
    COALESCE(
      `housing_status_319125e0` IN (
        'unsheltered',
        'sheltered',
        'exiting_institution',
        'imminent_loss',
        'fleeing_violence',
        'couch_surfing',
        'at_risk'
      ),
      FALSE
    )
  ) AS `housing_status_319125e0__met`,
  (
    COALESCE(`fact_1168401f` = 'true', FALSE)
  ) AS `fact_1168401f__met`,
  (
    COALESCE(`fact_063b16c7` = 'true', FALSE)
  ) AS `fact_063b16c7__met`,
  (
    COALESCE(`fact_8799faa2` = 'true', FALSE)
  ) AS `fact_8799faa2__met`,
  (
    COALESCE(`fact_fc3c7b75` = 'true', FALSE)
  ) AS `fact_fc3c7b75__met`,
  (
    COALESCE(`incarceration_release_88ce469d`, 0) >= 1
  ) AS `incarceration_release_88ce469d__met`,
  (
    COALESCE(`diagnosis_5a063c31`, 0) >= 1
  ) AS `diagnosis_5a063c31__met`,
  (
    COALESCE(NOT `fact_ee30a7f3` IS NULL AND CAST(`fact_ee30a7f3` AS BIGINT) >= 4, FALSE)
  ) AS `fact_ee30a7f3__met`,
  (
    COALESCE(`program_71e71c6d`, 0) >= 1
  ) AS `program_71e71c6d__met`,
  (
    COALESCE(`fact_5f80b60a` = 'true', FALSE)
  ) AS `fact_5f80b60a__met`,
  (
    COALESCE(NOT `fact_629ec9ae` IS NULL AND CAST(`fact_629ec9ae` AS BIGINT) >= 2, FALSE)
  ) AS `fact_629ec9ae__met`,
  (
    COALESCE(`ed_visits_c7c842c8`, 0) >= 1
  ) AS `ed_visits_c7c842c8__met`,
  (
    COALESCE(`office_visits_2e80155e`, 0) >= 1
  ) AS `office_visits_2e80155e__met`,
  (
    COALESCE(`office_visits_117dc168`, 0) >= 1
  ) AS `office_visits_117dc168__met`,
  (
    COALESCE(`diagnosis_3f632c7a`, 0) >= 1
  ) AS `diagnosis_3f632c7a__met`,
  (
    COALESCE(`ed_visits_53d2e3be`, 0) >= 2
  ) AS `ed_visits_53d2e3be__met`,
  (
    COALESCE(`hospital_stays_a6241e69`, 0) >= 2
  ) AS `hospital_stays_a6241e69__met`,
  (
    COALESCE(`pregnancy_4259936a`, 0) >= 1
  ) AS `pregnancy_4259936a__met`,
  (
    COALESCE(`diagnosis_981018ea`, 0) >= 1
  ) AS `diagnosis_981018ea__met`,
  (
    COALESCE(`diagnosis_424a8d8b`, 0) >= 1
  ) AS `diagnosis_424a8d8b__met`,
  (
    COALESCE(`diagnosis_5ad6a919`, 0) >= 1
  ) AS `diagnosis_5ad6a919__met`,
  (
    COALESCE(`diagnosis_c57dbb49`, 0) >= 1
  ) AS `diagnosis_c57dbb49__met`,
  (
    COALESCE(`diagnosis_5f754ced`, 0) >= 1
  ) AS `diagnosis_5f754ced__met`,
  (
    COALESCE(`diagnosis_716cff72`, 0) >= 1
  ) AS `diagnosis_716cff72__met`,
  (
    COALESCE(`diagnosis_1b4e02c2`, 0) >= 1
  ) AS `diagnosis_1b4e02c2__met`,
  (
    COALESCE(`incarceration_release_7e23762a`, 0) >= 1
  ) AS `incarceration_release_7e23762a__met`,
  (
    COALESCE(`pre_release_service_0faf6206`, 0) >= 1
  ) AS `pre_release_service_0faf6206__met`,
  (
    COALESCE(`fact_7d1da600` = 'true', FALSE)
  ) AS `fact_7d1da600__met`,
  (
    COALESCE(`in_facility_1eacae89`, -1) >= 0
  ) AS `in_facility_1eacae89__met`,
  (
    COALESCE(NOT `fact_91ae0291` IS NULL AND CAST(`fact_91ae0291` AS BIGINT) >= 1, FALSE)
  ) AS `fact_91ae0291__met`,
  (
    COALESCE(`fact_be4737b0` = 'true', FALSE)
  ) AS `fact_be4737b0__met`,
  (
    COALESCE(`fact_9b73a6e2` = 'true', FALSE)
  ) AS `fact_9b73a6e2__met`,
  (
    COALESCE(`fact_b9e71669` = 'true', FALSE)
  ) AS `fact_b9e71669__met`,
  (
    COALESCE(`fact_e215b354` = 'true', FALSE)
  ) AS `fact_e215b354__met`,
  (
    COALESCE(`fact_0aee63c7` = 'true', FALSE)
  ) AS `fact_0aee63c7__met`,
  (
    COALESCE(`program_3901c6c2`, 0) >= 1
  ) AS `program_3901c6c2__met`,
  (
    COALESCE(`ed_visits_9529bb5d`, 0) >= 1
  ) AS `ed_visits_9529bb5d__met`,
  (
    COALESCE(`hospital_stays_d00e326d`, 0) >= 1
  ) AS `hospital_stays_d00e326d__met`,
  (
    COALESCE(`program_2b209ceb`, 0) >= 1
  ) AS `program_2b209ceb__met`,
  (
    `age_eb02659d` < 26
  ) AS `age_eb02659d__met`,
  (
    `age_f654039a` < 18
  ) AS `age_f654039a__met`,
  (
    COALESCE(`program_7d3255b8`, 0) >= 1
  ) AS `program_7d3255b8__met`,
  (
    COALESCE(`program_4f33ed35`, 0) >= 1
  ) AS `program_4f33ed35__met`,
  (
    COALESCE(
      `race_f87c7160` IN (
        'black or african american',
        'american indian or alaska native',
        'native hawaiian or other pacific islander'
      ),
      FALSE
    )
  ) AS `race_f87c7160__met`
FROM feature_values;

-- decision
SELECT
  *,
  (
    (
      (
        (
          (
            `age_bc1c7292__met`
          )
          AND (
            (
              `housing_status_328bdcdc__met`
              OR `diagnosis_8de19629__met`
              OR (
                (
                  `age_a442c8fe__met`
                ) AND `housing_status_bc36891d__met`
              )
            )
          )
          AND (
            (
              `fact_d3aedd7c__met`
              OR (
                (
                  `program_740f09c7__met` OR `diagnosis_c3c1cd51__met` OR `diagnosis_3c696bd3__met`
                )
              )
              OR (
                `diagnosis_7efdb3e6__met`
              )
              OR (
                `diagnosis_6dc45bde__met`
              )
              OR `diagnosis_0108f74d__met`
              OR `diagnosis_71a18315__met`
              OR `diagnosis_f06337bf__met`
              OR `ed_visits_288da3d5__met`
              OR `hospital_stays_2840a0b2__met`
            )
          )
          AND (
            NOT (
              `fact_b572ae75__met`
            )
          )
        )
      )
      OR (
        (
          (
            (
              `age_a442c8fe__met`
            )
            AND (
              (
                `housing_status_328bdcdc__met`
                OR `diagnosis_8de19629__met`
                OR (
                  (
                    `age_a442c8fe__met`
                  ) AND `housing_status_bc36891d__met`
                )
              )
            )
          )
          OR (
            (
              `age_bc1c7292__met`
            )
            AND (
              (
                `housing_status_328bdcdc__met`
                OR `diagnosis_8de19629__met`
                OR (
                  (
                    `age_a442c8fe__met`
                  ) AND `housing_status_bc36891d__met`
                )
              )
            )
            AND (
              `fact_b572ae75__met`
            )
          )
        )
      )
      OR (
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
      )
      OR (
        (
          (
            (
              `age_bc1c7292__met`
            )
            AND (
              (
                (
                  `program_740f09c7__met` OR `diagnosis_c3c1cd51__met` OR `diagnosis_3c696bd3__met`
                )
              )
              AND (
                (
                  (
                    (
                      (
                        (
                          (
                            `housing_status_328bdcdc__met`
                            OR `diagnosis_8de19629__met`
                            OR (
                              (
                                `age_a442c8fe__met`
                              ) AND `housing_status_bc36891d__met`
                            )
                          )
                        )
                        OR (
                          (
                            `housing_status_ac9bb8db__met` OR `diagnosis_04cc5e6b__met`
                          )
                        )
                        OR `housing_status_319125e0__met`
                      )
                    )
                    OR `fact_1168401f__met`
                    OR `fact_063b16c7__met`
                    OR `fact_8799faa2__met`
                    OR `fact_fc3c7b75__met`
                    OR `incarceration_release_88ce469d__met`
                    OR `diagnosis_5a063c31__met`
                  )
                )
                OR `fact_ee30a7f3__met`
                OR `program_71e71c6d__met`
              )
              AND (
                (
                  (
                    `fact_5f80b60a__met` OR `fact_629ec9ae__met`
                  )
                )
                OR (
                  (
                    `ed_visits_c7c842c8__met`
                    OR `hospital_stays_2840a0b2__met`
                    OR `office_visits_2e80155e__met`
                    OR `fact_fc3c7b75__met`
                  )
                  AND (
                    NOT `office_visits_117dc168__met`
                  )
                )
                OR `diagnosis_3f632c7a__met`
                OR `ed_visits_53d2e3be__met`
                OR `hospital_stays_a6241e69__met`
                OR (
                  (
                    `pregnancy_4259936a__met` OR `diagnosis_981018ea__met`
                  )
                )
              )
            )
          )
          OR (
            (
              `age_a442c8fe__met`
            )
            AND (
              (
                `program_740f09c7__met` OR `diagnosis_c3c1cd51__met` OR `diagnosis_3c696bd3__met`
              )
            )
          )
        )
      )
      OR (
        (
          (
            (
              (
                `age_bc1c7292__met`
              )
              AND (
                `incarceration_release_88ce469d__met`
                AND (
                  `program_740f09c7__met`
                  OR `diagnosis_424a8d8b__met`
                  OR `diagnosis_5ad6a919__met`
                  OR `diagnosis_c57dbb49__met`
                  OR `diagnosis_5f754ced__met`
                  OR `diagnosis_716cff72__met`
                  OR `diagnosis_1b4e02c2__met`
                  OR (
                    (
                      `pregnancy_4259936a__met` OR `diagnosis_981018ea__met`
                    )
                  )
                )
              )
            )
            OR (
              (
                `age_a442c8fe__met`
              ) AND `incarceration_release_7e23762a__met`
            )
          )
          OR `pre_release_service_0faf6206__met`
        )
      )
      OR (
        (
          (
            `age_bc1c7292__met`
          )
          AND (
            `fact_5f80b60a__met` OR `fact_7d1da600__met`
          )
          AND (
            NOT `in_facility_1eacae89__met`
          )
          AND (
            `fact_91ae0291__met`
            OR `fact_be4737b0__met`
            OR `fact_1168401f__met`
            OR (
              (
                (
                  (
                    `housing_status_328bdcdc__met`
                    OR `diagnosis_8de19629__met`
                    OR (
                      (
                        `age_a442c8fe__met`
                      ) AND `housing_status_bc36891d__met`
                    )
                  )
                )
                OR (
                  (
                    `housing_status_ac9bb8db__met` OR `diagnosis_04cc5e6b__met`
                  )
                )
                OR `housing_status_319125e0__met`
              )
            )
            OR `fact_9b73a6e2__met`
            OR `fact_b9e71669__met`
            OR `fact_e215b354__met`
          )
        )
      )
      OR (
        (
          (
            `age_bc1c7292__met`
          ) AND `in_facility_1eacae89__met` AND `fact_0aee63c7__met`
        )
      )
      OR (
        (
          (
            `age_a442c8fe__met`
          )
          AND `program_3901c6c2__met`
          AND (
            (
              (
                (
                  (
                    (
                      (
                        `housing_status_328bdcdc__met`
                        OR `diagnosis_8de19629__met`
                        OR (
                          (
                            `age_a442c8fe__met`
                          ) AND `housing_status_bc36891d__met`
                        )
                      )
                    )
                    OR (
                      (
                        `housing_status_ac9bb8db__met` OR `diagnosis_04cc5e6b__met`
                      )
                    )
                    OR `housing_status_319125e0__met`
                  )
                )
                OR `fact_1168401f__met`
                OR `fact_063b16c7__met`
                OR `fact_8799faa2__met`
                OR `fact_fc3c7b75__met`
                OR `incarceration_release_88ce469d__met`
                OR `diagnosis_5a063c31__met`
              )
            )
            OR `ed_visits_9529bb5d__met`
            OR `hospital_stays_d00e326d__met`
          )
        )
      )
      OR (
        (
          (
            (
              `age_a442c8fe__met`
            ) AND `program_2b209ceb__met`
          )
          OR (
            `age_eb02659d__met` AND `program_71e71c6d__met`
          )
          OR (
            `age_f654039a__met` AND `program_7d3255b8__met`
          )
          OR (
            `age_f654039a__met` AND `program_4f33ed35__met`
          )
        )
      )
      OR (
        (
          (
            (
              `pregnancy_4259936a__met` OR `diagnosis_981018ea__met`
            )
          )
          AND `race_f87c7160__met`
        )
      )
    )
  ) AS `ecm__met`,
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
  ) AS `ecm__excluded`,
  CASE WHEN offers IS NULL THEN NULL ELSE TRUE END AS `ecm__offered`
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
