"""Headers on the API's responses: no caching of member data, and a strict CSP on `/docs`.

- Every response outside the web workspace (`/app`, which sets its own: `web/headers.py`)
  gets `Cache-Control: no-store` unless it set its own, and `X-Content-Type-Options: nosniff`:
  API responses carry member data, which no browser or proxy cache may keep.
- `/docs` is the Swagger UI page, served here instead of FastAPI's default so it carries a
  Content-Security-Policy allowing exactly what the page needs: Swagger UI's script and
  stylesheet from their CDN address, its one inline start-up script by hash, style attributes,
  data: images, and fetches from this origin only (the OpenAPI document and "try it out").
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SWAGGER_JS = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"
SWAGGER_CSS = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def docs_page(title: str, openapi_url: str = "/openapi.json") -> HTMLResponse:
    """The Swagger UI page with its Content-Security-Policy."""
    page = get_swagger_ui_html(
        openapi_url=openapi_url,
        title=f"{title} - docs",
        swagger_js_url=SWAGGER_JS,
        swagger_css_url=SWAGGER_CSS,
        swagger_favicon_url="data:,",
    )
    html = bytes(page.body).decode()
    hashes = " ".join(f"'sha256-{_digest(script)}'" for script in _INLINE_SCRIPT.findall(html))
    policy = (
        f"default-src 'none'; script-src {SWAGGER_JS} {hashes}; style-src {SWAGGER_CSS}; "
        "style-src-attr 'unsafe-inline'; img-src data:; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


def _digest(script: str) -> str:
    return base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


def install_docs(app: FastAPI) -> None:
    """Serve `/docs` (the app must be made with `docs_url=None, redoc_url=None`)."""
    page = docs_page(app.title)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(bytes(page.body), headers=dict(page.headers))


def _is_workspace(path: str) -> bool:
    return path == "/app" or path.startswith("/app/")


class ApiHeaders:
    """Adds no-store caching and nosniff to every response outside the web workspace."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _is_workspace(str(scope.get("path", ""))):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
