"""Replicas benchmark (issue 12): creating orders on PostgreSQL, one replica against two.

Run:  python bench/bench_replicas.py [--seconds 5] [--rounds 3] [--pg postgresql://…/test]

Each round runs wrk's order creation (bench/create_orders.lua, 32 connections in all) against
one replica, then against two (one wrk process each, 16 connections), on one fresh PostgreSQL
database, resetting it between runs; medians of the rounds, side by side:
  (a) orders/s, one replica and two, and the scaling ratio           target >= 1.5x
  (b) CPU per order: the replicas, PostgreSQL's backends, wrk, and how busy the two cores were
  (c) one replica with requests on the event loop (LOCALCHIME_REQUEST_THREADS=0, as before
      issue 12) against worker threads (auto): what running off the loop costs or gains
  (d) SQLite, one replica, inline against 4 worker threads: creates/s and GET req/s
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import psycopg

BENCH = Path(__file__).resolve().parent
ORDERS_SCRIPT = str(BENCH / "create_orders.lua")
TICKS = os.sysconf("SC_CLK_TCK")


def start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "localchime", "serve", "--port", "0", *args]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env={**os.environ, **env}
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("localchime ready"):
        process.kill()
        raise RuntimeError(f"replica did not start: {line!r}")
    return process, line.split()[-1]


@contextmanager
def replicas(count: int, args: list[str], env: dict[str, str]) -> Iterator[list[tuple[int, str]]]:
    """(pid, endpoint) of each replica started."""
    started = [start(args, env) for _ in range(count)]
    try:
        yield [(process.pid, endpoint) for process, endpoint in started]
    finally:
        for process, _ in started:
            process.terminate()
            process.wait(20)


def reset(endpoint: str) -> None:
    """Empties the database; retried, since the last run's orders may be falling due on the
    replicas meanwhile, and reset answers 503 when it meets their locks (a deadlock)."""
    for attempt in range(5):
        try:
            urlopen(Request(endpoint + "/_localchime/reset", method="POST"), timeout=60).read()
            return
        except HTTPError as error:
            print(f"reset: {error.code} {error.read().decode()}; retrying", file=sys.stderr)
            time.sleep(1 + attempt)
    raise RuntimeError("reset kept failing")


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def pids_named(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def machine_busy_seconds() -> float:
    """CPU seconds spent by anything on the machine (all cores), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICKS


