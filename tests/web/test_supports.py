"""Community Supports on the pages: remaining caps, each action offered once, timeline order."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from calaim.ops.models import ReferralTransition
from calaim.ops.services.remaining import CapLeft
from calaim.web.caps import _shown
from calaim.web.timeline import in_step_order

from .helpers import csrf_of, signed_in_client
from .members import dashed, untouched_members

NOW = dt.datetime(2025, 10, 1, 16, 0, tzinfo=dt.UTC)


def _rows(url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql), params).all()]
    finally:
        engine.dispose()


def _cap_row(html: str, kind: str) -> list[str]:
    """The cells (limit, used, remaining) of the first caps row of `kind`."""
    row = html.split(f'data-cap="{kind}"', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="num"[^>]*>(.*?)</td>', row, flags=re.S)
    bare = [re.sub(r"<progress.*?</progress>", "", c, flags=re.S) for c in cells]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in bare]


def test_the_cs_worklist_shows_each_service_with_its_remaining_caps(
    client: TestClient, demo_url: str
) -> None:
    signed_in_client(client, "staff@cs.demo")
    home = client.get("/app").text
    assert "Services to record" in home
    assert "Caps on Oct 1, 2025" in home  # the app's clock, not the machine's
    care = _rows(
        demo_url,
        "SELECT e.member_id, sum(d.units) FROM service_episodes e JOIN service_deliveries d "
        "ON d.episode_id = e.id WHERE e.program_id = 'cs.recuperative_care' AND e.status = 'open' "
        "AND e.started_on < '2025-10-01' GROUP BY e.id ORDER BY e.started_on LIMIT 1",
    )
    used = int(Decimal(str(care[0][1])))
    card = home.split(f'href="/app/members/{dashed(str(care[0][0]))}#supports"', 1)[1]
    limit, shown_used, remaining = _cap_row(card.split("</article>")[0], "episode_units")
    assert (limit, shown_used, remaining) == ("90 days", f"{used} days", f"{90 - used} days")
    # The combined housing limit counts the same days (it started 2025-07-01).
    assert "Combined housing days in the 12 months to Oct 1, 2025" in home


def test_the_member_page_shows_open_episodes_caps_with_units(client: TestClient) -> None:
    signed_in_client(client, "staff@cs.demo")
    home = client.get("/app").text
    meals = home.split("medically tailored meals")[0].rsplit('href="/app/members/', 1)[1]
    page = client.get(f"/app/members/{meals.split('#')[0]}").text
    supports = page.split('id="supports"', 1)[1]
    assert "In the 6 months to Oct 1, 2025" in supports
    limit, used, remaining = _cap_row(supports, "rolling_units")
    assert limit == "168 meals"
    assert int(used.split()[0]) + int(remaining.split()[0]) == 168
    assert remaining.endswith("meals")


def test_caps_at_the_limit_and_one_below_are_shown_as_such() -> None:
    at = _shown(CapLeft("lifetime_amount", "dollar", Decimal(7500), Decimal(7500), Decimal(0)))
    assert (at["limit"], at["used"], at["remaining"]) == ("$7,500.00", "$7,500.00", "$0.00")
    assert (at["none_left"], at["percent"], at["unit"]) == (True, 100, None)
    below = _shown(CapLeft("calendar_year_units", "hour", Decimal(336), Decimal(335), Decimal(1)))
    assert (below["remaining"], below["none_left"], below["unit"]) == ("1", False, "hours")
    assert below["percent"] == 99


def test_start_service_episode_is_offered_once_and_never_for_a_running_one(
    client: TestClient, demo_url: str
) -> None:
    signed_in_client(client, "staff@cs.demo")
    home = client.get("/app").text
    members = sorted(set(re.findall(r'href="/app/members/([0-9a-f-]+)#supports"', home)))
    assert members
    for member in members:
        page = client.get(f"/app/members/{member}").text
        actions = re.findall(r'<form method="post" action="(/app/[^"]+)"', page)
        assert len(actions) == len(set(actions)), f"an action is offered twice on {member}"
        running = _rows(
            demo_url,
            "SELECT authorization_id FROM service_episodes "
            "WHERE member_id = :m AND status = 'open'",
            m=member.replace("-", ""),
        )
        assert running
        for (authorization,) in running:
            assert f"/app/authorizations/{dashed(str(authorization))}/episode" not in page
        # The running episode is offered its own next steps instead.
        assert "Record a delivery" in page


def _transition(to: str, source: str | None, seconds: int = 0) -> ReferralTransition:
    step = ReferralTransition(to_status=to, from_status=source, id=uuid.uuid4())
    step.at = NOW + dt.timedelta(seconds=seconds)
    return step


def test_steps_at_one_instant_follow_the_closed_loop() -> None:
    loop = [
        _transition("received", None),
        _transition("received", "received"),  # routed
        _transition("accepted", "received"),
        _transition("in_progress", "accepted"),
        _transition("services_received", "in_progress"),
        _transition("closed", "services_received"),
    ]
    for shuffled in (list(reversed(loop)), loop[3:] + loop[:3], sorted(loop, key=lambda t: t.id)):
        assert in_step_order(shuffled) == loop
    # Time still comes first: a later creation is after an earlier close.
    later = _transition("received", None, seconds=1)
    assert in_step_order([later, *reversed(loop)]) == [*loop, later]


def test_the_referral_page_shows_a_fixed_clock_loop_in_step_order(
    web_app: FastAPI, demo_url: str
) -> None:
    pick = untouched_members(demo_url, plan="LACARE", program="cs.recuperative", count=4)[3]
    member = dashed(pick.id)

    def as_user(email: str) -> TestClient:
        return signed_in_client(TestClient(web_app, base_url="http://testserver"), email)

    referrer = as_user("referrer@hospital.demo")
    form = referrer.get("/app/referrals/new").text
    sent = referrer.post(
        "/app/referrals/new",
        data={"csrf_token": csrf_of(form), "program_id": "cs.recuperative_care",
              "source_kind": "hospital", "birth_date": pick.birth_date, "cin": pick.cin,
              "member_consented": "yes"},
        follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 303, sent.text
    referral = sent.headers["location"].split("/")[-1].split("?")[0]

    def step(user: TestClient, path: str, **fields: str) -> None:
        page = user.get(f"/app/members/{member}").text
        version = page.split(f'action="/app/referrals/{referral}/')[1]
        version = version.split('name="version" value="')[1].split('"')[0]
        data = {"csrf_token": csrf_of(page), "version": version, "member_id": member, **fields}
        done = user.post(f"/app/referrals/{referral}/{path}", data=data, follow_redirects=False)
        assert done.status_code == 303, done.text

    cc = as_user("cc@lacare.demo")
    harbor = _rows(demo_url, "SELECT id FROM organizations WHERE name = 'Harbor Recuperative Care'")
    step(cc, "route", receiving_organization_id=dashed(str(harbor[0][0])))
    staff = as_user("staff@cs.demo")
    for event in ("accept", "start", "record_services", "close"):
        step(staff, "event", event=event)
    timeline = referrer.get(f"/app/referrals/{referral}").text.split('<ol class="timeline">')[1]
    steps = [
        re.sub(r"\s+", " ", li).split(": ", 1)[1].split(" (")[0]
        for li in re.findall(r"<li>(.*?)</li>", timeline.split("</ol>")[0], flags=re.S)
    ]
    assert steps == [
        "received", "received", "accepted", "in progress", "services received", "closed"
    ]  # fmt: skip
