"""Synthea-style FHIR R4 Bundles (one per patient) -> the data contract's input tables."""
