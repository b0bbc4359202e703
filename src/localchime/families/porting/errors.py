"""The porting family's named errors, answered through the control API as {"error", "message"}."""

from __future__ import annotations

from localchime.protocol.errors import BadRequest, Conflict, NotFound


class PortingOrderNotFound(NotFound):
    def __init__(self, order_id: str) -> None:
        super().__init__(f"No phone number order {order_id}")


class NotAPortingOrder(Conflict):
    def __init__(self, order_id: str, order_type: str) -> None:
        super().__init__(
            f"Order {order_id} is a {order_type} order; porting events apply to Porting orders only"
        )


class UnknownEvent(BadRequest):
    def __init__(self, event: str, events: list[str]) -> None:
        super().__init__(f"Unknown event {event!r}; valid events: {', '.join(events)}")


class EventNotAllowed(Conflict):
    def __init__(self, event: str, order_id: str, status: str, allowed: list[str]) -> None:
        super().__init__(
            f"Event {event!r} cannot apply to order {order_id} in status {status}; "
            f"allowed events: {', '.join(allowed) if allowed else 'none (the order is final)'}"
        )


class NumberNotPortable(Conflict):
    def __init__(self, e164: str, account: str, region: str, reason: str, detail: str | None):
        if reason == "inventory":
            message = (
                f"{e164} is already in account {account}'s inventory in {region} with status "
                f"{detail}; it cannot be ported in"
            )
        elif reason == "held":
            message = f"{e164} is held by another account of this service; it cannot be ported in"
        else:
            message = f"{e164} is already being ported into account {detail}"
        super().__init__(message)


class PortedConcurrently(Conflict):
    MESSAGE = (
        "E164PhoneNumbers: one of these numbers entered this account's inventory at the same "
        "moment through another request"
    )

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)
