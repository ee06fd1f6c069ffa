"""calaim: CalAIM ECM and Community Supports, end to end."""
