"""The member's own pages: accounts, one-time-code sign-in, and what a member sees of
their own record (everything scoped by `calaim.ops.access.scopes.is_member`)."""
