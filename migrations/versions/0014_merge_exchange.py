"""Merge the exchange branches: DHCS files, roster linkage, billing, FHIR links

Revision ID: 0014_merge
Revises: 0010_files, 0011_linkage, 0012_billing, 0013_fhir
Create Date: 2026-11-23 13:20:00.000000
"""

from __future__ import annotations

revision: str = "0014_merge"
down_revision: tuple[str, ...] | None = ("0010_files", "0011_linkage", "0012_billing", "0013_fhir")
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Nothing to apply: one head again."""


def downgrade() -> None:
    """Nothing to undo."""
