"""`/app/profile` on the demo: a member CBO keeps its whole profile (identifiers, who and where
it serves, capacity), credentials with expiry dates, sites and documents; a refusal names the
field in plain words (Spanish too) and saves nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping

import httpx
from fastapi.testclient import TestClient

from .helpers import csrf_of, signed_in_client

CASA = "staff@casa.demo"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


def _profile(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "npi": "1467000125",
        "tin": "954000111",
        "medi_cal_enrollment": "",
        "phone": "",
        "languages": "es, en",
        "counties": "Los Angeles",
        "capacity": "15",
        "programs_served": ["cs.recuperative_care"],
        "populations_served": [],
    }
    form.update(changes)
    return form


def _post(
    client: TestClient, path: str, data: Mapping[str, object], *, follow_redirects: bool = True
) -> httpx.Response:
    token = csrf_of(client.get("/app/profile").text)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=follow_redirects)


def test_a_provider_keeps_its_whole_profile(client: TestClient) -> None:
    signed_in_client(client, CASA)
    page = client.get("/app/profile")
    assert page.status_code == 200
    assert 'value="1467000125"' in page.text
    bad = _post(client, "/app/profile", _profile(npi="12345", capacity="many"))
    assert bad.status_code == 422
    assert "Enter the NPI: 10 digits." in bad.text
    assert "Enter a whole number, 0 or more." in bad.text
    unknown = _post(client, "/app/profile", _profile(languages="Spanish, Klingon"))
    assert unknown.status_code == 422
    assert "Klingon" in unknown.text
    assert 'value="1467000125"' in client.get("/app/profile").text  # nothing saved
    saved = _post(
        client,
        "/app/profile",
        _profile(
            medi_cal_enrollment="PAVE778812",
            populations_served=["adults", "families"],
            languages="Spanish, English",
        ),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    after = client.get("/app/profile?done=profile").text
    assert 'value="PAVE778812"' in after
    assert re.search(r'value="families" checked', after)
    assert 'value="Spanish, English"' in after  # stored as codes, shown as names


def test_credentials_sites_and_documents(client: TestClient) -> None:
    signed_in_client(client, CASA)
    missing = _post(client, "/app/profile/credentials", {"kind": "insurance", "label": ""})
    assert missing.status_code == 422
    assert "Say what it is" in missing.text
    added = _post(
        client,
        "/app/profile/credentials",
        {"kind": "insurance", "label": "Auto liability insurance", "expires_on": "2026-03-31"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = client.get("/app/profile").text
    assert "Auto liability insurance" in page
    found = re.search(r'action="(/app/profile/credentials/[0-9a-f-]+/remove)"', page)
    assert found is not None
    removed = _post(client, found.group(1), {}, follow_redirects=False)
    assert removed.status_code == 303
    assert "Auto liability insurance" not in client.get("/app/profile").text
    no_zip = _post(
        client,
        "/app/profile/sites",
        {"site_name": "Boyle Heights", "address_line": "1 1st St", "city": "Los Angeles"},
    )
    assert no_zip.status_code == 422
    assert "Give the county." in no_zip.text
    assert "Enter the ZIP code" in no_zip.text
    site = {
        "site_name": "Boyle Heights respite",
        "address_line": "1 1st St",
        "city": "Los Angeles",
        "county": "Los Angeles",
        "zip_code": "90033",
        "site_languages": "Spanish",
    }
    assert _post(client, "/app/profile/sites", site, follow_redirects=False).status_code == 303
    assert "Boyle Heights respite" in client.get("/app/profile").text
    token = csrf_of(client.get("/app/profile").text)
    fake = client.post(
        "/app/profile/documents",
        data={"csrf_token": token},
        files={"file": ("policy.pdf", b"not a pdf", "application/pdf")},
    )
    assert fake.status_code == 422
    assert "PDF documents and PNG, JPEG or WebP images" in fake.text
    kept = client.post(
        "/app/profile/documents",
        data={"csrf_token": token},
        files={"file": ("liability-policy.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert kept.status_code == 303
    page = client.get("/app/profile").text
    link = re.search(r'href="(/app/profile/documents/[0-9a-f-]+)">liability-policy.pdf<', page)
    assert link is not None
    assert client.get(link.group(1)).content == PDF
    # Another provider's staff cannot fetch it.
    client.cookies.clear()
    signed_in_client(client, "staff@harborlight.demo")
    assert client.get(link.group(1)).status_code == 404


def test_refusals_in_spanish_and_who_may_open_it(client: TestClient) -> None:
    signed_in_client(client, CASA)
    client.cookies.set("calaim_lang", "es")
    bad = _post(client, "/app/profile", _profile(tin="95-40"))
    assert bad.status_code == 422
    assert "9 dígitos" in bad.text
    unknown = _post(client, "/app/profile", _profile(languages="Klingon"))
    assert "Revise este campo" in unknown.text
    client.cookies.clear()
    signed_in_client(client, "admin@lacare.demo")
    assert client.get("/app/profile").status_code == 403
