"""Reading policy files with errors that name the file and field (never a bare traceback)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from calaim.engine.loading.errors import PolicyError


def read_yaml(file: Path) -> Any:
    """Parse a YAML file, or raise PolicyError naming it and what is wrong."""
    if not file.exists():
        raise PolicyError(file, "does not exist")
    try:
        return yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise PolicyError(file, f"is not valid YAML: {error}") from error
    except ValueError as error:  # PyYAML builds dates eagerly: 2022-13-01 fails here
        message = f"has an impossible value ({error}); dates are YYYY-MM-DD"
        raise PolicyError(file, message) from error


def parse_date(value: Any, where: str, key: str | None = None) -> dt.date:
    """An ISO date (or a date YAML already parsed), or PolicyError naming where and which key."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError) as error:
        field = f"'{key}' " if key else ""
        raise PolicyError(where, f"{field}{value!r} is not an ISO date (YYYY-MM-DD)") from error
