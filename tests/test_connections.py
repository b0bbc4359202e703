"""Connection hygiene (issue 12): a connection that sends no complete request head in time, or
sits idle after a response past the keep-alive timeout, is closed by the server, so idle clients
cannot use up its descriptors; normal calls go on meanwhile."""

from __future__ import annotations

import resource
import selectors
import socket
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.harness import ServerChime

HEAD_TIMEOUT = 1.0
KEEP_ALIVE_TIMEOUT = 2.0
IDLE = 300
HALF_HEADS = 30
HALF_HEAD = b"GET /_localchime/health HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow"
HEALTH = b"GET /_localchime/health HTTP/1.1\r\nHost: localhost\r\n\r\n"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerChime]:
    chime = ServerChime(
        "--ephemeral",
        env={
            "LOCALCHIME_HEADER_TIMEOUT_SECONDS": str(HEAD_TIMEOUT),
            "LOCALCHIME_KEEP_ALIVE_TIMEOUT_SECONDS": str(KEEP_ALIVE_TIMEOUT),
        },
    ).start()
    yield chime
    chime.stop()


def address(chime: ServerChime) -> tuple[str, int]:
    url = urlsplit(chime.endpoint)
    assert url.hostname is not None and url.port is not None
    return url.hostname, url.port


@dataclass
class Watched:
    sock: socket.socket
    opened: float
    received: bytes = b""
    closed: float | None = None


@dataclass
class Watch:
    """Sockets whose closing by the server is timed: recv returns b"" or the peer resets."""

    selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)
    sockets: list[Watched] = field(default_factory=list)

    def add(self, sock: socket.socket, opened: float) -> Watched:
        sock.setblocking(False)
        watched = Watched(sock, opened)
        self.sockets.append(watched)
        self.selector.register(sock, selectors.EVENT_READ, watched)
        return watched

    @property
    def open(self) -> int:
        return sum(1 for s in self.sockets if s.closed is None)

    def poll(self, timeout: float) -> None:
        for key, _ in self.selector.select(timeout):
            watched: Watched = key.data
            try:
                data = watched.sock.recv(65536)
            except ConnectionResetError:
                data = b""
            except BlockingIOError:
                continue
            if data:
                watched.received += data
                continue
            watched.closed = time.monotonic()
            self.selector.unregister(watched.sock)
            watched.sock.close()

    def close(self) -> None:
        for watched in self.sockets:
            if watched.closed is None:
                self.selector.unregister(watched.sock)
                watched.sock.close()
        self.selector.close()


def connect(host: str, port: int) -> socket.socket:
    return socket.create_connection((host, port), timeout=5)


def lifetimes(sockets: list[Watched]) -> list[float]:
    return [s.closed - s.opened for s in sockets if s.closed is not None]


def test_idle_and_half_sent_connections_are_closed_while_calls_go_on(server: ServerChime) -> None:
    host, port = address(server)
    client = server.client()
    client.list_phone_numbers()  # warm: the client's own connection is open and reused
    watch = Watch()
    try:
        idle = [watch.add(connect(host, port), time.monotonic()) for _ in range(IDLE)]
        half = []
        for _ in range(HALF_HEADS):
            sock = connect(host, port)
            sock.sendall(HALF_HEAD)
            half.append(watch.add(sock, time.monotonic()))
        call_ms = []
        deadline = time.monotonic() + HEAD_TIMEOUT + 4
        while watch.open and time.monotonic() < deadline:
            began = time.perf_counter()
            assert client.list_phone_numbers()["PhoneNumbers"] == []
            call_ms.append((time.perf_counter() - began) * 1000)
            watch.poll(0.05)
        still_open = watch.open
    finally:
        watch.close()
    assert still_open == 0, f"{still_open} of {IDLE + HALF_HEADS} connections still open"
    everything = lifetimes(idle) + lifetimes(half)
    # Closed by the head timer: not before it, and soon after.
    assert min(everything) >= HEAD_TIMEOUT * 0.9, min(everything)
    assert max(everything) <= HEAD_TIMEOUT + 2.5, max(everything)
    assert all(s.received == b"" for s in idle)
    for s in half:
        assert s.received.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), s.received
        assert s.received.endswith(b"The request head did not arrive within 1 s")
    assert len(call_ms) >= 5
    assert statistics.median(call_ms) < 100, call_ms
    print(
        f"\n{IDLE} idle + {HALF_HEADS} half-head connections closed after "
        f"{min(everything):.2f}-{max(everything):.2f} s; {len(call_ms)} calls meanwhile, "
        f"median {statistics.median(call_ms):.1f} ms, max {max(call_ms):.1f} ms"
    )


