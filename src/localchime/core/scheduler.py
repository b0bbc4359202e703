"""Runs due timers, in one transaction per chunk together with the transitions they trigger.

Deleting the timer row is the claim: when several replicas race for one timer, exactly one
deletes it and runs the transition; the others see rowcount 0 and move on.

Work is bounded per transaction and per request (issue 12): a clock advance that completed
13,000 orders in one go held its replica for 7 s. A chunk is `CHUNK` timers in one
transaction; a request runs at most `REQUEST_CHUNKS` of them before it goes on, and none while
this process is draining a backlog (`drain`, the clock route), which will run them anyway.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping

from sqlalchemy.exc import OperationalError

from localchime.config import Settings
from localchime.core.family import Transition
from localchime.store import Store, timers

log = logging.getLogger("localchime.lifecycle")

CHUNK = 100
HANDOFF_SECONDS = 0.0005
"""A drain's pause between chunks, so requests waiting for the store get it."""
"""Timers per transaction: ~50 ms of fulfilments on PostgreSQL, ~10 ms on SQLite, the most a
request waits for another's chunk (a timer it would take is locked meanwhile)."""
REQUEST_CHUNKS = 1
Timer = tuple[int, int, str, str]
"""(id, due_ms, kind, ref)."""


class UnknownTimerKind(RuntimeError):
    """The database holds timers that no loaded family knows how to run."""


class Scheduler:
    def __init__(
        self, store: Store, settings: Settings, transitions: Mapping[str, Transition]
    ) -> None:
        self.store = store
        self.settings = settings
        self.transitions = transitions
        self._broken: set[Timer] = set()
        """Timers whose transition raised a bug (not a busy database); skipped by this process
        so one bug cannot stall service. Keyed by the whole timer, since ids are reused after a
        reset. Shared by request threads: a set's add and membership test are atomic under the
        GIL, and a timer seen as not broken a moment too early is only retried."""
        self._drains = 0
        self._drains_guard = threading.Lock()

    def check_stored_kinds(self) -> None:
        """Fails at startup, not hours later, when a stored timer has no transition to run."""
        with self.store.read() as connection:
            unknown = timers.kinds(connection) - self.transitions.keys()
        if unknown:
            raise UnknownTimerKind(
                f"The database holds timers of kind {', '.join(sorted(unknown))}, which no "
                "loaded family handles; this localchime is older than the database's data"
            )

    @property
    def draining(self) -> bool:
        """Whether a thread of this process is running a whole backlog (`drain`)."""
        return self._drains > 0

    def catch_up(self, now_ms: int) -> int:
        """A request's share: at most `REQUEST_CHUNKS` chunks, and none while a drain runs.

        A request that met 13,000 due timers would otherwise run them all before answering. A
        request made during a drain sees the transitions done so far, as it would had it come a
        moment earlier; the drain's own caller answers only when all have run."""
        if self.draining:
            return 0
        return self.run_due(now_ms, chunks=REQUEST_CHUNKS)

    def drain(self, now_ms: int) -> int:
        """Every timer due by `now_ms`, chunk by chunk; requests meanwhile skip their share
        (`catch_up`) rather than wait on the drain's locks. Run it off the event loop."""
        with self._drains_guard:
            self._drains += 1
        try:
            return self.run_due(now_ms)
        finally:
            with self._drains_guard:
                self._drains -= 1

    def run_due(self, now_ms: int, chunks: int | None = None) -> int:
        """Runs the timers due at or before `now_ms`, earliest first, one transaction per chunk,
        at most `chunks` chunks (None: until none is due); returns how many ran.

        Threads of one process may run this at once (the ticker, requests on worker threads):
        they read the same due timers, and the claim (`timers.take`) lets one run each; the
        other waits for that chunk's commit at most, on the timer's row lock (PostgreSQL) or
        the store's lock (SQLite)."""
        ran = 0
        done = 0
        while chunks is None or done < chunks:
            done += 1
            with self.store.read() as connection:
                pending = [
                    t for t in timers.due(connection, now_ms, CHUNK) if t not in self._broken
                ]
            if not pending:
                return ran
            if ran and chunks is None:
                # A drain hands the store over between chunks. Python's locks are not fair:
                # without a pause, the draining thread takes SQLite's store lock again before a
                # request waiting on it wakes, and that request waits out the whole backlog.
                time.sleep(HANDOFF_SECONDS)
            try:
                ran += self._run_batch(pending)
            except OperationalError:
                # Locked or deadlocked: nothing is wrong with the transitions; the next request
                # or tick tries again.
                log.warning("due transitions deferred: database busy", exc_info=True)
                return ran
            except Exception:
                # One transition is broken; run them one by one to find it, let the rest through.
                progressed = sum(self._run_one(timer) for timer in pending)
                if not progressed:
                    return ran
                ran += progressed
        return ran

    def _run_batch(self, pending: list[Timer]) -> int:
        """A chunk in one transaction: one commit (one fsync on SQLite) for the chunk."""
        ran = 0
        with self.store.write() as connection:
            for timer_id, due_ms, kind, ref in pending:
                if timers.take(connection, timer_id):
                    self.transitions[kind](connection, self.settings, ref, due_ms)
                    ran += 1
        return ran

    def _run_one(self, timer: Timer) -> int:
        timer_id, due_ms, kind, ref = timer
        try:
            with self.store.write() as connection:
                if not timers.take(connection, timer_id):
                    return 0
                self.transitions[kind](connection, self.settings, ref, due_ms)
        except OperationalError:
            log.warning("transition %s for %s deferred: database busy", kind, ref, exc_info=True)
            return 0
        except Exception:
            log.exception("transition %s for %s failed; it stays scheduled", kind, ref)
            self._broken.add(timer)
            return 0
        return 1
