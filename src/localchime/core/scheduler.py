"""Runs due timers, in one transaction per batch together with the transitions they trigger.

Deleting the timer row is the claim: when several replicas race for one timer, exactly one
deletes it and runs the transition; the others see rowcount 0 and move on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from sqlalchemy.exc import OperationalError

from localchime.config import Settings
from localchime.core.family import Transition
from localchime.store import Store, timers

log = logging.getLogger("localchime.lifecycle")

_BATCH = 200
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
        reset."""

    def check_stored_kinds(self) -> None:
        """Fails at startup, not hours later, when a stored timer has no transition to run."""
        with self.store.read() as connection:
            unknown = timers.kinds(connection) - self.transitions.keys()
        if unknown:
            raise UnknownTimerKind(
                f"The database holds timers of kind {', '.join(sorted(unknown))}, which no "
                "loaded family handles; this localchime is older than the database's data"
            )

    def run_due(self, now_ms: int) -> int:
        """Runs every timer due at or before `now_ms`, earliest first; returns how many ran."""
        ran = 0
        while True:
            with self.store.read() as connection:
                pending = [
                    t for t in timers.due(connection, now_ms, _BATCH) if t not in self._broken
                ]
            if not pending:
                return ran
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

    def _run_batch(self, pending: list[Timer]) -> int:
        """All due timers in one transaction: one commit (one fsync on SQLite) for the batch."""
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
