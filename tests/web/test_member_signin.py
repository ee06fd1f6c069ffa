"""Member sign-in with a one-time code by email (real SMTP), CIN and date of birth, and the
home page in the member's language: their own record only, never a program id."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from calaim.app import build_app
from calaim.ops.auth.tokens import TokenSigner
from calaim.ops.notifications.outbox import SmtpSettings
from calaim.web.member.auth import MEMBER_COOKIE

from .helpers import csrf_of
from .member_world import EMAIL, NOW, Inbox, MemberWorld, build_world, deliver, smtp_server


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> MemberWorld:
    return build_world(tmp_path_factory.mktemp("member"))


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, SmtpSettings]]:
    yield from smtp_server()


@pytest.fixture(scope="module")
def client(world: MemberWorld) -> Iterator[TestClient]:
    app = build_app(world.engine, clock=lambda: NOW, signer=TokenSigner("member-tests-secret"))
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def visible_text(html: str) -> str:
    """The words a page shows (tags and their attributes removed)."""
    return re.sub(r"<[^>]*>", " ", html)


def ask_for_code(client: TestClient, email: str) -> str:
    page = client.get("/app/me/sign-in")
    response = client.post(
        "/app/me/sign-in", data={"csrf_token": csrf_of(page.text), "email": email}
    )
    assert response.status_code == 200
    return response.text


def test_a_member_signs_in_with_an_emailed_code_and_sees_only_their_own_record(
    client: TestClient, world: MemberWorld, smtp: tuple[Inbox, SmtpSettings]
) -> None:
    inbox, settings = smtp
    assert client.get("/app/me", follow_redirects=False).headers["location"] == "/app/me/sign-in"
    assert (
        client.get("/app/me/code", follow_redirects=False).headers["location"] == "/app/me/sign-in"
    )
    unknown = ask_for_code(client, "nobody@example.org")
    code_page = ask_for_code(client, EMAIL)
    # The same page whether or not the address has an account (nothing revealed).
    assert "we sent a code" in unknown
    assert "we sent a code" in code_page
    assert deliver(world.engine, settings, NOW) == 1
    email = inbox.messages[-1]
    assert email["To"] == EMAIL
    assert "https://calaim.example/app/me/sign-in" in str(email.get_payload(decode=True), "utf-8")
    form = {"csrf_token": csrf_of(code_page), "email": EMAIL, "code": inbox.last_code()}
    wrong = client.post(
        "/app/me/code", data={**form, "cin": "99999999Z", "birth_date": "1970-05-17"}
    )
    assert wrong.status_code == 401
    assert "did not match" in wrong.text
    right = {**form, "cin": world.member.cin, "birth_date": "1970-05-17"}
    signed_in = client.post("/app/me/code", data=right, follow_redirects=False)
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/app/me"
    home = client.get("/app/me")
    assert home.status_code == 200
    assert "Hello, Rosa" in home.text
    assert "Zebulon" not in home.text
    assert "A care manager just for you" in home.text
    # Their own 42 CFR Part 2 information is theirs to see.
    assert "mental health or for alcohol or drug use" in home.text
    assert "A place to heal after the hospital" in home.text
    assert "does not offer this where you live" in home.text  # meals: not offered
    assert "A break for your caregiver" not in home.text  # not eligible
    shown = visible_text(home.text)  # ids may sit in a link's address, never on the screen
    assert "ecm." not in shown
    assert "cs." not in shown
    again = client.post("/app/me/code", data=right)
    assert again.status_code == 401  # a code works once


def test_the_member_sign_in_opens_nothing_of_the_staffs(
    client: TestClient, world: MemberWorld
) -> None:
    token = client.cookies.get(MEMBER_COOKIE)
    assert token, "run after the sign-in test (module order)"
    api = client.get(f"/members/{world.member.id}", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 403
    staff = client.get("/app", cookies={"calaim_session": token}, follow_redirects=False)
    assert staff.status_code == 403


def test_the_home_page_in_spanish_and_right_to_left_languages(client: TestClient) -> None:
    client.cookies.set("calaim_me_lang", "es", path="/app/me")
    spanish = client.get("/app/me").text
    assert '<html lang="es" dir="ltr">' in spanish
    assert "Ayuda que podría recibir" in spanish
    assert "Una persona todavía no la ha revisado" in spanish  # drafts say so
    client.cookies.set("calaim_me_lang", "fa", path="/app/me")
    farsi = client.get("/app/me").text
    assert '<html lang="fa" dir="rtl">' in farsi
    client.cookies.set("calaim_me_lang", "en", path="/app/me")


def test_the_home_page_is_light(client: TestClient) -> None:
    page = client.get("/app/me")
    css = client.get("/app/static/me.css")
    assert page.status_code == css.status_code == 200
    assert len(page.content) + len(css.content) < 100_000
    assert "<script" not in page.text
