"""FHIR R4 (R4B models): SDOH Clinical Care referrals, Bundles in and out, Synthea import."""
