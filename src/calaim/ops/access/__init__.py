"""Who may see and do what: the one place tenant scoping and role permissions are decided."""
