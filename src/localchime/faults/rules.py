"""Fault rules: what a rule is, how a control request becomes one, and how a call finds the rule
that hits it.

A rule is `{"Operation": name or "*", "Account"?, "Error"?: modelled exception name,
"Probability"?: 0 to 1 (default 1), "Count"?: N, "LatencyMs"?: N}` with at least one of Error and
LatencyMs. A call matches the first rule, in creation order, for its operation (or "*") and its
account (or any); the rule hits with its probability, at most Count times. A hit waits LatencyMs,
then answers the Error as the model shapes it, or goes on normally without one.

Every replica reads the rules from the store at most once a second, and at once after a change
it made itself; a hit is claimed in the store, so a rule removed elsewhere never hits.
"""

from __future__ import annotations

import random
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from localchime.core.control import bad_control_request
from localchime.core.ids import new_guid
from localchime.faults.tables import fault_rules
from localchime.protocol.errors import ServiceError
from localchime.spec.model import operation_model, operation_names, service_model
from localchime.store import Store
from localchime.store.prepared import PreparedQuery, insert_row, run

ANY_OPERATION = "*"
MAX_LATENCY_MS = 60_000
REFRESH_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class FaultRule:
    rule_id: str
    operation: str
    account: str | None
    error: str | None
    probability: float
    remaining: int | None
    latency_ms: int | None
    hits: int
    created_ms: int

    def applies_to(self, operation: str, account: str) -> bool:
        return (
            self.operation in (ANY_OPERATION, operation)
            and self.account in (None, account)
            and (self.remaining is None or self.remaining > 0)
        )

    def view(self) -> dict[str, Any]:
        document: dict[str, Any] = {"Id": self.rule_id, "Operation": self.operation}
        optional = {
            "Account": self.account,
            "Error": self.error,
            "LatencyMs": self.latency_ms,
            "Remaining": self.remaining,
        }
        document.update({k: v for k, v in optional.items() if v is not None})
        document["Probability"] = self.probability
        document["Hits"] = self.hits
        return document


def rule_from(fields: dict[str, Any], now_ms: int) -> FaultRule:
    """A rule from a control request's fields; a 400 naming the key and its rule otherwise."""
    operation = fields.get("Operation")
    if operation != ANY_OPERATION and operation not in operation_names():
        raise bad_control_request(
            f'Operation must be "*" or a chime-sdk-voice operation such as GetPhoneNumber; '
            f"got {operation!r}"
        )
    error = fields.get("Error")
    latency = fields.get("LatencyMs")
    if error is None and latency is None:
        raise bad_control_request("A fault rule needs an Error, a LatencyMs, or both")
    if error is not None:
        _check_error(operation, error)
    return FaultRule(
        rule_id=new_guid(),
        operation=operation,
        account=_account(fields.get("Account")),
        error=error,
        probability=_probability(fields.get("Probability", 1)),
        remaining=_whole("Count", fields.get("Count"), 1, None),
        latency_ms=_whole("LatencyMs", latency, 0, MAX_LATENCY_MS),
        hits=0,
        created_ms=now_ms,
    )


def _check_error(operation: str, error: Any) -> None:
    modelled = sorted(shape.name for shape in service_model().error_shapes)
    if operation != ANY_OPERATION:
        modelled = sorted(shape.name for shape in operation_model(operation).error_shapes)
    if error not in modelled:
        where = "the service" if operation == ANY_OPERATION else operation
        raise bad_control_request(
            f"Error must be an exception {where} models: {', '.join(modelled)}; got {error!r}"
        )


def _account(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not (len(value) == 12 and value.isdigit()):
        raise bad_control_request(f"Account must be a 12-digit account id; got {value!r}")
    return value


def _probability(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise bad_control_request(f"Probability must be a number from 0 to 1; got {value!r}")
    return float(value)


def _whole(name: str, value: Any, low: int, high: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise bad_control_request(f"{name} must be a whole number, {low} or more; got {value!r}")
    if high is not None and value > high:
        raise bad_control_request(f"{name} must be at most {high}; got {value}")
    return value


_ALL = PreparedQuery(
    select(*fault_rules.c).order_by(fault_rules.c.created_ms, fault_rules.c.rule_id)
)
_INSERT = insert_row(fault_rules)


class Faults:
    """The rules as this process last read them, and the claim of a hit. One per store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._rules: tuple[FaultRule, ...] = ()
        self._read_at = float("-inf")
        self._lock = threading.Lock()
        self.latency_possible = False
        """Whether a rule may delay a call: the server then runs calls off the event loop, so
        the delay holds up only its own call. Read without a refresh: the hot path's check."""

    def rules(self) -> tuple[FaultRule, ...]:
        # Re-read at most once a second, whatever the database: every write moves SQLite's
        # generation, so keying on it re-read the rules on nearly every call (profiled at a
        # tenth of a create). A rule another process removed meanwhile cannot hit: each hit is
        # claimed in the store.
        if time.monotonic() - self._read_at > REFRESH_SECONDS:
            self.reload()
        return self._rules

    def reload(self) -> None:
        rules = tuple(FaultRule(*row) for row in self.store.fetch(_ALL))
        with self._lock:
            self._rules = rules
            self._read_at = time.monotonic()
            self.latency_possible = any(r.latency_ms for r in rules)

    def hit(self, operation: str, account: str) -> FaultRule | None:
        """The rule that hits this call, if any: the first that applies decides, by its
        probability; a Count is claimed in the store, so replicas share it."""
        for rule in self.rules():
            if not rule.applies_to(operation, account):
                continue
            if random.random() >= rule.probability:
                return None
            if self._claim(rule):
                return rule
        return None

    def _claim(self, rule: FaultRule) -> bool:
        table = fault_rules
        remaining = table.c.remaining
        with self.store.write() as connection:
            result = connection.execute(
                table.update()
                .where(table.c.rule_id == rule.rule_id)
                .where((remaining.is_(None)) | (remaining > 0))
                .values(hits=table.c.hits + 1, remaining=remaining - 1)
            )
        return bool(result.rowcount)

    def add(self, rule: FaultRule) -> None:
        with self.store.write() as connection:
            run(connection, _INSERT, **{c.name: getattr(rule, c.name) for c in fault_rules.c})
        self.reload()

    def remove(self, rule_id: str | None = None) -> int:
        with self.store.write() as connection:
            statement = fault_rules.delete()
            if rule_id is not None:
                statement = statement.where(fault_rules.c.rule_id == rule_id)
            removed = connection.execute(statement).rowcount
        self.reload()
        return int(removed)


_FAULTS: weakref.WeakKeyDictionary[Store, Faults] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def faults_for(store: Store) -> Faults:
    with _GUARD:
        found = _FAULTS.get(store)
        if found is None:
            found = _FAULTS[store] = Faults(store)
        return found


def injected_error(rule: FaultRule) -> ServiceError:
    return ServiceError(
        str(rule.error),
        f"Injected by localchime fault rule {rule.rule_id} (GET /_localchime/faults)",
    )
