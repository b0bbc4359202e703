"""The ASGI app around `LocalChime.handle`, and the uvicorn server that `localchime serve` runs.

On PostgreSQL every request but health runs in a worker thread (`request_threads`, as many as
the connection pool holds): a request waiting on a lock another session holds waits up to the
lock timeout, and the loop must go on serving the rest of the replica meanwhile (issue 12). On
SQLite the handler runs inline on the event loop: a unit of work there is tens of microseconds,
less than the hop to a thread costs, and its one connection serialises requests anyway. A
control route that may wait on user code or run many transitions (`LocalChime.blocks`) runs in
a worker thread on either. A background task runs due transitions in real time, and the
families' background work (driving calls), both off the loop: either may wait for a lock
another session holds, and health must answer meanwhile.

Connections are uvicorn's httptools protocol with one addition (`ConnectionProtocol`): a
connection that does not deliver a complete request head in time is closed, so idle or
trickling clients cannot hold the server's descriptors. uvicorn alone arms a timer only after a
response (keep-alive), never before the first request nor while a head trickles in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import signal
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from localchime.app import LocalChime
from localchime.config import Settings
from localchime.protocol.messages import Request, Response, declared_length

log = logging.getLogger("localchime.server")

Scope = dict[str, Any]


HEALTH_PATH = "/_localchime/health"


def request_threads(app: LocalChime) -> int:
    """How many worker threads run requests off the loop; 0 runs them on it."""
    chosen = app.settings.request_threads
    if chosen != "auto":
        return int(chosen)
    if app.store.dialect == "postgresql":
        # One per pooled connection: more threads would queue for a connection inside the
        # pool, where a wait has no lock timeout; the pool's overflow is left for the ticker
        # and for a request that reads on a second connection while it writes.
        return int(app.store.engine.pool.size())  # type: ignore[attr-defined]
    return 0


class AsgiApp:
    def __init__(self, app: LocalChime) -> None:
        self.app = app
        self._ticker: asyncio.Task[None] | None = None
        threads = request_threads(app)
        self._workers = (
            ThreadPoolExecutor(threads, thread_name_prefix="localchime-request")
            if threads
            else None
        )

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
                # The default executor, apart from the request threads: a slow user handler or
                # injected latency must not take a thread a database request needs.
                response = await asyncio.to_thread(self.app.handle, request)
            elif self._workers is not None and request.path.rstrip("/") != HEALTH_PATH:
                loop = asyncio.get_running_loop()
                response = await loop.run_in_executor(self._workers, self.app.handle, request)
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
                if self._workers is not None:
                    self._workers.shutdown(wait=False, cancel_futures=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.app.settings.lifecycle_poll_seconds)
            try:
                # Off the loop: running due transitions may wait on a database lock another
                # session holds (up to the lock timeout), and health must answer meanwhile.
                # Two hops, not one: between them a request waiting for SQLite's one
                # connection gets it, rather than queueing behind both.
                await asyncio.to_thread(self.app.tick)
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


def request_timeout(seconds: float) -> bytes:
    """The 408 for a connection whose request head stalled, closing it."""
    body = f"The request head did not arrive within {seconds:g} s".encode()
    return (
        b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
        b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(body), body)
    )


class ConnectionProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with a deadline for each request head.

    A head is pending from the moment the connection opens, and again from the first byte after
    a response (uvicorn's keep-alive timer covers the quiet time before it, and stops at any
    byte), until the head is complete: the body has its own timer (`AsgiApp`), the handler
    none. A connection whose head is still pending `head_timeout` seconds after it began is
    closed: silently if no byte of a request had arrived, after a 408 if part of a head had. A
    pipelined head that stalls while an earlier request is being answered lets that answer
    finish, then closes.

    One timer per connection, not one per request: a uvloop timer armed and cancelled costs
    ~2 µs, as much as the rest of this class's work per request. When it fires it re-arms for
    the head pending then, if any, or stays off until the next head begins.

    `connection_protocol(settings)` makes the subclass that carries the two timeouts.
    """

    head_timeout: float = 10.0
    keep_alive_timeout: float = 30.0
    _head_timer: asyncio.TimerHandle | None = None
    _head_since: float | None = None
    """Loop time the pending head began at; None while no head is pending."""
    _head_bytes = False
    """Whether any byte of the pending head has arrived."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timeout_keep_alive = self.keep_alive_timeout  # type: ignore[assignment]

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_since = self.loop.time()
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_deadline)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        # Bytes that start no request (blank lines after a response) stopped the keep-alive
        # timer without beginning a head: without this the connection would wait forever.
        if self._head_since is None and (self.cycle is None or self.cycle.response_complete):
            self._begin_head()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_bytes = True
        if self._head_since is None:
            self._begin_head()

    def on_headers_complete(self) -> None:
        self._head_since = None
        self._head_bytes = False
        super().on_headers_complete()

    def _begin_head(self) -> None:
        self._head_since = self.loop.time()
        if self._head_timer is None and not self.transport.is_closing():
            self._head_timer = self.loop.call_later(self.head_timeout, self._head_deadline)

    def _head_deadline(self) -> None:
        self._head_timer = None
        if self._head_since is None or self.transport.is_closing():
            return
        remaining = self._head_since + self.head_timeout - self.loop.time()
        if remaining > 0:  # a later head than the one the timer was armed for
            self._head_timer = self.loop.call_later(remaining, self._head_deadline)
            return
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.keep_alive = False  # answer the request in hand, then close
            return
        if self._head_bytes:
            self.transport.write(request_timeout(self.head_timeout))
        self.transport.close()


def connection_protocol(settings: Settings) -> type[ConnectionProtocol]:
    """`ConnectionProtocol` with the settings' head and keep-alive timeouts."""
    return type(
        "ConnectionProtocol",
        (ConnectionProtocol,),
        {
            "head_timeout": settings.header_timeout_seconds,
            "keep_alive_timeout": settings.keep_alive_timeout_seconds,
        },
    )


def uvicorn_config(asgi: Any, settings: Settings | None = None) -> uvicorn.Config:
    settings = settings or Settings()
    return uvicorn.Config(
        asgi,
        loop="uvloop",
        http=connection_protocol(settings),
        lifespan="on",
        access_log=False,
        log_level="warning",
        # Whole seconds to uvicorn; the protocol keeps the exact value.
        timeout_keep_alive=math.ceil(settings.keep_alive_timeout_seconds),
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
    server = _Server(uvicorn_config(AsgiApp(app), settings))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not serving.done():
        await asyncio.sleep(0.005)
    if server.started and announce:
        shown = f"[{host}]" if ":" in host else host
        print(f"localchime ready on http://{shown}:{port}", flush=True)
    await serving
