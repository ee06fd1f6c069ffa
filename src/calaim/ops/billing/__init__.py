"""Billing: coding, contract terms, ECM encounters, claims and remittance reconciliation."""
