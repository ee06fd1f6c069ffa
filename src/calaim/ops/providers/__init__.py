"""Provider profiles and one application to many plans (issue 17)."""
