"""Errors raised while loading policy data; each names the file and the field at fault."""

from __future__ import annotations

from pathlib import Path


class PolicyError(Exception):
    """A policy, value-set or plan file is invalid. The message says where and what to do."""

    def __init__(self, where: Path | str, message: str) -> None:
        self.where = str(where)
        self.detail = message
        super().__init__(f"{where}: {message}")
