"""Security headers on the workspace's pages and static files (a pure ASGI middleware).

Only `/app...` responses (pages, `/app/static/`) get them; the API is untouched. The CSP
allows scripts, styles, images, forms and fetches from this origin only, and no framing.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"x-content-type-options", b"nosniff"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
PAGE_ONLY: list[tuple[bytes, bytes]] = [(b"cache-control", b"no-store")]


def _is_workspace(path: str) -> bool:
    return path == "/app" or path.startswith("/app/")


class SecurityHeaders:
    """Adds `HEADERS` (and no-store caching on pages) to workspace responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not _is_workspace(path):
            await self.app(scope, receive, send)
            return
        extra = HEADERS + ([] if path.startswith("/app/static/") else PAGE_ONLY)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)
