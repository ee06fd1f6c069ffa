"""Where attachment bytes live: one small interface, a local folder by default.

`CALAIM_ATTACHMENTS_DIR` names the folder (default: `attachments/` in the current folder, next
to the default SQLite file). Another backend (object storage) implements the same three
methods. Writes go to a temporary file first and are renamed into place, so a failed upload
leaves nothing half-written.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

_KEY = re.compile(r"^[0-9a-f]{32}/[0-9a-f]{32}$")


class AttachmentStorage(Protocol):
    """Stores and returns the bytes of attachments by key."""

    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key` (a new key; never overwrites)."""

    def get(self, key: str) -> bytes:
        """The bytes stored under `key`."""

    def delete(self, key: str) -> None:
        """Remove what is stored under `key` (nothing if absent)."""


class LocalFolderStorage:
    """Attachments as files under one folder (`<referral>/<attachment>`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError("not an attachment key")
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        """Write to a temporary file in the same folder, then rename it into place."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        """The file's bytes."""
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        """Remove the file if it is there."""
        self._path(key).unlink(missing_ok=True)


def default_storage() -> LocalFolderStorage:
    """The configured local folder (`CALAIM_ATTACHMENTS_DIR`, else ./attachments)."""
    configured = os.environ.get("CALAIM_ATTACHMENTS_DIR", "").strip()
    return LocalFolderStorage(Path(configured) if configured else Path.cwd() / "attachments")