def run_wrk(endpoints: list[str], seconds: int, connections: int) -> tuple[float, int, int]:
    """wrk creating orders against each endpoint at once: (orders/s, created, failed)."""
    each = connections // len(endpoints)
    threads = 2 if len(endpoints) == 1 else 1
    processes = [
        subprocess.Popen(
            [
                "wrk",
                f"-t{threads}",
                f"-c{each}",
                f"-d{seconds}s",
                "-s",
                ORDERS_SCRIPT,
                url,
                "--",
                str(k),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for k, url in enumerate(endpoints)
    ]
    rate, created, failed = 0.0, 0, 0
    for process in processes:
        output, _ = process.communicate()
        found = re.search(r"CREATED (\d+) FAILED (\d+)", output)
        assert found is not None, output
        created += int(found.group(1))
        failed += int(found.group(2))
        rate += float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    return rate, created, failed


def measure(
    count: int, args: list[str], env: dict[str, str], seconds: int, reset_first: bool = True
) -> dict[str, float]:
    with replicas(count, args, env) as started:
        ours = [pid for pid, _ in started]
        endpoints = [endpoint for _, endpoint in started]
        if reset_first:
            reset(endpoints[0])
        postgres = pids_named("postgres")
        busy_before = machine_busy_seconds()
        ours_before, pg_before, wrk_before = cpu_seconds(ours), cpu_seconds(postgres), wrk_cpu()
        rate, created, failed = run_wrk(endpoints, seconds, 32)
        wrk_used = wrk_cpu() - wrk_before
        # Backends that started meanwhile count from 0; those that ended are lost (few).
        pg_cpu = cpu_seconds(pids_named("postgres")) - pg_before
        ours_cpu = cpu_seconds(ours) - ours_before
        busy = machine_busy_seconds() - busy_before
    return {
        "rate": rate,
        "created": created,
        "failed": failed,
        "ours_ms": ours_cpu / max(created, 1) * 1000,
        "pg_ms": pg_cpu / max(created, 1) * 1000,
        "wrk_ms": wrk_used / max(created, 1) * 1000,
        "busy": busy / seconds,
    }


def wrk_cpu() -> float:
    """CPU seconds of this process's finished children: the wrk runs."""
    usage = os.times()
    return usage.children_user + usage.children_system


def get_rate(endpoint: str, seconds: int) -> float:
    body = '{"ProductType":"VoiceConnector","E164PhoneNumbers":["+19175550100"]}'
    request = Request(
        endpoint + "/phone-number-orders",
        data=body.encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    order = json.loads(urlopen(request, timeout=30).read())["PhoneNumberOrder"]
    url = f"{endpoint}/phone-number-orders/{order['PhoneNumberOrderId']}"
    output = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]


@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    name = f"localchime_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rpartition("/")[0] + "/" + name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def median_of(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is required: apt-get install wrk")

    with fresh_database(args.pg) as url:
        pg_args = ["--database-url", url]
        one: list[dict[str, float]] = []
        two: list[dict[str, float]] = []
        inline: list[dict[str, float]] = []
        # Alternating rounds, medians: a 2-core machine shared with others swings run to run.
        for _ in range(args.rounds):
            one.append(measure(1, pg_args, {}, args.seconds))
            two.append(measure(2, pg_args, {}, args.seconds))
            inline.append(measure(1, pg_args, {"LOCALCHIME_REQUEST_THREADS": "0"}, args.seconds))

    sqlite_inline: list[dict[str, float]] = []
    sqlite_threads: list[dict[str, float]] = []
    get_inline: list[float] = []
    get_threads: list[float] = []
    for _ in range(args.rounds):
        for threads, creates, gets in (
            ("0", sqlite_inline, get_inline),
            ("4", sqlite_threads, get_threads),
        ):
            data = tempfile.mkdtemp()
            env = {"LOCALCHIME_REQUEST_THREADS": threads}
            creates.append(measure(1, ["--data-dir", data], env, args.seconds, reset_first=False))
            with replicas(1, ["--data-dir", data], env) as [(_, endpoint)]:
                gets.append(get_rate(endpoint, args.seconds))
            shutil.rmtree(data)

    one_rate, two_rate = median_of(one, "rate"), median_of(two, "rate")
    print(
        f"PostgreSQL, wrk creating orders, 32 connections, {args.seconds} s, median of {args.rounds} rounds"
    )
    print(
        f"(a) one replica {one_rate:,.0f} orders/s, two replicas {two_rate:,.0f} orders/s: "
        f"{two_rate / one_rate:.2f}x (target >= 1.5x); failed "
        f"{sum(r['failed'] for r in one)} and {sum(r['failed'] for r in two)}"
    )
    for label, runs in (("one replica ", one), ("two replicas", two)):
        print(
            f"(b) {label}: CPU per order: replicas {median_of(runs, 'ours_ms'):.2f} ms, "
            f"PostgreSQL {median_of(runs, 'pg_ms'):.2f} ms, wrk {median_of(runs, 'wrk_ms'):.2f} ms; "
            f"the machine busy {median_of(runs, 'busy'):.2f} of {os.cpu_count()} cores"
        )
    print(
        f"(c) one replica on PostgreSQL: requests on the event loop "
        f"{median_of(inline, 'rate'):,.0f} orders/s, {median_of(inline, 'ours_ms'):.2f} ms "
        f"of replica CPU per order; on worker threads {one_rate:,.0f} orders/s, "
        f"{median_of(one, 'ours_ms'):.2f} ms"
    )
    print(
        f"(d) SQLite, one replica: inline {median_of(sqlite_inline, 'rate'):,.0f} orders/s "
        f"({median_of(sqlite_inline, 'ours_ms'):.2f} ms CPU per order) and "
        f"{statistics.median(get_inline):,.0f} GET/s; 4 worker threads "
        f"{median_of(sqlite_threads, 'rate'):,.0f} orders/s "
        f"({median_of(sqlite_threads, 'ours_ms'):.2f} ms) and "
        f"{statistics.median(get_threads):,.0f} GET/s"
    )


if __name__ == "__main__":
    main()
