"""Backends own execution: DuckDB (default, embedded); Spark can be added beside it."""
