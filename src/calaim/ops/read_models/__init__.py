"""Named read models: scoped queries that feed files and ledgers rather than one domain's rows.

Each module here takes its scope from `calaim.ops.access.scopes`, like a repository; callers
in ops, exchange and reports shape the rows they get back and never write queries themselves.
"""
