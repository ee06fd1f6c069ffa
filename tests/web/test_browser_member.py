"""Chromium signs in as a member (code from a real SMTP server, CIN, date of birth) and walks
every member page in every language at a phone's size: the right language and direction, no
program id or UUID on screen, axe-core clean (no serious or critical violation), a screenshot
of each (test-artifacts/screenshots/member-<page>-<lang>.png)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser

from calaim.app import build_app
from calaim.ops.auth.tokens import TokenSigner
from calaim.web.member.i18n import LANGUAGES, RIGHT_TO_LEFT

from .conftest import _free_port
from .helpers import SCREENSHOTS as SHOTS
from .member_world import EMAIL, NOW, MemberWorld, build_world, deliver, smtp_server

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text(encoding="utf-8")
UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)
PROGRAM_ID = re.compile(r"(?<![@\w.])(?:ecm|cs)\.[a-z][a-z0-9_]+\b")
# axe-core on every page in these (left to right, right to left): every language shares the
# same templates, so this keeps the walk under a minute.
AXE_EVERYWHERE = ("en", "ar")
PAGES = {
    "home": "/app/me",
    "care": "/app/me/care",
    "letters": "/app/me/letters",
    "refer": "/app/me/refer",
    "privacy": "/app/me/privacy",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, MemberWorld]]:
    """The member world served by uvicorn on a free port."""
    world = build_world(tmp_path_factory.mktemp("member-browser"))
    app = build_app(world.engine, clock=lambda: NOW, signer=TokenSigner("member-browser-secret"))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the live server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", world
    server.should_exit = True
    thread.join(timeout=10)


def serious_violations(page: object) -> list[str]:
    page.add_script_tag(content=AXE)  # type: ignore[attr-defined]
    found = page.evaluate(  # type: ignore[attr-defined]
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )
    return list(found)


def test_a_member_walks_every_page_in_every_language(
    browser: Browser, served: tuple[str, MemberWorld]
) -> None:
    base, world = served
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        smtp = smtp_server()
        inbox, settings = next(smtp)
        page.goto(f"{base}/app/me")
        assert page.url.endswith("/app/me/sign-in")
        page.get_by_label("Your email address").fill(EMAIL)
        page.get_by_role("button", name="Email me a code").click()
        assert deliver(world.engine, settings, NOW) == 1
        page.get_by_label("Code from the email").fill(inbox.last_code())
        page.get_by_label("Your CIN").fill(world.member.cin or "")
        page.get_by_label("Your date of birth").fill("1970-05-17")
        page.get_by_role("button", name="Sign in").click()
        assert page.url == f"{base}/app/me"
        next(smtp, None)
        for language in LANGUAGES:
            context.add_cookies([{"name": "calaim_me_lang", "value": language, "url": base}])
            for name, path in PAGES.items():
                response = page.goto(f"{base}{path}")
                assert response is not None
                where = f"{language} {path}"
                if response.status != 200:
                    problems.append(f"{where}: HTTP {response.status}")
                    continue
                direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
                if page.locator(f'html[lang="{language}"][dir="{direction}"]').count() != 1:
                    problems.append(f"{where}: not marked {language} {direction}")
                text = page.inner_text("body")
                for pattern, what in ((PROGRAM_ID, "program id"), (UUID, "UUID")):
                    if found := pattern.search(text):
                        problems.append(f"{where}: shows a {what} ({found.group(0)})")
                if page.locator("script").count():
                    problems.append(f"{where}: has a script (the pages work without one)")
                if language in AXE_EVERYWHERE:
                    problems += [f"{where}: axe {v}" for v in serious_violations(page)]
                page.screenshot(path=str(SHOTS / f"member-{name}-{language}.png"))
    finally:
        context.close()
    assert not problems, "\n".join(problems)
