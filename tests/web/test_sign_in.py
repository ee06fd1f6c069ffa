"""Sign-in, sign-out, sessions and CSRF, through the pages (no browser)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from calaim.ops.demo import DEMO_PASSWORD

from .helpers import csrf_of, signed_in_client


def test_root_and_pages_send_a_stranger_to_sign_in(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/app"
    response = client.get("/app", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/app/sign-in?next=/app"


def test_wrong_password_shows_a_message_next_to_the_field_and_keeps_the_email(
    client: TestClient,
) -> None:
    token = csrf_of(client.get("/app/sign-in").text)
    form = {"csrf_token": token, "email": "um@lacare.demo", "password": "nope"}
    response = client.post("/app/sign-in", data=form)
    assert response.status_code == 401
    assert "That email and password do not match an account." in response.text
    assert 'value="um@lacare.demo"' in response.text
    assert "nope" not in response.text
    assert 'id="password-error"' in response.text


def test_empty_fields_are_named(client: TestClient) -> None:
    token = csrf_of(client.get("/app/sign-in").text)
    response = client.post("/app/sign-in", data={"csrf_token": token})
    assert response.status_code == 422
    assert "Enter your email address." in response.text
    assert "Enter your password." in response.text


def test_a_post_without_the_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/app/sign-in")
    form = {"email": "um@lacare.demo", "password": DEMO_PASSWORD}
    response = client.post("/app/sign-in", data=form, follow_redirects=False)
    assert response.status_code == 403
    assert "calaim_session" not in response.cookies


def test_a_signed_in_form_needs_the_sessions_token(client: TestClient) -> None:
    signed_in_client(client, "um@lacare.demo")
    forged = "0" * 64
    response = client.post("/app/sign-out", data={"csrf_token": forged}, follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/app", follow_redirects=False).status_code == 200


def test_session_cookie_is_http_only_and_lax(client: TestClient) -> None:
    token = csrf_of(client.get("/app/sign-in").text)
    form = {"csrf_token": token, "email": "um@lacare.demo", "password": DEMO_PASSWORD}
    response = client.post("/app/sign-in", data=form, follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert "calaim_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


def test_a_tampered_session_goes_back_to_sign_in_with_a_message(client: TestClient) -> None:
    client.cookies.set("calaim_session", "not-a-real-token")
    response = client.get("/app", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/app/sign-in?next=/app&reason=")
    page = client.get(response.headers["location"])
    assert "Please sign in again." in page.text


def test_sign_out_ends_the_session(client: TestClient) -> None:
    signed_in_client(client, "lcm@ecm.demo")
    home = client.get("/app")
    response = client.post(
        "/app/sign-out", data={"csrf_token": csrf_of(home.text)}, follow_redirects=False
    )
    assert response.headers["location"] == "/app/sign-in?reason=signed_out"
    assert client.get("/app", follow_redirects=False).status_code == 303


def test_pages_carry_security_headers(client: TestClient) -> None:
    headers = client.get("/app/sign-in").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
