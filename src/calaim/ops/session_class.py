"""The operational store's session class, in a module of its own (a leaf: it imports nothing
of calaim), so the models' audit guard and the inbox fan-out can name it without importing
`calaim.ops.db`, which installs the fan-out."""

from __future__ import annotations

from sqlalchemy.orm import Session


class OpsSession(Session):
    """The operational store's session class (the audit log guards its flushes)."""
