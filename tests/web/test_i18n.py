"""Translations: every workspace string has a Spanish translation; the switcher remembers it."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

import calaim.web
from calaim.web.i18n import TRANSLATIONS

from .helpers import signed_in_client

WEB = Path(calaim.web.__file__).parent
METHODS = [
    ("reports/**", "ignore"),
    ("**/templates/reports/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2"),
]


def _catalog() -> dict[str, object]:
    # messages.po and the per-area catalogs beside it (the workspace merges them all).
    found: dict[str, object] = {}
    for po in sorted((TRANSLATIONS / "es" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as source:
            for m in read_po(source):
                if m.string:
                    found.setdefault(str(m.id if isinstance(m.id, str) else m.id[0]), m.string)
    return found


def test_every_workspace_string_has_a_spanish_translation() -> None:
    spanish = _catalog()
    keywords = {"_": None, "N_": None, "ngettext": (1, 2), "gettext": None}
    found = [
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            WEB, METHODS, keywords=keywords
        )
    ]
    ids = {m if isinstance(m, str) else m[0] for m in found}
    assert len(ids) > 150
    untranslated = sorted(i for i in ids if i and not spanish.get(i))
    assert untranslated == []


def test_spanish_sign_in_page(client: TestClient) -> None:
    client.cookies.set("calaim_lang", "es")
    page = client.get("/app/sign-in").text
    assert '<html lang="es">' in page
    assert "Iniciar sesión" in page
    assert "Saltar al contenido principal" in page
    assert "Correo electrónico" in page


def test_language_switcher_sets_a_cookie_and_returns_to_the_page(client: TestClient) -> None:
    response = client.get("/app/language/es?next=/app/referrals", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/app/referrals"
    assert "calaim_lang=es" in response.headers["set-cookie"]


def test_language_switcher_never_redirects_off_site(client: TestClient) -> None:
    response = client.get("/app/language/es?next=https://evil.example/", follow_redirects=False)
    assert response.headers["location"] == "/app"


def test_spanish_worklist_and_validation_messages(client: TestClient) -> None:
    client.cookies.set("calaim_lang", "es")
    signed_in_client(client, "um@lacare.demo")
    home = client.get("/app").text
    assert "Autorizaciones por decidir" in home
    assert "Vencida hace" in home  # the demo has an overdue authorization at its now
    form = client.get("/app/referrals/new")
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    failed = client.post("/app/referrals/new", data={"csrf_token": token})
    assert failed.status_code == 422
    assert "Elija a qué servicio remite al miembro." in failed.text
