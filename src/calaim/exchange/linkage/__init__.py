"""Probabilistic record linkage (Splink on DuckDB): roster reconciliation, stable person ids."""
