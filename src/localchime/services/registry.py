"""The operation registry: `@operation("Name")` binds a handler to a model operation.

A handler is `(RequestContext, params) -> output dict | None`, the smithy-rs shape of
`Input -> Result<Output, Error>`, with errors raised as ServiceError. A name the model does not
know fails at import, so a typo cannot ship.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from localchime.core.context import RequestContext
from localchime.spec.model import operation_names

Params = dict[str, Any]
Output = dict[str, Any] | None
Handler = Callable[[RequestContext, Params], Output]

HANDLERS: dict[str, Handler] = {}


def operation(name: str) -> Callable[[Handler], Handler]:
    if name not in operation_names():
        raise LookupError(f"{name} is not an operation of the chime-sdk-voice model")

    def register(handler: Handler) -> Handler:
        if name in HANDLERS:
            raise LookupError(f"{name} is registered twice")
        HANDLERS[name] = handler
        return handler

    return register


def implemented_operations() -> list[str]:
    return sorted(HANDLERS)
