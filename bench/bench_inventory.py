"""Inventory at scale (issue 3): ListPhoneNumbers and SearchAvailablePhoneNumbers with one
account holding 1,000,000 numbers, against the same calls on a small or empty store.

Run:  python bench/bench_inventory.py [--numbers 1000000] [--calls 300]

Numbers are seeded through the bulk path (localchime.families.phone_numbers.bulk), spread over the US
numbering plan the way a big real inventory would be. Calls go through LocalChime.handle, the
same function the server and the in-process mock call, so HTTP noise stays out of the ratios.
List pages start at random keys (as a client paging through would), so the read cache cannot
answer them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from localchime.app import LocalChime
from localchime.config import Settings
from localchime.core.pagination import encode_token
from localchime.domain.numbering_plan import local_nanp
from localchime.families.phone_numbers.bulk import seed_numbers
from localchime.protocol.messages import Request

ACCOUNT = "123456789012"
REGION = "us-east-1"
AUTH = {
    "authorization": f"AWS4-HMAC-SHA256 Credential={ACCOUNT}/20261127/{REGION}/chime/aws4_request, "
    "SignedHeaders=host, Signature=0"
}


def spread_numbers(count: int) -> Iterator[tuple[str, str, str]]:
    """`count` US numbers, an equal share from every geocoded exchange, in sorted order."""
    prefixes = local_nanp("US", None, None, None)
    per_prefix = -(-count // len(prefixes))
    made = 0
    for prefix in prefixes:
        for i in range(per_prefix):
            if made == count:
                return
            yield f"+{prefix}{(i * 3989 + 17) % 10000:04d}", "US", "Local"
            made += 1


def timed(call: Callable[[], object], calls: int) -> float:
    samples = []
    for _ in range(calls):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def list_page(app: LocalChime, keys: list[str], status: str | None) -> Callable[[], object]:
    def call() -> object:
        filters = {"Status": status, "ProductType": None, "FilterName": None, "FilterValue": None}
        filters |= {"account": ACCOUNT, "region": REGION}
        token = encode_token(app.token_secret, "ListPhoneNumbers", filters, [random.choice(keys)])
        query = f"max-results=100&next-token={token}" + (f"&status={status}" if status else "")
        response = app.handle(Request("GET", "/phone-numbers", query, AUTH, b""))
        assert response.status == 200, response.body
        return response

    return call


def search(app: LocalChime) -> Callable[[], object]:
    def call() -> object:
        # The same GET repeats, so the answer cache would serve it from memory; empty it to time
        # the search itself.
        app._answers = (None, {})
        response = app.handle(
            Request("GET", "/search", "type=phone-numbers&area-code=206&max-results=100", AUTH, b"")
        )
        assert response.status == 200, response.body
        return response

    return call


def store_with(numbers: int, data: Path) -> tuple[LocalChime, list[str]]:
    app = LocalChime(Settings(data_dir=data))
    seeded = list(spread_numbers(numbers))
    began = time.perf_counter()
    seed_numbers(app.store, ACCOUNT, REGION, iter(seeded), 0)
    print(f"  seeded {numbers:,} numbers in {time.perf_counter() - began:.1f} s", flush=True)
    # Keys a full page away from the end, so every page measured holds 100 numbers.
    return app, [e164 for e164, _, _ in seeded][:-100]


def measure(app: LocalChime, keys: list[str], calls: int) -> dict[str, float]:
    results = {}
    if keys:
        results["list"] = timed(list_page(app, keys, None), calls)
        results["list_filtered"] = timed(list_page(app, keys, "Unassigned"), calls)
    results["search"] = timed(search(app), calls // 3)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--numbers", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        empty = LocalChime(Settings(data_dir=Path(root) / "empty"))
        search(empty)()  # builds the numbering plan index once, outside the timings
        print("measuring an empty store", flush=True)
        on_empty = measure(empty, [], args.calls)
        print(f"seeding {args.small:,} numbers", flush=True)
        small_app, small_keys = store_with(args.small, Path(root) / "small")
        on_small = measure(small_app, small_keys, args.calls)
        print(f"seeding {args.numbers:,} numbers", flush=True)
        big_app, big_keys = store_with(args.numbers, Path(root) / "big")
        on_big = measure(big_app, big_keys, args.calls)
        on_empty_again = measure(empty, [], args.calls)
    empty_search = min(on_empty["search"], on_empty_again["search"])
    print()
    for name, label in (
        ("list", "ListPhoneNumbers page of 100"),
        ("list_filtered", "ListPhoneNumbers page of 100, Status=Unassigned"),
    ):
        ratio = on_big[name] / on_small[name]
        print(
            f"{label}: {on_big[name]:.3f} ms at {args.numbers:,} vs {on_small[name]:.3f} ms at {args.small:,}: ratio {ratio:.2f} (target <= 1.5)"
        )
    ratio = on_big["search"] / empty_search
    print(
        f"SearchAvailablePhoneNumbers AreaCode=206: {on_big['search']:.3f} ms at {args.numbers:,} vs {empty_search:.3f} ms on an empty store: ratio {ratio:.2f} (target < 2)"
    )


if __name__ == "__main__":
    main()
