"""The REST API: one FastAPI app over every domain's router (see docs/api.md)."""
