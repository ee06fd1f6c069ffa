"""The application in one common form: JSON (the whole form), CSV and XLSX (one row per fact).

Every plan receives the same form, so a provider fills it once. The form names its version
(`FORM`) so receivers can tell a later layout from this one.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook  # type: ignore[import-untyped]

from calaim.ops.models import Organization
from calaim.ops.models.provider_application import ApplicationLine, ProviderApplication

if TYPE_CHECKING:
    from calaim.ops.providers.profile import ProfileView

FORM = "calaim-provider-application/1"


def snapshot_of(view: ProfileView) -> dict[str, Any]:
    """The profile as plain data: what every plan receives."""
    profile, org = view.profile, view.organization
    return {
        "organization": {
            "name": org.name,
            "npi": profile.npi,
            "tax_id": profile.tin,
            "medi_cal_enrollment": profile.medi_cal_enrollment,
            "phone": profile.phone,
        },
        "counties": list(org.counties_served or []),
        "services": list(profile.programs_served or []),
        "populations": list(profile.populations_served or []),
        "languages": list(profile.languages or []),
        "capacity": profile.capacity,
        "credentials": [
            {
                "kind": c.kind,
                "type": c.credential_type,
                "label": c.label,
                "number": c.number,
                "holder_name": c.holder_name,
                "expires_on": c.expires_on.isoformat() if c.expires_on else None,
            }
            for c in view.credentials
        ],
        "sites": [
            {
                "name": s.name,
                "address_line": s.address_line,
                "city": s.city,
                "county": s.county,
                "zip_code": s.zip_code,
                "phone": s.phone,
                "languages": list(s.languages or []),
            }
            for s in view.sites
        ],
        "documents": [
            {
                "filename": d.filename,
                "content_type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
            }
            for d in view.documents
        ],
    }


def as_form(
    application: ProviderApplication,
    lines: list[ApplicationLine],
    plans: dict[Any, Organization],
) -> dict[str, Any]:
    """The whole application: the form version, the profile, answers and the visible lines."""
    return {
        "form": FORM,
        "submitted_at": application.submitted_at.isoformat(),
        "profile": application.snapshot,
        "answers": application.answers,
        "lines": [
            {
                "plan": plans[line.plan_organization_id].plan_code
                if line.plan_organization_id in plans
                else None,
                "service": line.program_id,
                "county": line.county,
                "decision": line.decision,
                "reason": line.reason,
            }
            for line in lines
        ],
    }


def _flat(prefix: str, value: Any) -> list[tuple[str, str]]:
    """(path, text) of every leaf, e.g. `profile.credentials.0.expires_on`."""
    if isinstance(value, dict):
        return [row for k, v in value.items() for row in _flat(f"{prefix}.{k}", v)]
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return [(prefix, "; ".join(str(v) for v in value))]
        return [row for i, v in enumerate(value) for row in _flat(f"{prefix}.{i}", v)]
    return [(prefix, "" if value is None else str(value))]


def rows(form: dict[str, Any]) -> list[tuple[str, str]]:
    """The form as (field, value) rows."""
    return [(path.lstrip("."), text) for path, text in _flat("", form)]


def as_csv(form: dict[str, Any]) -> str:
    """The form as CSV: a header, then one field per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["field", "value"])
    writer.writerows(rows(form))
    return out.getvalue()


def as_xlsx(form: dict[str, Any]) -> bytes:
    """The form as a one-sheet workbook (field, value)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Application"
    sheet.append(["field", "value"])
    for row in rows(form):
        sheet.append(list(row))
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
