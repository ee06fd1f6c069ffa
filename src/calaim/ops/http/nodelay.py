"""uvicorn's HTTP protocol with TCP_NODELAY always on.

With `--workers` above 1, uvicorn binds the listening socket itself as
`socket.socket(family=...)`: its protocol number is 0, so asyncio's check for TCP
(`sock.proto == IPPROTO_TCP`) fails on every accepted connection and Nagle's algorithm stays
on. A response written in two parts then waits for the client's delayed ACK: about 40 ms
added to every request (measured with bench/api_bench.py). One worker is unaffected.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol

PROTOCOL = "calaim.ops.http.nodelay:NoDelayH11Protocol"


class NoDelayH11Protocol(H11Protocol):
    """H11Protocol that disables Nagle's algorithm on each TCP connection."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        no_delay(transport)
        super().connection_made(transport)


def no_delay(transport: asyncio.BaseTransport) -> None:
    """Set TCP_NODELAY on the transport's socket, when it is a TCP socket."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
