"""Admission control: at most N requests inside the app at once; the rest wait their turn.

Why: a request holds a pooled database connection from its first query until
`TransactionMiddleware` commits, and both the endpoint and the commit run in the threadpool.
Without a limit, a burst fills every worker thread with requests waiting for a connection,
while the requests that hold the connections wait for a thread to commit in: nobody moves
until the pool's checkout timeout (30 s) fails them. With at most as many requests admitted
as the pool has connections, a checkout never waits; a burst queues here (first come, first
served), costing no thread and no connection.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send


class AdmissionMiddleware:
    """Lets at most `limit` HTTP requests run at once (FIFO queue for the others)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        if limit < 1:
            raise ValueError("the admission limit must be at least 1")
        self.app = app
        self.limit = limit
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self._semaphore():
            await self.app(scope, receive, send)

    def _semaphore(self) -> asyncio.Semaphore:
        # Made on first use, inside the server's event loop.
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limit)
        return self._slots
