"""The operational store: organizations, users, members and the audit log (SQLAlchemy 2)."""
