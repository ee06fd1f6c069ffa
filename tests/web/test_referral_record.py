"""The referral page as the shared record: facts, steps by role, messages, files, notices."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .helpers import csrf_of, signed_in_client
from .referral_flow import fresh_routed_referral

# A 3 MB scan: over the 1 MB body limit of ordinary requests (files once met it), under 10 MB.
SCAN = b"%PDF-1.7\n%" + b"x" * (3 * 2**20) + b"\n1 0 obj<<>>endobj\n%%EOF\n"


def _version(page: str) -> str:
    return page.split('name="version" value="')[1].split('"')[0]


def _step(client: TestClient, path: str, event: str, **extra: str) -> object:
    page = client.get(path).text
    form = {"csrf_token": csrf_of(page), "event": event, "version": _version(page), **extra}
    return client.post(f"{path}/step", data=form, follow_redirects=False)


def test_the_provider_sees_the_referrers_reasons_and_accepts(
    client: TestClient, demo_url: str
) -> None:
    path, pick = fresh_routed_referral(client, demo_url)
    signed_in_client(client, "staff@cs.demo")
    page = client.get(path).text
    for shown in (
        "Discharged today after surgery; nowhere safe to recover.",
        "Urgent",
        "Dana Ruiz, RN",
        "(213) 555-0142",
        "(323) 555-0123",
        "The member agreed to this referral.",
        "Accept the referral",
        "Decline the referral",
    ):
        assert shown in page, shown
    assert "cs.recuperative_care" not in page
    accepted = _step(client, path, "accept")
    assert accepted.status_code == 303
    after = client.get(path).text
    assert "Start services" in after
    assert "Accept the referral" not in after
    client.cookies.clear()

    # The discharge planner hears of the acceptance, with the member named.
    signed_in_client(client, "referrer@hospital.demo")
    home = client.get("/app").text
    assert f"referral accepted: {pick.first_name}" in home
    referral_page = client.get(path).text
    assert "What you can do" not in referral_page  # referrers follow; they do not act


def test_declining_needs_a_reason_and_a_confirmation(client: TestClient, demo_url: str) -> None:
    path, _pick = fresh_routed_referral(client, demo_url)
    signed_in_client(client, "staff@cs.demo")
    refused = _step(client, path, "decline", reason="No capacity right now")
    assert refused.status_code == 422
    assert "Tick the box to confirm" in refused.text  # type: ignore[attr-defined]
    no_reason = _step(client, path, "decline", confirm="yes")
    assert no_reason.status_code == 422
    assert "Choose a reason." in no_reason.text  # type: ignore[attr-defined]
    assert "Accept the referral" in client.get(path).text  # nothing changed
    done = _step(client, path, "decline", reason="No capacity right now", confirm="yes")
    assert done.status_code == 303
    assert "No capacity right now" in client.get(path).text


def test_messages_between_the_organizations_part2_only_with_consent(
    client: TestClient, demo_url: str
) -> None:
    path, _pick = fresh_routed_referral(client, demo_url)
    signed_in_client(client, "staff@cs.demo")
    token = csrf_of(client.get(path).text)
    for body, part2 in (("Can she come Tuesday at 10?", ""), ("Prior opioid treatment.", "yes")):
        sent = client.post(
            f"{path}/messages",
            data={"csrf_token": token, "body": body, "part2": part2},
            follow_redirects=False,
        )
        assert sent.status_code == 303
    empty = client.post(f"{path}/messages", data={"csrf_token": token, "body": " "})
    assert empty.status_code == 422
    client.cookies.clear()
    signed_in_client(client, "referrer@hospital.demo")
    page = client.get(path).text
    assert "Can she come Tuesday at 10?" in page
    assert "opioid" not in page
    assert "Part 2" not in page.split("Messages", 1)[1].split("New message")[0]


def test_files_are_checked_and_scoped(client: TestClient, demo_url: str) -> None:
    path, _pick = fresh_routed_referral(client, demo_url)
    signed_in_client(client, "referrer@hospital.demo")
    token = csrf_of(client.get(path).text)
    fake = client.post(
        f"{path}/attachments",
        data={"csrf_token": token},
        files={"file": ("discharge.pdf", b"MZ not really a pdf", "application/pdf")},
    )
    assert fake.status_code == 422
    assert "only pdf documents" in fake.text.lower()
    good = client.post(
        f"{path}/attachments",
        data={"csrf_token": token},
        files={"file": ("discharge summary.pdf", SCAN, "application/pdf")},
        follow_redirects=False,
    )
    assert good.status_code == 303
    page = client.get(path).text
    link = page.split('href="/app/attachments/')[1].split('"')[0]
    assert "discharge summary.pdf" in page
    client.cookies.clear()
    signed_in_client(client, "staff@cs.demo")
    download = client.get(f"/app/attachments/{link}")
    assert download.status_code == 200
    assert download.content == SCAN
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    client.cookies.clear()
    signed_in_client(client, "cc@healthnet.demo")
    assert client.get(f"/app/attachments/{link}").status_code == 404
    assert client.get(path).status_code == 404
