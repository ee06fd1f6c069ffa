"""The member's pages after sign-in: care team, care plan, Community Supports caps, letters,
a self-referral through the referral service, and Part 2 consents given and taken back (all
audited, all their own record only)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from calaim.app import build_app
from calaim.ops.auth.tokens import TokenSigner
from calaim.ops.db import session_factory
from calaim.ops.models import AuditEvent, Part2Consent, Referral
from calaim.ops.notifications.outbox import SmtpSettings

from .helpers import csrf_of
from .member_world import NOW, PDF, Inbox, MemberWorld, build_world, signed_in, smtp_server


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> MemberWorld:
    return build_world(tmp_path_factory.mktemp("member-pages"))


@pytest.fixture(scope="module")
def client(world: MemberWorld) -> Iterator[TestClient]:
    app = build_app(world.engine, clock=lambda: NOW, signer=TokenSigner("member-pages-secret"))
    with TestClient(app, base_url="http://testserver") as test_client:
        inbox: Iterator[tuple[Inbox, SmtpSettings]] = smtp_server()
        handler, settings = next(inbox)
        signed_in(test_client, world, handler, settings)
        yield test_client
        next(inbox, None)


def actions(world: MemberWorld) -> list[str]:
    with session_factory(world.engine)() as session:
        rows = session.scalars(
            select(AuditEvent.action).where(AuditEvent.actor_user_id == world.account_user.id)
        )
        return list(rows)


def test_care_team_care_plan_and_what_remains_of_each_cap(
    client: TestClient, world: MemberWorld
) -> None:
    page = client.get("/app/me/care")
    assert page.status_code == 200
    for words in (
        "Harbor Care Team", "Lena Ortiz", "213-555-0142", "Dr. Amir Haddad",
        "Find a steady place to live", "Visit the housing office together",
        "A place to heal after the hospital", "Sunrise Respite House",
    ):  # fmt: skip
        assert words in page.text, words
    # Recuperative care: 90 days in a rolling 12 months, 12 used (policy caps data).
    assert re.search(r"78 days left of 90", page.text), page.text
    assert {"member_portal.read", "member_portal.care_team_read"} <= set(actions(world))


def test_letters_open_only_the_members_own(client: TestClient, world: MemberWorld) -> None:
    page = client.get("/app/me/letters")
    assert "We said yes to a service you asked for" in page.text
    assert "You have a new care team" in page.text
    link = re.search(r'href="(/app/me/letters/[0-9a-f-]+)"', page.text)
    assert link
    pdf = client.get(link.group(1))
    assert pdf.status_code == 200
    assert pdf.content == PDF
    missing = client.get(f"/app/me/letters/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert "We could not find that page." in missing.text  # the member's own error page
    assert {"letter.read", "member_portal.letters_read", "member_portal.notices_read"} <= set(
        actions(world)
    )


def test_a_self_referral_goes_to_the_plan_through_the_referral_service(
    client: TestClient, world: MemberWorld
) -> None:
    form = client.get("/app/me/refer?program=cs.medically_tailored_meals").text
    assert 'value="cs.medically_tailored_meals" selected' in form
    incomplete = client.post("/app/me/refer", data={"csrf_token": csrf_of(form), "program": "x"})
    assert incomplete.status_code == 422
    sent = client.post(
        "/app/me/refer",
        data={"csrf_token": csrf_of(form), "program": "cs.medically_tailored_meals",
              "who": "family", "need": "Meals after my surgery", "agree": "yes"},
    )  # fmt: skip
    assert sent.status_code == 200
    assert "We got your request" in sent.text
    with session_factory(world.engine)() as session:
        referral = session.scalars(
            select(Referral).where(Referral.program_id == "cs.medically_tailored_meals")
        ).one()
        assert referral.member_id == world.member.id
        assert referral.source_kind == "member_or_family"
        assert referral.referring_organization_id == world.member.plan_organization_id


def test_the_member_says_yes_then_takes_it_back(client: TestClient, world: MemberWorld) -> None:
    page = client.get("/app/me/privacy").text
    assert "Harbor Care Team asks to see it" in page
    assert "42 CFR Part 2" in page
    organization = re.search(r'<option value="([0-9a-f-]+)">Harbor Care Team', page)
    assert organization
    given = client.post(
        "/app/me/privacy/give",
        data={"csrf_token": csrf_of(page), "organization": organization.group(1), "months": "6"},
    )
    assert "They may now see it" in given.text
    with session_factory(world.engine)() as session:
        consent = session.scalars(select(Part2Consent)).one()
        assert (consent.granted_on.isoformat(), consent.expires_on) == (
            "2025-10-01",
            consent.expires_on,
        )
        assert str(consent.expires_on) == "2026-04-01"
        assert consent.request_id is not None  # it answers the care team's request
        assert consent.document_reference.startswith("Signed electronically")
    revoke = re.search(r'action="(/app/me/privacy/revoke/[0-9a-f-]+)"', given.text)
    assert revoke
    taken_back = client.post(revoke.group(1), data={"csrf_token": csrf_of(given.text)})
    assert "They may not see it any more" in taken_back.text
    assert {"consent.record", "consent.revoke", "consent.list"} <= set(actions(world))
    other = client.post(
        f"/app/me/privacy/revoke/{uuid.uuid4()}", data={"csrf_token": csrf_of(given.text)}
    )
    assert other.status_code == 404
    # Taken back again (say, from an older tab): the service's refusal in plain words, on the
    # privacy page; in Spanish the member pages' own sentence (never English, never an id).
    again = client.post(revoke.group(1), data={"csrf_token": csrf_of(given.text)})
    assert again.status_code == 409
    said = re.search(r'<p class="error" role="alert">([^<]*)</p>', again.text)
    assert said
    assert said.group(1) == "The consent was already revoked on 2025-10-01"
    client.cookies.set("calaim_me_lang", "es")
    try:
        spanish = client.post(revoke.group(1), data={"csrf_token": csrf_of(given.text)})
    finally:
        client.cookies.delete("calaim_me_lang")
    assert spanish.status_code == 409
    said = re.search(r'<p class="error" role="alert">([^<]*)</p>', spanish.text)
    assert said
    assert said.group(1) == "No se pudo guardar. Inténtelo de nuevo."
