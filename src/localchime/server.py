"""The ASGI app around `LocalChime.handle`, and the uvicorn server that `localchime serve` runs.

The handler runs inline on the event loop: a SQLite unit of work is tens of microseconds, far
less than a hop to a thread pool would cost. A control route that may wait on user code (a
simulated call invoking its handler) runs in a worker thread instead. A background task runs due
transitions in real time, and the families' background work (driving calls) off the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn

from localchime.app import LocalChime
from localchime.protocol.messages import Request, Response, declared_length

log = logging.getLogger("localchime.server")

Scope = dict[str, Any]


class AsgiApp:
    def __init__(self, app: LocalChime) -> None:
        self.app = app
        self._ticker: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            try:
                request = await self._read_request(scope, receive)
            except TimeoutError:
                seconds = self.app.settings.body_timeout_seconds
                reason = f"The request body did not arrive within {seconds:g} s"
                await _send(send, self.app.reject(reason))
                return
            if self.app.blocks(request):
                response = await asyncio.to_thread(self.app.handle, request)
            else:
                response = self.app.handle(request)
            await _send(send, response)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)

    async def _read_request(self, scope: Scope, receive: Any) -> Request:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        limit = self.app.settings.max_body_bytes
        body = b""
        declared = declared_length(headers)
        if declared <= limit:
            # No timer when no body is coming: asyncio's timeout machinery costs a GET ~5 %.
            expects_body = declared > 0 or "transfer-encoding" in headers
            timeout = self.app.settings.body_timeout_seconds if expects_body else None
            body = await _read_body(receive, limit, timeout)
        raw_path = scope.get("raw_path") or scope["path"].encode()
        return Request(
            method=scope["method"],
            path=raw_path.decode("latin-1"),
            query=scope["query_string"].decode("latin-1"),
            headers=headers,
            body=body,
        )

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._ticker = asyncio.create_task(self._tick_forever())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._ticker is not None:
                    self._ticker.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await self._ticker
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.app.settings.lifecycle_poll_seconds)
            try:
                self.app.now_ms()
                if self.app.registry.background:
                    await asyncio.to_thread(self.app.run_background)
            except Exception:
                log.exception("background transitions failed; retrying")


BODY_TIMEOUT_FALLBACK_SECONDS = 30.0
"""For a body that arrives although no Content-Length announced one."""


async def _read_body(receive: Any, limit: int, timeout: float | None) -> bytes:
    """Reads at most limit + 1 bytes: enough to know a body is too large, no more. With a
    timeout, a client that stalls mid-body is answered and cut off rather than holding a slot."""
    if timeout is None:
        message = await receive()
        if not message.get("more_body", False):
            return bytes(message.get("body", b""))  # the common case: no body, and no timer either
        timeout = BODY_TIMEOUT_FALLBACK_SECONDS
    chunks: list[bytes] = []
    size = 0
    async with asyncio.timeout(timeout):
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            if size <= limit:
                chunks.append(chunk)
            size += len(chunk)
            if not message.get("more_body", False):
                break
    return b"".join(chunks)


async def _send(send: Any, response: Response) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    headers.append((b"content-length", str(len(response.body)).encode()))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def uvicorn_config(asgi: Any) -> uvicorn.Config:
    return uvicorn.Config(
        asgi,
        loop="uvloop",
        http="httptools",
        lifespan="on",
        access_log=False,
        log_level="warning",
        timeout_keep_alive=30,
        server_header=False,
        date_header=False,
    )


class _Server(uvicorn.Server):
    """uvicorn re-raises SIGTERM/SIGINT after shutting down, so the process would die by the
    signal; a clean shutdown should exit 0 instead."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.handle_exit, sig, None)
        try:
            yield
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)


async def serve(app: LocalChime, announce: bool = True, sock: socket.socket | None = None) -> None:
    """Serves until SIGINT or SIGTERM, then shuts down cleanly. `sock` is a socket bound
    beforehand (the CLI binds before it opens the database); without one, the settings' host
    and port are bound here."""
    settings = app.settings
    if sock is None:
        sock = bind_socket(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    server = _Server(uvicorn_config(AsgiApp(app)))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not serving.done():
        await asyncio.sleep(0.005)
    if server.started and announce:
        shown = f"[{host}]" if ":" in host else host
        print(f"localchime ready on http://{shown}:{port}", flush=True)
    await serving
