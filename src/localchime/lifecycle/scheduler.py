"""Runs due timers, in one transaction per batch together with the transitions they trigger.

Deleting the timer row is the claim: when several replicas race for one timer, exactly one
deletes it and runs the transition; the others see rowcount 0 and move on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from localchime.config import Settings
from localchime.store import Store, timers

log = logging.getLogger("localchime.lifecycle")

Transition = Callable[[Connection, Settings, str, int], None]
"""(connection, settings, ref, due_ms): applies the transition as of its due time."""

TRANSITIONS: dict[str, Transition] = {}
_BATCH = 200
_broken: set[tuple[int, int, str, str]] = set()
"""Timers whose transition raised a bug (not a busy database); skipped by this process so one
bug cannot stall service. Keyed by the whole timer, since ids are reused after a reset."""


def transition(kind: str) -> Callable[[Transition], Transition]:
    def register(handler: Transition) -> Transition:
        TRANSITIONS[kind] = handler
        return handler

    return register


def run_due(store: Store, settings: Settings, now_ms: int) -> int:
    """Runs every timer due at or before `now_ms`, earliest first; returns how many ran."""
    ran = 0
    while True:
        with store.read() as connection:
            pending = [t for t in timers.due(connection, now_ms, _BATCH) if t not in _broken]
        if not pending:
            return ran
        try:
            ran += _run_batch(store, settings, pending)
        except OperationalError:
            # Locked or deadlocked: nothing is wrong with the transitions; the next request or
            # tick tries again.
            log.warning("due transitions deferred: database busy", exc_info=True)
            return ran
        except Exception:
            # One transition is broken; run them one by one to find it and let the rest through.
            progressed = 0
            for timer_id, due_ms, kind, ref in pending:
                progressed += _run_one(store, settings, timer_id, due_ms, kind, ref)
            if not progressed:
                return ran
            ran += progressed


def _run_batch(store: Store, settings: Settings, pending: list[tuple[int, int, str, str]]) -> int:
    """All due timers in one transaction: one commit (one fsync on SQLite) for the batch."""
    ran = 0
    with store.write() as connection:
        for timer_id, due_ms, kind, ref in pending:
            if timers.take(connection, timer_id):
                TRANSITIONS[kind](connection, settings, ref, due_ms)
                ran += 1
    return ran


def _run_one(
    store: Store, settings: Settings, timer_id: int, due_ms: int, kind: str, ref: str
) -> int:
    try:
        with store.write() as connection:
            if not timers.take(connection, timer_id):
                return 0
            TRANSITIONS[kind](connection, settings, ref, due_ms)
    except OperationalError:
        log.warning("transition %s for %s deferred: database busy", kind, ref, exc_info=True)
        return 0
    except Exception:
        log.exception("transition %s for %s failed; it stays scheduled", kind, ref)
        _broken.add((timer_id, due_ms, kind, ref))
        return 0
    return 1
