"""The append-only audit log of member data access."""
