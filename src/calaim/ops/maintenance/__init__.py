"""Database housekeeping that belongs to no tenant (planner statistics)."""
