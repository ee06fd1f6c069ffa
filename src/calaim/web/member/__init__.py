"""The member's own pages under /app/me: sign-in with a one-time code, then their own record
in their language (see docs/member.md)."""
