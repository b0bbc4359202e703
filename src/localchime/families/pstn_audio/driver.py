"""Drives calls: the machine runs inside short transactions, the handler outside any.

One step takes the next event out of the call (a transaction), invokes the handler (no
transaction, no lock but this call's own), and applies the answer (a transaction). While the
handler runs, the call carries `InFlight`: the event and a lease in real time. In this process a
per-call lock keeps two drivers apart; another replica that finds a live lease waits for it, and
one that finds an expired lease (its holder died) sends the same event again, so a call in
progress survives a restart.

`settle` runs a call until it waits for the caller, the callee or the clock. The control API's
call routes settle before they answer; the server's background task settles calls whose handler
has an event waiting or whose next step fell due (CreateSipMediaApplicationCall only records
the call, as AWS answers before the handler runs).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

from localchime.config import Settings
from localchime.core.control import ControlError, control_not_found
from localchime.families.pstn_audio import functions, machine
from localchime.families.pstn_audio import repository as repo
from localchime.families.pstn_audio.machine import CallState
from localchime.store import Store

log = logging.getLogger("localchime.pstn")

Clock = Callable[[], int]
Event = dict[str, Any]
Taken = tuple[Event, str]
"""The event to send, and the Lambda ARN to send it to."""
LEASE_GRACE_SECONDS = 5.0
FOREIGN_LEASE_POLL_SECONDS = 0.02
WAITING_BATCH = 100


class _CallLock:
    __slots__ = ("__weakref__", "lock")

    def __init__(self) -> None:
        self.lock = threading.Lock()


class Driver:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.invoker = functions.Invoker(store, settings)
        self.lease_seconds = (
            functions.ATTEMPTS * settings.lambda_timeout_seconds + LEASE_GRACE_SECONDS
        )
        # Weak values: a call's lock lives while someone holds or waits for it, so a
        # long-running server does not keep one per call it ever drove.
        self._locks: weakref.WeakValueDictionary[str, _CallLock] = weakref.WeakValueDictionary()
        self._guard = threading.Lock()

    @contextmanager
    def _exclusive(self, transaction_id: str) -> Iterator[None]:
        with self._guard:
            held = self._locks.get(transaction_id)
            if held is None:
                held = self._locks[transaction_id] = _CallLock()
        with held.lock:
            yield

    def settle(self, transaction_id: str, now: Clock) -> CallState:
        """Runs the call until it waits; its state then."""
        with self._exclusive(transaction_id):
            return self._settle(transaction_id, now)

    def act(
        self, transaction_id: str, change: Callable[[CallState, int], None], now: Clock
    ) -> CallState:
        """Settles, applies an outside event (`change` may raise CallEventRefused), settles."""
        moment = now()

        def at_moment() -> int:
            # One moment for all three steps: a step that fell due between settling and the
            # event must not be skipped over.
            return moment

        with self._exclusive(transaction_id):
            self._settle(transaction_id, at_moment)
            with self.store.write() as connection:
                version, state = self._load(connection, transaction_id)
                if state.get("InFlight") is not None:
                    raise ControlError(
                        409, "Conflict", "Another replica is invoking this call's handler; retry"
                    )
                try:
                    change(state, moment)
                except machine.CallEventRefused as refused:
                    raise ControlError(409, "Conflict", str(refused)) from None
                repo.save_call(connection, state, version + 1)
            return self._settle(transaction_id, at_moment)

    def settle_waiting(self, now: Clock) -> int:
        """Settles every call with work due; for the server's background task. Returns how many
        calls it drove."""
        driven = 0
        for transaction_id in repo.waiting_calls(self.store, now(), WAITING_BATCH):
            try:
                self.settle(transaction_id, now)
            except ControlError:
                continue
            driven += 1
        return driven

    def _settle(self, transaction_id: str, now: Clock) -> CallState:
        # Up to the moment settling began: reading the clock at every step would cost as much
        # as the step, and a call settled again later catches up from there.
        now_ms = now()
        taken: CallState | Taken | None = self._take_event(transaction_id, now_ms)
        while not isinstance(taken, dict):
            if taken is None:
                taken = self._take_event(transaction_id, now_ms)
                continue
            event, function_arn = taken
            outcome = self.invoker.invoke(function_arn, event)
            taken = self._apply_and_take(transaction_id, event, outcome, now_ms)
        return taken

    def _take_event(self, transaction_id: str, now_ms: int) -> CallState | Taken:
        """The next event to send and the function to send it to, or the settled state."""
        while True:
            with self.store.write() as connection:
                version, state = self._load(connection, transaction_id)
                in_flight = state.get("InFlight")
                if in_flight is None or in_flight["LeaseUntil"] <= time.time():
                    return self._take(connection, version, state, now_ms)
            # Another replica is invoking the handler: wait for it outside the transaction.
            time.sleep(FOREIGN_LEASE_POLL_SECONDS)

    def _apply_and_take(
        self, transaction_id: str, event: Event, outcome: functions.Outcome, now_ms: int
    ) -> CallState | Taken | None:
        """Applies the handler's answer and takes the next event, in one transaction; None
        when another replica took the call over after our lease ran out (it answers for this
        event)."""
        with self.store.write() as connection:
            version, state = self._load(connection, transaction_id)
            in_flight = state.get("InFlight")
            if in_flight is None or in_flight["Event"]["Sequence"] != event["Sequence"]:
                return None
            del state["InFlight"]
            self._apply(connection, state, in_flight, outcome)
            return self._take(connection, version, state, now_ms)

    def _take(
        self, connection: Connection, version: int, state: CallState, now_ms: int
    ) -> CallState | Taken:
        in_flight = state.get("InFlight")
        # An in-flight event here has an expired lease: its driver died, so send it again.
        event = in_flight["Event"] if in_flight is not None else self._next_event(state, now_ms)
        if event is not None:
            state["InFlight"] = {
                "Event": event,
                "AtMs": in_flight["AtMs"] if in_flight is not None else state["At"],
                "LeaseUntil": time.time() + self.lease_seconds,
            }
        repo.save_call(connection, state, version + 1)
        if event is None:
            return state
        return event, state["FunctionArn"]

    @staticmethod
    def _next_event(state: CallState, now_ms: int) -> Event | None:
        if state["Sequence"] >= machine.MAX_INVOCATIONS and machine.needs_handler(state):
            state["Outbox"] = []
            machine.end(state, "The handler was invoked 1,000 times, the most one call allows")
            return None
        return machine.next_event(state, now_ms)

    @staticmethod
    def _apply(
        connection: Connection,
        state: CallState,
        in_flight: dict[str, Any],
        outcome: functions.Outcome,
    ) -> None:
        event = in_flight["Event"]
        event_type = event["InvocationEventType"]
        refusal = None
        if outcome.answered:
            refusal = machine.apply_answer(state, event_type, outcome.answer)
        else:
            plural = "s" if len(outcome.failures) > 1 else ""
            machine.fail_handler(
                state,
                f"The handler failed on {event_type} (attempt{plural}: "
                f"{'; '.join(outcome.failures)})",
            )
        repo.record_invocation(
            connection,
            state["TransactionId"],
            repo.Invocation(
                sequence=event["Sequence"],
                at_ms=in_flight["AtMs"],
                event_type=event_type,
                event=event,
                answered=outcome.answered,
                answer=outcome.answer,
                failures=outcome.failures,
                refusal=refusal,
            ),
        )

    @staticmethod
    def _load(connection: Connection, transaction_id: str) -> tuple[int, CallState]:
        found = repo.call_for_update(connection, transaction_id)
        if found is None:
            raise control_not_found(f"No call with TransactionId {transaction_id}")
        return found


_DRIVERS: weakref.WeakKeyDictionary[Store, Driver] = weakref.WeakKeyDictionary()
_DRIVERS_GUARD = threading.Lock()


def driver_for(store: Store, settings: Settings) -> Driver:
    """The one driver of a store in this process: its per-call locks and imported handlers."""
    with _DRIVERS_GUARD:
        driver = _DRIVERS.get(store)
        if driver is None:
            driver = _DRIVERS[store] = Driver(store, settings)
        return driver


def settle_in_background(store: Store, settings: Settings, now: Clock) -> None:
    """The server's background hook: drives calls that have work, logging what fails."""
    try:
        driver_for(store, settings).settle_waiting(now)
    except Exception:
        log.exception("driving PSTN audio calls failed; retrying on the next tick")
