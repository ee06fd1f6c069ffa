"""Members of plans: the tenant-scoped repository of member rows."""
