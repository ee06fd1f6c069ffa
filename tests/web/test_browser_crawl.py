"""Every workspace page each demo role can reach: no 4xx or 5xx, no raw program id or UUID in
the text people read, and axe-core finds no serious or critical accessibility violation.

A crawler signs in as each role and follows the workspace's links (GET only; sign-out and the
language switch excluded). Pages of the same kind (a member page, a referral page) are visited
once each, so the crawl stays fast while still covering every page kind.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from .helpers import USER_BY_ROLE, screenshot, sign_in

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text(encoding="utf-8")
UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)
# A program id in running text (not an email address's domain, such as staff@cs.demo).
PROGRAM_ID = re.compile(r"(?<![@\w.])(?:ecm|cs)\.[a-z][a-z0-9_]+\b")
SKIP = ("/app/sign-out", "/app/language/", "/app/static/")
PER_KIND = 1
MAX_PAGES = 30
DOWNLOADS = (".csv", ".xlsx", ".pdf")


def _kind(path: str) -> str:
    return UUID.sub("{id}", path.split("?")[0])


def _links(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = []
    for href in hrefs:
        url = urlsplit(urljoin(page.url, href))
        if url.netloc != urlsplit(base).netloc or not url.path.startswith("/app"):
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if not any(path.startswith(s) for s in SKIP):
            found.append(path)
    return found


def _serious(page: Page) -> list[str]:
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )
    return list(result)


@pytest.mark.parametrize("role", sorted(USER_BY_ROLE))
def test_every_page_a_role_reaches(browser: Browser, live_server: str, role: str) -> None:
    # axe-core is injected as an inline script: the tests bypass the page's CSP for that only.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    problems: list[str] = []
    try:
        sign_in(page, live_server, USER_BY_ROLE[role])
        queue, seen, kinds = ["/app"], set(), Counter[str]()
        while queue and len(seen) < MAX_PAGES:
            path = queue.pop(0)
            kind = _kind(path)
            if path in seen or kinds[kind] >= PER_KIND:
                continue
            seen.add(path)
            kinds[kind] += 1
            if path.split("?")[0].endswith(DOWNLOADS):
                fetched = context.request.get(f"{live_server}{path}")
                if fetched.status >= 400:
                    problems.append(f"{path}: HTTP {fetched.status}")
                continue
            response = page.goto(f"{live_server}{path}")
            status = response.status if response else 0
            if status >= 400:
                problems.append(f"{path}: HTTP {status}")
                continue
            text = page.inner_text("body")
            for pattern, what in ((PROGRAM_ID, "program id"), (UUID, "UUID")):
                if found := pattern.search(text):
                    problems.append(f"{path}: shows a {what} ({found.group(0)})")
            problems += [f"{path}: axe {v}" for v in _serious(page)]
            queue += _links(page, live_server)
        if problems:
            screenshot(page, f"crawl-{role}-last")
        assert not problems, "\n".join(problems)
        assert len(seen) >= 2, f"{role} reached only {sorted(seen)}"
    finally:
        context.close()
