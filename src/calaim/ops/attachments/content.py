"""What a file really is, read from its first bytes (never trusted from its name alone)."""

from __future__ import annotations

from collections.abc import Callable

from calaim.ops.errors import InvalidRequest

MAX_BYTES = 10 * 1024 * 1024
# Content type -> (its signature check, the file name endings that go with it).
Signature = Callable[[bytes], bool]
ALLOWED: dict[str, tuple[Signature, tuple[str, ...]]] = {
    "application/pdf": (lambda d: d.startswith(b"%PDF-"), (".pdf",)),
    "image/png": (lambda d: d.startswith(b"\x89PNG\r\n\x1a\n"), (".png",)),
    "image/jpeg": (lambda d: d.startswith(b"\xff\xd8\xff"), (".jpg", ".jpeg")),
    "image/webp": (lambda d: d[:4] == b"RIFF" and d[8:12] == b"WEBP", (".webp",)),
}


class FileRefused(InvalidRequest):
    """The file is empty, too large, or not a PDF or an image (by its content)."""


def checked_type(filename: str, data: bytes) -> str:
    """The file's content type, after checking its size, content and name agree."""
    if not data:
        raise FileRefused("the file is empty; choose the file again", field="file")
    if len(data) > MAX_BYTES:
        raise FileRefused(
            f"the file is {len(data) / 1_048_576:.1f} MB; files may be at most "
            f"{MAX_BYTES // 1_048_576} MB",
            field="file",
        )
    for content_type, (matches, endings) in ALLOWED.items():
        if matches(data):
            if not filename.lower().endswith(endings):
                raise FileRefused(
                    f"the file's name ends unlike its content (it is {content_type}); "
                    "rename it with the right ending",
                    field="file",
                )
            return content_type
    raise FileRefused(
        "only PDF documents and PNG, JPEG or WebP images can be attached", field="file"
    )


def safe_name(filename: str) -> str:
    """The name shown and offered on download: no folders, no control characters."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"<>:|?*').strip(" .")
    return cleaned[:200] or "attachment"
