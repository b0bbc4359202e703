"""A Voice Connector with many numbers: GetVoiceConnector and ListPhoneNumbers filtered by the
connector, with 10,000 numbers associated, against the same calls on an empty store.

Run:  python bench/bench_voice_connectors.py [--numbers 10000] [--others 10000] [--small 201]
      [--calls 200] [--rounds 5]

Two stores side by side in one process, each one account with one Voice Connector:
  empty   the connector and `--small` (201) numbers associated with it: the fewest for which
          the list calls answer the same thing as on the loaded store, full pages of 100 with a
          NextToken (on a store without numbers they answer an empty page, which measures the
          page's size, not the store's);
  loaded  the connector and `--numbers` (10,000) numbers associated with it, interleaved in
          E.164 order with `--others` (10,000) numbers of the same account associated with
          nothing, so the filter has to pick them out.
The numbers are associated through the real API (AssociatePhoneNumbersWithVoiceConnector,
batches of 500). Calls go through boto3 in-process clients (localchime.testing.mock), the whole
client pipeline, and again through LocalChime.handle, which leaves botocore's serialising and
parsing out of the ratio. Rounds alternate which store goes first, to cancel drift. Both the GET
answer cache and the store's read cache are emptied before each call (outside the timing): the
same request repeats, so they would otherwise answer it from memory.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from localchime.app import LocalChime
from localchime.config import Settings
from localchime.families.phone_numbers.bulk import seed_numbers
from localchime.protocol.messages import Request
from localchime.testing.mock import in_process_client

ACCOUNT = "123456789012"
REGION = "us-east-1"
AUTH = {
    "authorization": f"AWS4-HMAC-SHA256 Credential={ACCOUNT}/20261127/{REGION}/chime/aws4_request, "
    "SignedHeaders=host, Signature=0"
}
BATCH = 500
DEEP_PAGE = 10
TARGET = 1.5


def number(i: int) -> str:
    return f"+1206{200 + i // 10000:03d}{i % 10000:04d}"


def seed(app: LocalChime, e164s: list[str]) -> None:
    """The account holds `e164s` as Unassigned VoiceConnector numbers, as if ordered."""
    seed_numbers(
        app.store,
        ACCOUNT,
        REGION,
        ((e, "US", "Local") for e in e164s),
        0,
        product_type="VoiceConnector",
    )


class Store:
    """One store, its connector, and the requests the benchmark repeats on it."""

    def __init__(self, label: str, data: Path, associated: list[str], others: list[str]) -> None:
        self.label = label
        self.app = LocalChime(Settings(data_dir=data))
        self.client = in_process_client(self.app, aws_access_key_id=ACCOUNT)
        began = time.perf_counter()
        seed(self.app, sorted(associated + others))
        seeded = time.perf_counter()
        self.connector = self.client.create_voice_connector(Name=label, RequireEncryption=False)[
            "VoiceConnector"
        ]["VoiceConnectorId"]
        for start in range(0, len(associated), BATCH):
            errors = self.client.associate_phone_numbers_with_voice_connector(
                VoiceConnectorId=self.connector, E164PhoneNumbers=associated[start : start + BATCH]
            )["PhoneNumberErrors"]
            assert not errors, errors[:3]
        print(
            f"  {label}: seeded {len(associated) + len(others):,} numbers in "
            f"{seeded - began:.1f} s, associated {len(associated):,} through the API in "
            f"{time.perf_counter() - seeded:.1f} s",
            flush=True,
        )
        self.filter = {"FilterName": "VoiceConnectorId", "FilterValue": self.connector}
        # The deepest full page with a NextToken: the 10th on the loaded store, the 2nd on the
        # empty one (201 numbers); both resume from a token with the same query shape.
        self.deep_token = self.walk_to(min(DEEP_PAGE, (len(associated) - 1) // 100))
        page = self.client.list_phone_numbers(
            **self.filter, MaxResults=100, NextToken=self.deep_token
        )
        assert len(page["PhoneNumbers"]) == 100 and "NextToken" in page, len(page["PhoneNumbers"])
        first = self.client.list_phone_numbers(**self.filter)
        assert len(first["PhoneNumbers"]) == 100 and "NextToken" in first
        assert all(n["Status"] == "Assigned" for n in first["PhoneNumbers"])

    def walk_to(self, page: int) -> str:
        """The NextToken that asks for page `page` (1-based), found by paging there."""
        self.deep_page = page
        token = None
        for _ in range(page - 1):
            given = {"NextToken": token} if token else {}
            token = self.client.list_phone_numbers(**self.filter, MaxResults=100, **given)[
                "NextToken"
            ]
        assert token is not None
        return token

    def fresh(self) -> None:
        self.app._answers = (None, {})
        self.app.store._read_cache = (None, {})

    def calls(self) -> dict[str, Callable[[], Any]]:
        listing = f"filter-name=VoiceConnectorId&filter-value={self.connector}"
        deep = f"{listing}&max-results=100&next-token={self.deep_token}"
        return {
            "boto3 GetVoiceConnector": lambda: self.client.get_voice_connector(
                VoiceConnectorId=self.connector
            ),
            "boto3 ListPhoneNumbers first page": lambda: self.client.list_phone_numbers(
                **self.filter
            ),
            "boto3 ListPhoneNumbers deep page": lambda: self.client.list_phone_numbers(
                **self.filter, MaxResults=100, NextToken=self.deep_token
            ),
            "handle GetVoiceConnector": self.handler(f"/voice-connectors/{self.connector}", ""),
            "handle ListPhoneNumbers first page": self.handler("/phone-numbers", listing),
            "handle ListPhoneNumbers deep page": self.handler("/phone-numbers", deep),
        }

    def handler(self, path: str, query: str) -> Callable[[], Any]:
        def call() -> Any:
            response = self.app.handle(Request("GET", path, query, AUTH, b""))
            assert response.status == 200, response.body
            return response

        return call


def timed(call: Callable[[], object], fresh: Callable[[], None], calls: int) -> list[float]:
    samples = []
    for _ in range(calls):
        fresh()
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--numbers", type=int, default=10_000)
    parser.add_argument("--others", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=201)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    assert args.small > 200, "the empty store needs two full pages: --small 201 or more"
    pool = [number(i) for i in range(args.numbers + args.others)]
    # Every other number is associated while both kinds last, so they interleave in E.164 order.
    interleaved = min(args.numbers, args.others) * 2
    associated = (
        pool[:interleaved:2] + pool[interleaved : interleaved + args.numbers - interleaved // 2]
    )
    others = sorted(set(pool) - set(associated))
    with tempfile.TemporaryDirectory() as root:
        print("building the stores", flush=True)
        empty = Store("empty", Path(root) / "empty", pool[: args.small], [])
        loaded = Store("loaded", Path(root) / "loaded", associated, others)
        stores = (empty, loaded)
        calls = {store.label: store.calls() for store in stores}
        names = list(calls["empty"])
        for store in stores:  # warm-up: compiled statements, botocore's parsers
            for call in calls[store.label].values():
                timed(call, store.fresh, 20)
        samples: dict[tuple[str, str], list[float]] = {}
        for round_ in range(args.rounds):
            print(f"round {round_ + 1} of {args.rounds}", flush=True)
            order = stores if round_ % 2 == 0 else stores[::-1]
            for name in names:
                for store in order:
                    taken = timed(calls[store.label][name], store.fresh, args.calls)
                    samples.setdefault((name, store.label), []).extend(taken)
        for store in stores:
            store.app.close()

    print()
    print(
        f"{args.numbers:,} numbers associated with the connector (+{args.others:,} not) vs "
        f"{args.small:,} on the empty store; medians of {args.rounds} x {args.calls} calls; "
        f"deep page = page {loaded.deep_page} on loaded, page {empty.deep_page} on empty"
    )
    print(f"{'call':<36} {'empty ms':>9} {'loaded ms':>10} {'ratio':>6}  target")
    for name in names:
        on_empty = statistics.median(samples[name, "empty"]) * 1000
        on_loaded = statistics.median(samples[name, "loaded"]) * 1000
        ratio = on_loaded / on_empty
        verdict = "pass" if ratio <= TARGET else "FAIL"
        print(
            f"{name:<36} {on_empty:>9.3f} {on_loaded:>10.3f} {ratio:>6.2f}  <= {TARGET} {verdict}"
        )


if __name__ == "__main__":
    main()
