"""The in-process mock against moto's `mock_aws` (issue 13): a GET of one resource and a create,
through boto3 clients the code under test builds itself, measured side by side in one process.

Run:  python bench/bench_mock.py [--calls 300] [--rounds 7] [--clock cpu]

moto has no chime-sdk-voice, so each localchime call is paired with the nearest moto call of the
same protocol (rest-json) and shape: Pinpoint's GetApp (one resource by id in the path) and
CreateApp (a JSON body in, the new resource out). Each tool runs alone in its own scope; rounds
alternate which goes first; each figure is the median over rounds of the mean per call. The ratio is moto's time over
localchime's (target: at least 2). `--clock cpu` counts this thread's CPU time instead of
wall time, so that other processes sharing the machine's cores weigh less on the figures.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import boto3
from moto import mock_aws

from localchime import mock_chime

TARGET = 2.0
Call = Callable[[], Any]


CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.thread_time}
clock = CLOCKS["wall"]


def mean_ms(call: Call, calls: int) -> float:
    began = clock()
    for _ in range(calls):
        call()
    return (clock() - began) / calls * 1000


def moto_calls() -> dict[str, Call]:
    pinpoint = boto3.client("pinpoint", region_name="us-east-1")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "bench"})["ApplicationResponse"][
        "Id"
    ]
    names = itertools.count()
    return {
        "get": lambda: pinpoint.get_app(ApplicationId=app_id),
        "create": lambda: pinpoint.create_app(CreateApplicationRequest={"Name": f"a{next(names)}"}),
    }


def localchime_calls() -> dict[str, Call]:
    chime = boto3.client("chime-sdk-voice", region_name="us-east-1")
    order_id = chime.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["+12065550100"]
    )["PhoneNumberOrder"]["PhoneNumberOrderId"]
    connector_id = chime.create_voice_connector(Name="bench", RequireEncryption=True)[
        "VoiceConnector"
    ]["VoiceConnectorId"]
    numbers = (f"+1844555{i:04d}" for i in itertools.count())
    return {
        "get": lambda: chime.get_phone_number_order(PhoneNumberOrderId=order_id),
        "get connector": lambda: chime.get_voice_connector(VoiceConnectorId=connector_id),
        "create": lambda: chime.create_voice_connector(Name="bench", RequireEncryption=True),
        "create order": lambda: chime.create_phone_number_order(
            ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=[next(numbers)]
        ),
    }


LABELS = {
    "get": "GetPhoneNumberOrder vs Pinpoint GetApp",
    "get connector": "GetVoiceConnector vs Pinpoint GetApp",
    "create": "CreateVoiceConnector vs Pinpoint CreateApp",
    "create order": "CreatePhoneNumberOrder vs Pinpoint CreateApp",
}
MOTO_PAIR = {"get": "get", "get connector": "get", "create": "create", "create order": "create"}


SCOPES: dict[str, tuple[Callable[[], Any], Callable[[], dict[str, Call]]]] = {
    "moto": (mock_aws, moto_calls),
    "localchime": (mock_chime, localchime_calls),
}


def measure(calls: int, rounds: int) -> dict[str, tuple[float, float]]:
    """Each tool alone in its own scope, as a user's suite would run it: inside moto's
    `mock_aws`, moto's handler also sees every chime-sdk-voice request and slows it down."""
    samples: dict[str, dict[str, list[float]]] = {side: {} for side in SCOPES}
    for round_number in range(rounds):
        order = list(SCOPES) if round_number % 2 == 0 else list(reversed(SCOPES))
        for side in order:
            scope, build = SCOPES[side]
            with scope():
                table = build()
                for call in table.values():
                    mean_ms(call, 30)  # warm up
                for name, call in table.items():
                    samples[side].setdefault(name, []).append(mean_ms(call, calls))
    return {
        name: (
            statistics.median(samples["moto"][MOTO_PAIR[name]]),
            statistics.median(samples["localchime"][name]),
        )
        for name in LABELS
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300, help="calls per sample")
    parser.add_argument("--rounds", type=int, default=7, help="samples per call, alternating")
    parser.add_argument(
        "--clock", choices=sorted(CLOCKS), default="wall", help="wall time, or this thread's CPU"
    )
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    results = measure(args.calls, args.rounds)
    print(f"{'call':48} {'moto ms':>8} {'ours ms':>8} {'ratio':>6}  target")
    for name, label in LABELS.items():
        moto, ours = results[name]
        ratio = moto / ours
        verdict = "pass" if ratio >= TARGET else "MISS"
        print(f"{label:48} {moto:8.3f} {ours:8.3f} {ratio:6.2f}  >= {TARGET} {verdict}")


if __name__ == "__main__":
    main()
