"""The one-query availability check (`claims_on`, a UNION ALL) answers what the three queries it
replaced answer (`status_of`, `is_held`, `being_ported_by`), whatever the inventory and the
holdings hold, on SQLite and PostgreSQL; and `obstacle` keeps its rules on top of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from localchime import registry
from localchime.families.phone_numbers import repository as numbers
from localchime.families.phone_numbers.availability import obstacle
from localchime.families.phone_numbers.repository import PhoneNumberRecord
from localchime.families.phone_numbers.tables import number_holdings
from localchime.store import Store
from localchime.store.prepared import insert_row, run

ACCOUNTS = ("111111111111", "222222222222")
REGIONS = ("us-east-1", "us-west-2")
E164S = ("+12065550100", "+12065550101")
STATUSES = (
    "AcquireInProgress",
    "AcquireFailed",
    "Unassigned",
    "Assigned",
    "ReleaseInProgress",
    "DeleteInProgress",
    "PortinInProgress",
    "PortinCancelRequested",
    "Cancelled",
)
_HOLD = insert_row(number_holdings)

Inventory = dict[tuple[str, str, str], str]
Holdings = dict[str, str]
STATES = st.tuples(
    st.dictionaries(
        st.tuples(st.sampled_from(ACCOUNTS), st.sampled_from(REGIONS), st.sampled_from(E164S)),
        st.sampled_from(STATUSES),
    ),
    st.dictionaries(st.sampled_from(E164S), st.sampled_from(ACCOUNTS)),
)


def _record(account: str, region: str, e164: str, status: str) -> PhoneNumberRecord:
    return PhoneNumberRecord(
        account=account,
        region=region,
        e164=e164,
        status=status,
        product_type="VoiceConnector",
        number_type="Local",
        country="US",
        name=None,
        order_id=None,
        capable=True,
        calling_name=None,
        calling_name_status=None,
        created_ms=1,
        updated_ms=1,
    )


def _fill(store: Store, inventory: Inventory, holdings: Holdings) -> None:
    store.reset()
    with store.write() as connection:
        numbers.insert_many(
            connection, [_record(*key, status) for key, status in inventory.items()]
        )
        for e164, account in holdings.items():
            run(
                connection,
                _HOLD,
                e164=e164,
                account=account,
                region=REGIONS[0],
                order_id=None,
                acquired_ms=1,
            )


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    registry.load()
    url = "sqlite://" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    store = Store(url)
    store.migrate()
    yield store
    store.reset()
    store.close()


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(STATES)
def test_claims_are_the_three_queries(store: Store, state: tuple[Inventory, Holdings]) -> None:
    inventory, holdings = state
    _fill(store, inventory, holdings)
    with store.read() as connection:
        for account in ACCOUNTS:
            for region in REGIONS:
                for e164 in E164S:
                    claims = numbers.claims_on(connection, account, region, e164)
                    assert claims.own_status == numbers.status_of(connection, account, region, e164)
                    assert claims.own_status == inventory.get((account, region, e164))
                    assert claims.held == numbers.is_held(connection, e164)
                    assert claims.held == (e164 in holdings)
                    ported = numbers.being_ported_by(connection, e164)
                    assert claims.ported_into == ported
                    porting = {
                        a
                        for (a, _r, n), s in inventory.items()
                        if n == e164 and s in numbers.PORTING_STATUSES
                    }
                    assert (claims.ported_into in porting) if porting else ported is None


def test_obstacle_rules(store: Store) -> None:
    """Own entry first (a stale one is cleared and does not block), then another holder, then a
    port in progress."""
    a, b = ACCOUNTS
    region = REGIONS[0]
    n = E164S[0]
    cases: list[tuple[Inventory, Holdings, tuple[str, str | None] | None]] = [
        ({}, {}, None),
        ({(a, region, n): "Unassigned"}, {n: a}, ("inventory", "Unassigned")),
        ({(a, region, n): "AcquireFailed"}, {}, None),
        ({(a, region, n): "Cancelled"}, {n: b}, ("held", None)),
        ({(b, region, n): "PortinInProgress"}, {}, ("porting", b)),
        ({(a, REGIONS[1], n): "PortinCancelRequested"}, {}, ("porting", a)),
        ({(b, region, n): "Assigned"}, {n: b}, ("held", None)),
    ]
    for inventory, holdings, expected in cases:
        _fill(store, inventory, holdings)
        with store.write() as connection:
            assert obstacle(connection, a, region, n) == expected, (inventory, holdings)
            stale = inventory.get((a, region, n)) in ("AcquireFailed", "Cancelled")
            remaining = numbers.status_of(connection, a, region, n)
            assert remaining == (None if stale else inventory.get((a, region, n)))
