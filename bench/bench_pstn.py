"""The call simulator's cost per event (issue 10): events per second through a handler, as a
ratio to calling that handler directly in a loop, for a trivial in-process Python handler and
for the same handler behind an HTTP server (the Lambda Runtime Interface Emulator's contract).

Run:  python bench/bench_pstn.py [--rounds 5]

Each call's handler answers every event with a 1 ms Pause, so moving the clock by a second
drives the call through ~1,000 events (the per-call limit). The direct loop calls the handler
with a real event of that call: in-process, `handler(event, context)`; over HTTP, one JSON POST
per event on a fresh connection, as the simulator sends it. Rounds alternate; each figure is the
median over rounds. "Added" is the simulator's time per event beyond the handler's own, over
the handler's own (target: at most 2).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import boto3

from localchime import mock_chime
from localchime.testing import LocalChimeMock

REGION = "us-east-1"
ACCOUNT = "123456789012"
DIAL_IN = "+18445550123"
TARGET_ADDED = 2.0


def trivial(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {
        "SchemaVersion": "1.0",
        "Actions": [{"Type": "Pause", "Parameters": {"DurationInMilliseconds": 1}}],
    }


class Invocations(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        answer = json.dumps(trivial(event, None)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_args: Any) -> None:
        pass


def wire(chime: LocalChimeMock, name: str, **where: str) -> None:
    function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
    chime.control("POST", "lambda-functions", {"FunctionArn": function_arn, **where})
    client = boto3.client("chime-sdk-voice", region_name=REGION)
    application = client.create_sip_media_application(
        AwsRegion=REGION, Name=name, Endpoints=[{"LambdaArn": function_arn}]
    )["SipMediaApplication"]
    client.create_phone_number_order(
        ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=[DIAL_IN]
    )
    chime.advance(5)
    client.create_sip_rule(
        Name=name,
        TriggerType="ToPhoneNumber",
        TriggerValue=DIAL_IN,
        TargetApplications=[
            {
                "SipMediaApplicationId": application["SipMediaApplicationId"],
                "Priority": 1,
                "AwsRegion": REGION,
            }
        ],
    )


def simulated_ms_per_event(where: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """One call driven through ~1,000 events; the time per event, and one of its events."""
    with mock_chime() as chime:
        wire(chime, "bench", **where)
        began = time.perf_counter()
        transaction_id = chime.dial("+12065550142", DIAL_IN)["TransactionId"]
        chime.advance(2)
        call = chime.call(transaction_id)
        elapsed = time.perf_counter() - began
        events = len(call["Invocations"])
        assert events == 1000, events
        return elapsed / events * 1000, call["Invocations"][500]["Event"]


def direct_ms_per_event(call: Callable[[dict[str, Any]], Any], event: dict[str, Any]) -> float:
    count = 1000
    began = time.perf_counter()
    for _ in range(count):
        call(event)
    return (time.perf_counter() - began) / count * 1000


def post(url: str) -> Callable[[dict[str, Any]], Any]:
    def send(event: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            url, data=json.dumps(event).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    return send


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    server = ThreadingHTTPServer(("127.0.0.1", 0), Invocations)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/2015-03-31/functions/function/invocations"
    kinds = {
        "in-process": ({"Handler": "bench_pstn:trivial"}, lambda event: trivial(event, None)),
        "HTTP": ({"InvokeUrl": url}, post(url)),
    }
    print(f"{'handler':<11} {'direct ms':>10} {'simulated ms':>13} {'ratio':>7} {'added':>7}")
    for name, (where, direct) in kinds.items():
        simulated, direct_times = [], []
        for _ in range(rounds):
            per_event, event = simulated_ms_per_event(where)
            simulated.append(per_event)
            direct_times.append(direct_ms_per_event(direct, event))
        sim, own = statistics.median(simulated), statistics.median(direct_times)
        added = (sim - own) / own
        verdict = "meets" if added <= TARGET_ADDED else "misses"
        print(
            f"{name:<11} {own:>10.4f} {sim:>13.4f} {sim / own:>6.1f}x {added:>6.1f}x  "
            f"({verdict} the target of added <= {TARGET_ADDED:g}x; "
            f"{1000 / sim:,.0f} events/s simulated)"
        )
    server.shutdown()


if __name__ == "__main__":
    main()
