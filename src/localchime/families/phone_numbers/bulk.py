"""A bulk path into the inventory that goes around the API, for scale benchmarks and seeding.

Numbers go in as Unassigned and held by the account, exactly as if orders had acquired them.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from localchime.families.phone_numbers.repository import PhoneNumberRecord
from localchime.families.phone_numbers.tables import number_holdings, phone_numbers
from localchime.store.database import Store
from localchime.store.prepared import PreparedQuery, insert_row, row_of, run_many

_INVENTORY = insert_row(phone_numbers)
_HOLDINGS = PreparedQuery(number_holdings.insert())


def seed_numbers(
    store: Store,
    account: str,
    region: str,
    numbers: Iterable[tuple[str, str, str]],
    at_ms: int,
    batch: int = 20_000,
    product_type: str = "SipMediaApplicationDialIn",
) -> int:
    """Inserts (E.164, country, Local|TollFree) triples; returns how many went in."""
    total = 0
    iterator = iter(numbers)
    while chunk := list(islice(iterator, batch)):
        inventory = [
            row_of(
                PhoneNumberRecord(
                    account=account,
                    region=region,
                    e164=e164,
                    status="Unassigned",
                    product_type=product_type,
                    number_type=number_type,
                    country=country,
                    name=None,
                    order_id=None,
                    capable=True,
                    calling_name=None,
                    calling_name_status=None,
                    created_ms=at_ms,
                    updated_ms=at_ms,
                )
            )
            for e164, country, number_type in chunk
        ]
        holdings = [
            {
                "e164": e164,
                "account": account,
                "region": region,
                "order_id": None,
                "acquired_ms": at_ms,
            }
            for e164, _, _ in chunk
        ]
        with store.write() as connection:
            run_many(connection, _INVENTORY, inventory)
            run_many(connection, _HOLDINGS, holdings)
        total += len(chunk)
    return total
