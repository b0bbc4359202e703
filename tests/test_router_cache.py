"""The router's memory of paths without labels changes no answer: a second lookup, and a lookup
with a query string after it, route exactly as a fresh router does."""

from __future__ import annotations

import pytest

from localchime.protocol.errors import ServiceError
from localchime.protocol.router import Router
from localchime.spec.model import service_model

MODEL = service_model()
OPERATIONS = [MODEL.operation_model(name) for name in MODEL.operation_names]
FIXED_PATHS = sorted(
    {
        op.http["requestUri"].partition("?")[0]
        for op in OPERATIONS
        if "{" not in op.http["requestUri"]
    }
)
METHODS = ("GET", "POST", "PUT", "DELETE")
QUERIES = ("", "operation=batch-delete", "type=phone-numbers", "operation=tag-resource", "x=1")


def _outcome(router: Router, method: str, path: str, query: str) -> tuple[str, str]:
    try:
        match = router.match(method, path, query)
    except ServiceError as error:
        return error.code, error.message
    assert match.uri_params == {}
    return "ok", match.operation.name


@pytest.mark.parametrize("path", FIXED_PATHS)
def test_repeated_and_mixed_lookups_route_as_a_fresh_router(path: str) -> None:
    warmed = Router(OPERATIONS)
    for _ in range(2):
        for method in METHODS:
            for query in QUERIES:
                expected = _outcome(Router(OPERATIONS), method, path, query)
                assert _outcome(warmed, method, path, query) == expected, (method, path, query)


def test_a_create_routes_and_its_listing_stays_apart() -> None:
    router = Router(OPERATIONS)
    for _ in range(2):
        assert router.match("POST", "/phone-number-orders", "").operation.name == (
            "CreatePhoneNumberOrder"
        )
        assert router.match("GET", "/phone-number-orders", "").operation.name == (
            "ListPhoneNumberOrders"
        )
        assert router.match("GET", "/phone-number-orders", "max-results=5").query == {
            "max-results": ["5"]
        }
