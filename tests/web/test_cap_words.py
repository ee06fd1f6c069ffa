"""Caps in plain words on the provider's pages, and a cap refusal without ids."""

from __future__ import annotations

import re
from decimal import Decimal

from fastapi.testclient import TestClient

from calaim.ops.services.caps import CapExceeded, Use
from calaim.ops.services.remaining import CapLeft
from calaim.web.caps import _shown, cap_refusal, cap_sentence

from .helpers import csrf_of, signed_in_client

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _same(text: str) -> str:
    return text


def test_a_rolling_cap_in_words() -> None:
    cap = _shown(
        CapLeft("rolling_units", "meal", Decimal(168), Decimal(154), Decimal(14), months=6)
    )
    assert cap_sentence(cap, _same) == "14 meals remain of 168 in these 6 months"


def test_a_dollar_cap_in_words_at_the_limit() -> None:
    cap = _shown(CapLeft("lifetime_amount", "dollar", Decimal(7500), Decimal(7500), Decimal(0)))
    assert cap_sentence(cap, _same) == "$0.00 remain of $7,500.00 in the member's lifetime"


def test_a_refusal_names_what_was_asked_and_what_is_left() -> None:
    use = Use("rolling_units", "cs.medically_tailored_meals", "meal", Decimal(168), Decimal(154),
              months=6)  # fmt: skip
    error = CapExceeded("developer words", limit=use.limit, used=use.used, use=use,
                        requested=Decimal(20))  # fmt: skip
    assert cap_refusal(error, _same) == (
        "Not recorded: 20 meals would go over the limit. 14 meals remain of 168 in these 6 months."
    )


def _meals_member(client: TestClient) -> str:
    home = client.get("/app").text
    return (
        home.split("medically tailored meals")[0].rsplit('href="/app/members/', 1)[1].split("#")[0]
    )


def test_the_member_page_and_the_refusal_speak_plainly(client: TestClient) -> None:
    signed_in_client(client, "staff@cs.demo")
    member = _meals_member(client)
    page = client.get(f"/app/members/{member}").text
    words = re.search(r"(\d+) meals remain of 168 in these 6 months", page)
    assert words, "the meal cap is not said in words"
    episode = page.split('action="/app/episodes/')[1].split("/deliveries")[0]
    form = {
        "csrf_token": csrf_of(page),
        "member_id": member,
        "service_date": "2025-10-01",
        "units": "500",
    }
    refused = client.post(f"/app/episodes/{episode}/deliveries", data=form)
    assert refused.status_code == 409
    message = refused.text.split('-units-error">')[1].split("</p>")[0]
    assert "Not recorded: 500 meals would go over the limit." in message
    assert f"{words.group(1)} meals remain of 168 in these 6 months" in message
    assert "cs." not in message
    assert not UUID.search(message)


def test_the_refusal_in_spanish(client: TestClient) -> None:
    client.cookies.set("calaim_lang", "es")
    signed_in_client(client, "staff@cs.demo")
    page = client.get(f"/app/members/{_meals_member(client)}").text
    assert re.search(r"Quedan \d+ comidas de 168 en estos 6 meses", page)
