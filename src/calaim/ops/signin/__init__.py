"""The sign-in API (`/auth/...`): the HTTP face of `calaim.ops.auth`.

Kept apart from `calaim.ops.auth` because it stands on the HTTP kit (`calaim.ops.http`),
which itself checks tokens, sessions and API keys with `calaim.ops.auth`: auth services below,
the kit above them, this router above both.
"""