def exchange(sock: socket.socket, request: bytes) -> bytes:
    """Sends one request on a blocking socket and reads its whole answer."""
    sock.sendall(request)
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(65536)
        assert chunk, "closed before the answer"
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head


def seconds_until_closed(sock: socket.socket, limit: float) -> tuple[float, bytes]:
    sock.settimeout(limit)
    began = time.monotonic()
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    except TimeoutError:
        pytest.fail(f"still open after {limit} s")
    return time.monotonic() - began, received


def test_a_keep_alive_connection_is_reused_then_closed_when_idle(server: ServerChime) -> None:
    with connect(*address(server)) as sock:
        assert exchange(sock, HEALTH).startswith(b"HTTP/1.1 200 ")
        time.sleep(KEEP_ALIVE_TIMEOUT / 2)
        # Still open half-way, and the second answer starts the idle time again.
        assert exchange(sock, HEALTH).startswith(b"HTTP/1.1 200 ")
        waited, received = seconds_until_closed(sock, KEEP_ALIVE_TIMEOUT + 3)
    assert received == b""
    assert KEEP_ALIVE_TIMEOUT * 0.9 <= waited <= KEEP_ALIVE_TIMEOUT + 1.5, waited


def test_a_head_stalled_after_a_response_gets_408_at_the_head_timeout(server: ServerChime) -> None:
    """Keep-alive's idle time ends at the next request's first byte; the head's deadline counts
    from that byte, not from when the connection opened."""
    with connect(*address(server)) as sock:
        assert exchange(sock, HEALTH).startswith(b"HTTP/1.1 200 ")
        time.sleep(HEAD_TIMEOUT / 2)
        sock.sendall(HALF_HEAD)
        waited, received = seconds_until_closed(sock, HEAD_TIMEOUT + 3)
    assert received.startswith(b"HTTP/1.1 408 "), received
    assert HEAD_TIMEOUT * 0.9 <= waited <= HEAD_TIMEOUT + 1.5, waited


def test_blank_lines_after_a_response_do_not_keep_a_connection_forever(
    server: ServerChime,
) -> None:
    with connect(*address(server)) as sock:
        assert exchange(sock, HEALTH).startswith(b"HTTP/1.1 200 ")
        sock.sendall(b"\r\n")
        waited, received = seconds_until_closed(sock, KEEP_ALIVE_TIMEOUT + 3)
    assert received == b""
    assert waited <= HEAD_TIMEOUT + 1.5, waited


def test_a_body_still_has_its_own_timeout_once_the_head_is_in(server: ServerChime) -> None:
    """The head timer stops at the end of the head: a slow body is the body timer's."""
    with connect(*address(server)) as sock:
        sock.sendall(
            b"POST /_localchime/reset HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\n"
        )
        time.sleep(HEAD_TIMEOUT + 0.5)
        sock.sendall(b"{}" + b" " * 8)
        assert exchange(sock, b"").startswith(b"HTTP/1.1 200 ")


def test_descriptors_held_by_idle_connections_come_back(tmp_path: Any) -> None:
    """The audit's failure: with few descriptors, idle connections starved the server and a
    normal call failed. Now they are closed at the head timeout and calls succeed again."""
    chime = ServerChime(
        "--ephemeral", env={"LOCALCHIME_HEADER_TIMEOUT_SECONDS": str(HEAD_TIMEOUT)}
    ).start()
    assert chime.process is not None
    resource.prlimit(chime.process.pid, resource.RLIMIT_NOFILE, (128, 128))
    watch = Watch()
    try:
        host, port = address(chime)
        began = time.monotonic()
        for _ in range(IDLE):
            watch.add(connect(host, port), time.monotonic())
        while watch.open and time.monotonic() < began + HEAD_TIMEOUT + 4:
            watch.poll(0.05)
        assert watch.open == 0
        assert chime.client().list_phone_numbers()["PhoneNumbers"] == []
    finally:
        watch.close()
        chime.stop()
