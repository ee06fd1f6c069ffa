"""Every page and form of the search / referral-record work, as every demo role.

The page-level twin of the API access matrix: no role gets a server error; pages a role may
not use answer 403; another plan's referral, its files and its forms answer 404, exactly like
a referral that does not exist, and nothing is written.
"""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from calaim.ops.access.permissions import ROLE_PERMISSIONS, Permission
from calaim.ops.demo import USERS

from .helpers import csrf_of, signed_in_client
from .members import dashed


def _holding(*permissions: Permission) -> set[str]:
    """The roles holding any of `permissions`."""
    return {
        r.value
        for r, held in ROLE_PERMISSIONS.items()
        if any(permission in held for permission in permissions)
    }


QUEUE, TASKS = (
    "/app/authorizations?show=approved&sort=oldest",
    "/app/tasks?kind=outreach&sort=latest",
)
PAGES = ["/app/search?q=garcia", "/app/referrals", "/app/capacity", "/app/coverage", QUEUE, TASKS]
PAGES += ["/app/reentry", "/app/screenings"]
# The network pages (issue 17): a provider's profile and applications, the lead's network,
# payment models.
PAGES += ["/app/profile", "/app/applications", "/app/network", "/app/payments"]
# Who may open which page (anyone else: 403).
ALLOWED = {
    "/app/search?q=garcia": {role.value for _e, _o, role in USERS},
    "/app/referrals": {r.value for _e, _o, r in USERS} - {"state_analyst"},
    "/app/capacity": {"cs_provider_staff", "ecm_supervisor", "plan_admin"},
    "/app/coverage": {r.value for _e, _o, r in USERS},
    QUEUE: {
        r.value for r, held in ROLE_PERMISSIONS.items() if Permission.AUTHORIZATION_DECIDE in held
    },
    TASKS: {r.value for r, held in ROLE_PERMISSIONS.items() if Permission.NOTICE_READ in held},
    "/app/reentry": {
        r.value for r, held in ROLE_PERMISSIONS.items() if Permission.REENTRY_READ in held
    },
    "/app/screenings": {
        r.value for r, held in ROLE_PERMISSIONS.items() if Permission.SCREENING_SCORE in held
    },
    "/app/profile": _holding(Permission.PROVIDER_PROFILE),
    "/app/applications": _holding(Permission.PROVIDER_PROFILE, Permission.PROVIDER_CREDENTIALING),
    "/app/network": _holding(Permission.NETWORK_MANAGE),
    "/app/payments": _holding(Permission.PROVIDER_PROFILE, Permission.AGGREGATE_READ),
}


def _lacare_referral(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT r.id FROM referrals r JOIN members m ON m.id = r.member_id "
                    "JOIN organizations o ON o.id = m.plan_organization_id "
                    "WHERE o.plan_code = 'LACARE' ORDER BY r.received_at LIMIT 1"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return dashed(str(found))


@pytest.mark.parametrize(("email", "role"), [(e, r.value) for e, _o, r in USERS])
def test_every_role_gets_its_pages_or_a_refusal(client: TestClient, email: str, role: str) -> None:
    signed_in_client(client, email)
    for page in PAGES:
        status = client.get(page).status_code
        expected = 200 if role in ALLOWED[page] else 403
        assert status == expected, f"{role} {page}: {status}"


def test_another_plans_referral_is_not_found_everywhere(client: TestClient, demo_url: str) -> None:
    referral = _lacare_referral(demo_url)
    signed_in_client(client, "cc@healthnet.demo")
    token = csrf_of(client.get("/app/referrals").text)
    missing = str(uuid.uuid4())
    for target in (referral, missing):
        assert client.get(f"/app/referrals/{target}").status_code == 404
        for action, data in (
            ("step", {"event": "accept", "version": "1"}),
            ("messages", {"body": "hello"}),
            ("attachments", {}),
        ):
            response = client.post(
                f"/app/referrals/{target}/{action}", data={"csrf_token": token, **data}
            )
            assert response.status_code in (403, 404), f"{action}: {response.status_code}"
    assert client.get(f"/app/attachments/{missing}").status_code == 404


def test_the_state_analyst_cannot_act_on_referrals(client: TestClient, demo_url: str) -> None:
    referral = _lacare_referral(demo_url)
    signed_in_client(client, "analyst@state.demo")
    token = csrf_of(client.get("/app").text)
    for action in ("step", "messages", "attachments"):
        response = client.post(f"/app/referrals/{referral}/{action}", data={"csrf_token": token})
        assert response.status_code in (403, 404)


def test_roles_that_read_no_members_cannot_write_about_one(client: TestClient) -> None:
    for email in ("analyst@state.demo", "referrer@hospital.demo"):
        signed_in_client(client, email)
        page = client.get("/app")
        assert page.status_code == 200
        written = client.post(
            f"/app/members/{uuid.uuid4()}/messages",
            data={"csrf_token": csrf_of(page.text), "body": "hello"},
        )
        assert written.status_code in (403, 404), f"{email}: {written.status_code}"
        client.cookies.clear()
