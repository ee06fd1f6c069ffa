"""A service's refusal on a page is said in plain words, in the page's language: no program id,
record id or status code; the member page's eligibility notes are translated too; a message
reaches the other organization's inbox."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from calaim.ops.errors import Conflict, InvalidRequest
from calaim.ops.network.service import NoMemberFits
from calaim.ops.providers.applications import RequirementsUnmet
from calaim.ops.referrals.state import IllegalTransition, ReferralEvent, ReferralStatus
from calaim.web.i18n import translations
from calaim.web.refusals import plain, speaker

from .helpers import csrf_of, signed_in_client
from .members import dashed, untouched_members
from .referral_flow import fresh_routed_referral

UUID = "8a3c6f0e-1b2d-4e5f-9a8b-7c6d5e4f3a2b"
SPANISH = speaker(translations("es").gettext)
ENGLISH = speaker(translations("en").gettext)


def test_a_step_the_state_does_not_allow_names_the_state_in_words() -> None:
    said = plain(IllegalTransition(ReferralStatus.SERVICES_RECEIVED, ReferralEvent.ACCEPT))
    assert ENGLISH(said) == (
        "That step is not possible now: the referral is services received. Reload the page "
        "to see the steps it allows."
    )
    assert SPANISH(said).startswith("Ese paso no es posible ahora (remisión: servicios recibidos)")
    assert "->" not in said
    assert "services_received" not in said


def test_any_other_refusal_loses_its_ids_and_is_never_english_on_a_spanish_page() -> None:
    said = plain(Conflict(f"cs.medically_tailored_meals episode {UUID} cannot do that"))
    assert ENGLISH(said) == "Medically tailored meals episode cannot do that"
    assert SPANISH(said) == (
        "Eso no se puede hacer ahora: el registro está en un estado que no lo permite. "
        "Vuelva a cargar e inténtelo de nuevo."
    )
    known = plain(InvalidRequest("write the message before sending it", field="body"))
    assert SPANISH(known) == "Escriba el mensaje antes de enviarlo"


def _step(client: TestClient, path: str, version: str, event: str) -> str:
    form = {"csrf_token": csrf_of(client.get(path).text), "event": event, "version": version}
    answer = client.post(f"{path}/step", data=form, follow_redirects=False)
    assert answer.status_code in (303, 409), answer.status_code
    return answer.text


def test_a_stale_step_and_a_message_on_a_spanish_referral_page(
    client: TestClient, demo_url: str
) -> None:
    path, _pick = fresh_routed_referral(client, demo_url)
    signed_in_client(client, "staff@cs.demo")
    client.cookies.set("calaim_lang", "es")
    page = client.get(path).text
    version = page.split('name="version" value="')[1].split('"')[0]
    _step(client, path, version, "accept")
    again = _step(client, path, version, "accept")  # the same form, sent twice
    assert "Alguien cambió este registro mientras usted trabajaba" in again
    shown = re.sub(r"<[^>]+>", " ", again.split("<main", 1)[1])
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", shown)
    token = csrf_of(client.get(path).text)
    client.post(f"{path}/messages", data={"csrf_token": token, "body": "¿Martes a las 10?"})
    client.cookies.clear()
    signed_in_client(client, "referrer@hospital.demo")
    inbox = client.get("/app/inbox").text
    assert "New message" in inbox
    assert "Recuperative Care" in inbox.split("New message", 1)[1].split("</li>")[0]


def test_the_member_page_notes_are_in_spanish(client: TestClient, demo_url: str) -> None:
    pick = untouched_members(demo_url, plan="LACARE", program="ecm", count=1)[0]
    signed_in_client(client, "cc@lacare.demo")
    client.cookies.set("calaim_lang", "es")
    page = client.get(f"/app/members/{dashed(pick.id)}").text
    assert "Reglas vigentes desde el" in page
    assert "Rules in force" not in page
    assert "Live in" not in page
    assert "In effect statewide" not in page


def test_messages_about_a_member_on_the_member_page(client: TestClient, demo_url: str) -> None:
    pick = untouched_members(demo_url, plan="LACARE", program="ecm", count=2)[1]
    path = f"/app/members/{dashed(pick.id)}"
    signed_in_client(client, "cc@lacare.demo")
    token = csrf_of(client.get(path).text)
    empty = client.post(f"{path}/messages", data={"csrf_token": token, "body": " "})
    assert empty.status_code == 422
    assert 'id="member-message-body-error"' in empty.text
    sent = client.post(
        f"{path}/messages",
        data={"csrf_token": token, "body": "New phone on file; call after 5."},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    page = client.get(path).text
    assert "New phone on file; call after 5." in page.split('id="messages"')[1]
    client.cookies.clear()
    signed_in_client(client, "cc@healthnet.demo")  # another plan: not found, nothing written
    theirs = csrf_of(client.get("/app/referrals").text)
    other = client.post(f"{path}/messages", data={"csrf_token": theirs, "body": "hello"})
    assert other.status_code == 404


def test_network_and_application_refusals_are_plain_and_spanish() -> None:
    full = plain(NoMemberFits("no member can take this referral (Casa: no open capacity)"))
    assert ENGLISH(full) == "No member can take this referral (Casa: no open capacity)"
    assert SPANISH(full).startswith("Ninguna organización miembro puede tomar esta remisión")
    unmet = plain(
        RequirementsUnmet(
            "L.A. Care Health Plan: Signed HIPAA attestation (lacare.hipaa_attestation): "
            "answer yes to attest"
        )
    )
    # The requirement's id is left out; Spanish says what to do in general.
    assert ENGLISH(unmet) == (
        "L.A. Care Health Plan: Signed HIPAA attestation: answer yes to attest"
    )
    assert SPANISH(unmet).startswith("Su perfil todavía no tiene lo que pide un plan")


def test_the_network_pages_refuse_in_spanish(client: TestClient) -> None:
    signed_in_client(client, "lead@network.demo")
    client.cookies.set("calaim_lang", "es")
    page = client.get("/app/network").text
    month = client.post(
        "/app/network/month", data={"csrf_token": csrf_of(page), "period": "septiembre"}
    )
    assert month.status_code == 422
    assert "Escriba el mes como año-mes, por ejemplo 2025-09." in month.text
    applications = client.get("/app/applications").text
    refused = client.post(
        "/app/applications",
        data={
            "csrf_token": csrf_of(applications),
            "plan": "LACARE",
            "program": "cs.recuperative_care",
            "county": "Los Angeles",
        },
    )
    assert refused.status_code == 422
    assert "Su perfil todavía no tiene lo que pide un plan" in refused.text
    summary = refused.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "lacare." not in summary
