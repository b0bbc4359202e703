"""Shared state under concurrency: a number is acquired exactly once, whoever races for it."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.harness import Chime, ServerChime
from tests.pstn_wiring import wire_dial_in
from tests.test_voice_analytics import connector, domain, place_call

NUMBER = "+12065550142"
THREADS = 16


def _order(client: Any, numbers: list[str]) -> str:
    try:
        response = client.create_phone_number_order(
            ProductType="VoiceConnector", E164PhoneNumbers=numbers
        )
    except ClientError as error:
        return error.response["Error"]["Code"]
    return response["PhoneNumberOrder"]["PhoneNumberOrderId"]


def test_one_account_many_threads_one_number(chime: Chime) -> None:
    clients = [chime.client() for _ in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(lambda c: _order(c, [NUMBER]), clients))
    accepted = [o for o in outcomes if o != "BadRequestException"]
    assert len(accepted) == 1, outcomes
    chime.advance(5)
    orders = clients[0].list_phone_number_orders()["PhoneNumberOrders"]
    assert [o["Status"] for o in orders] == ["Successful"]


def test_many_accounts_race_for_one_number(chime: Chime) -> None:
    clients = [chime.client(f"{100000000000 + i}") for i in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(lambda c: _order(c, [NUMBER]), clients))
    assert "BadRequestException" not in outcomes
    chime.advance(5)
    statuses = [
        c.get_phone_number_order(PhoneNumberOrderId=o)["PhoneNumberOrder"]["Status"]
        for c, o in zip(clients, outcomes, strict=True)
    ]
    assert sorted(statuses) == ["Failed"] * (THREADS - 1) + ["Successful"]
    inventory = [c.get_phone_number(PhoneNumberId=NUMBER)["PhoneNumber"]["Status"] for c in clients]
    assert sorted(inventory) == ["AcquireFailed"] * (THREADS - 1) + ["Unassigned"]


def _replicas(*args: str) -> list[ServerChime]:
    # A short fulfilment delay and a fast poll make both replicas' background tasks race for the
    # same timers in real time, with no clock call to serialise them.
    env = {
        "LOCALCHIME_ORDER_FULFILMENT_SECONDS": "0.3",
        "LOCALCHIME_LIFECYCLE_POLL_SECONDS": "0.02",
    }
    return [ServerChime(*args, env=env).start() for _ in range(2)]


def _race_across_replicas(replicas: list[ServerChime]) -> None:
    clients: dict[tuple[int, str], Any] = {}

    def client_of(replica: int, account: str) -> Any:
        if (replica, account) not in clients:
            clients[replica, account] = replicas[replica].client(account)
        return clients[replica, account]

    numbers = [f"+1206555{i:04d}" for i in range(8)]
    accounts = [f"{200000000000 + i}" for i in range(10)]
    jobs = [
        (client_of((a + n) % 2, account), [number], account)
        for a, account in enumerate(accounts)
        for n, number in enumerate(numbers)
    ]
    with ThreadPoolExecutor(THREADS) as pool:
        order_ids = list(pool.map(lambda job: _order(job[0], job[1]), jobs))
    # An order placed after a number was already won elsewhere is refused outright.
    assert set(order_ids) - {"BadRequestException"}, order_ids
    deadline = time.monotonic() + 30
    results: dict[str, list[str]] = {}
    for (_, (number,), account), order_id in zip(jobs, order_ids, strict=True):
        if order_id == "BadRequestException":
            continue
        client = client_of(0, account)
        while True:
            status = client.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"][
                "Status"
            ]
            if status != "Processing" or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        results.setdefault(number, []).append(status)
    assert len(results) == len(numbers)
    for number, statuses in results.items():
        assert sorted(statuses) == ["Failed"] * (len(statuses) - 1) + ["Successful"], number
        holders = []
        for account in accounts:
            try:
                found = client_of(0, account).get_phone_number(PhoneNumberId=number)
            except ClientError:
                continue
            if found["PhoneNumber"]["Status"] == "Unassigned":
                holders.append(account)
        assert len(holders) == 1, (number, holders)


@pytest.mark.slow
def test_two_replicas_on_one_postgres(pg_url: str) -> None:
    replicas = _replicas("--database-url", pg_url)
    try:
        replicas[0].reset()
        _race_across_replicas(replicas)
    finally:
        codes = [replica.stop()[0] for replica in replicas]  # stop all before asserting
        assert codes == [0, 0]


@pytest.mark.slow
def test_two_replicas_on_one_sqlite_file(tmp_path: Path) -> None:
    replicas = _replicas("--data-dir", str(tmp_path))
    try:
        _race_across_replicas(replicas)
    finally:
        codes = [replica.stop()[0] for replica in replicas]  # stop all before asserting
        assert codes == [0, 0]


def _associate(client: Any, connector_id: str, force: bool) -> str:
    errors = client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=connector_id, E164PhoneNumbers=[NUMBER], ForceAssociate=force
    )["PhoneNumberErrors"]
    return errors[0]["ErrorCode"] if errors else "associated"


def _connectors_and_a_number(chime: Chime) -> tuple[list[Any], list[str]]:
    clients = [chime.client() for _ in range(THREADS)]
    clients[0].create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[NUMBER])
    chime.advance(5)
    ids = [
        clients[0].create_voice_connector(Name=f"vc{i}", RequireEncryption=True)["VoiceConnector"][
            "VoiceConnectorId"
        ]
        for i in range(THREADS)
    ]
    return clients, ids


def test_one_number_raced_onto_many_connectors_joins_exactly_one(chime: Chime) -> None:
    clients, ids = _connectors_and_a_number(chime)
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(
            pool.map(lambda pair: _associate(*pair, False), zip(clients, ids, strict=True))
        )
    assert sorted(outcomes) == ["PhoneNumberAssociationsExist"] * (THREADS - 1) + ["associated"]
    winner = ids[outcomes.index("associated")]
    found = clients[0].get_phone_number(PhoneNumberId=NUMBER)["PhoneNumber"]
    assert [(a["Name"], a["Value"]) for a in found["Associations"]] == [
        ("VoiceConnectorId", winner)
    ]
    for connector_id in ids:
        listed = clients[0].list_phone_numbers(
            FilterName="VoiceConnectorId", FilterValue=connector_id
        )["PhoneNumbers"]
        assert len(listed) == (1 if connector_id == winner else 0)


def test_forced_associations_race_and_the_last_one_holds(chime: Chime) -> None:
    clients, ids = _connectors_and_a_number(chime)
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(
            pool.map(lambda pair: _associate(*pair, True), zip(clients, ids, strict=True))
        )
    assert outcomes == ["associated"] * THREADS
    found = clients[0].get_phone_number(PhoneNumberId=NUMBER)["PhoneNumber"]
    assert len(found["Associations"]) == 1
    holders = [
        connector_id
        for connector_id in ids
        if clients[0].list_phone_numbers(FilterName="VoiceConnectorId", FilterValue=connector_id)[
            "PhoneNumbers"
        ]
    ]
    assert holders == [found["Associations"][0]["Value"]]


@pytest.mark.slow
def test_settings_written_from_two_replicas_at_once_never_fail(pg_url: str) -> None:
    """Writes of one key from several replicas are upserts: a delete-then-insert let two
    transactions both insert under READ COMMITTED, and one got a 500."""
    replicas = _replicas("--database-url", pg_url)
    try:
        replicas[0].reset()
        account = "300000000000"
        clients = [replicas[i % 2].client(account) for i in range(THREADS)]
        connector_id = clients[0].create_voice_connector(Name="vc", RequireEncryption=True)[
            "VoiceConnector"
        ]["VoiceConnectorId"]
        clients[0].put_voice_connector_termination(
            VoiceConnectorId=connector_id,
            Termination={"CallingRegions": ["US"], "CidrAllowedList": ["203.0.113.0/27"]},
        )

        def update(index: int) -> int:
            response = clients[index].update_global_settings(
                VoiceConnector={"CdrBucket": f"bucket-{index}"}
            )
            return int(response["ResponseMetadata"]["HTTPStatusCode"])

        def ping(index: int) -> int:
            path = f"voice-connectors/{connector_id}/termination-pings"
            return replicas[index % 2].control("POST", path, {"Source": "203.0.113.7"}).status

        with ThreadPoolExecutor(THREADS) as pool:
            assert list(pool.map(update, range(THREADS))) == [204] * THREADS
            assert list(pool.map(ping, range(THREADS))) == [201] * THREADS
        bucket = clients[0].get_global_settings()["VoiceConnector"]["CdrBucket"]
        assert bucket in {f"bucket-{i}" for i in range(THREADS)}
    finally:
        codes = [replica.stop()[0] for replica in replicas]
        assert codes == [0, 0]


@pytest.mark.slow
def test_the_number_quota_holds_across_three_replicas(pg_url: str) -> None:
    """Issue 12: 20 single-number orders of one account at once, through three replicas, under
    `--quota-profile aws`: exactly 5 win in every round, and nothing answers 5xx."""
    env = {"LOCALCHIME_LIFECYCLE_POLL_SECONDS": "0.05"}
    replicas = [
        ServerChime("--database-url", pg_url, "--quota-profile", "aws", env=env).start()
        for _ in range(3)
    ]
    try:
        for round_number in range(20):
            replicas[0].reset()
            account = f"{400000000000 + round_number}"
            clients = [replicas[i % 3].client(account) for i in range(20)]
            numbers = [f"+1206555{round_number:02d}{i:02d}" for i in range(20)]
            with ThreadPoolExecutor(20) as pool:
                outcomes = list(
                    pool.map(
                        lambda pair: _order(*pair),
                        zip(clients, [[n] for n in numbers], strict=True),
                    )
                )
            refused = [o for o in outcomes if o.endswith("Exception")]
            assert set(refused) <= {"ResourceLimitExceededException"}, outcomes
            assert len(outcomes) - len(refused) == 5, (round_number, outcomes)
    finally:
        codes = [replica.stop()[0] for replica in replicas]
        assert codes == [0, 0, 0]


def test_many_rules_race_for_one_dial_in_number(chime: Chime) -> None:
    """One rule per trigger value, whoever races: exactly one create wins, the rest are 409s,
    and the number ends associated with the winner."""
    client = chime.client()
    client.create_phone_number_order(
        ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=["+18445550150"]
    )
    chime.advance(5)
    lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:race"
    application_id = client.create_sip_media_application(
        AwsRegion="us-east-1", Name="race", Endpoints=[{"LambdaArn": lambda_arn}]
    )["SipMediaApplication"]["SipMediaApplicationId"]
    target = [{"SipMediaApplicationId": application_id, "Priority": 1, "AwsRegion": "us-east-1"}]

    def create(index: int) -> str:
        try:
            return str(
                chime.client().create_sip_rule(
                    Name=f"r{index}",
                    TriggerType="ToPhoneNumber",
                    TriggerValue="+18445550150",
                    TargetApplications=target,
                )["SipRule"]["SipRuleId"]
            )
        except ClientError as error:
            return str(error.response["Error"]["Code"])

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(create, range(THREADS)))
    winners = [o for o in outcomes if o != "ConflictException"]
    assert len(winners) == 1, outcomes
    number = client.get_phone_number(PhoneNumberId="+18445550150")["PhoneNumber"]
    assert number["Associations"][0]["Value"] == winners[0]


def _dial_counter(replica: ServerChime) -> str:
    client = replica.client()
    arn = "arn:aws:lambda:us-east-1:123456789012:function:counter"
    registered = replica.control(
        "POST", "lambda-functions", {"FunctionArn": arn, "Handler": "tests.pstn_handlers:counter"}
    )
    assert registered.status == 201
    wire_dial_in(replica, client, arn, "+18445550160", "counter")
    placed = replica.control("POST", "calls", {"From": "+12065550142", "To": "+18445550160"})
    assert placed.status == 201
    return str(placed.json()["TransactionId"])


def test_one_call_driven_from_two_replicas_at_once(pg_url: str) -> None:
    """Both replicas' background tasks and many readers settle one call at once: every event
    is sent exactly once, in order, and nothing fails."""
    replicas = _replicas("--database-url", pg_url)
    try:
        replicas[0].reset()
        transaction_id = _dial_counter(replicas[0])
        replicas[0].advance(20)  # twenty 1 s pauses fall due at once

        def read(index: int) -> int:
            return replicas[index % 2].control("GET", f"calls/{transaction_id}").status

        with ThreadPoolExecutor(THREADS) as pool:
            assert list(pool.map(read, range(THREADS))) == [200] * THREADS
        call = replicas[1].control("GET", f"calls/{transaction_id}").json()
        sequences = [i["Sequence"] for i in call["Invocations"]]
        assert sequences == list(range(1, len(sequences) + 1))
        assert len(sequences) == 21  # NEW_INBOUND_CALL and one ACTION_SUCCESSFUL per second
        assert all("Failures" not in i for i in call["Invocations"])
    finally:
        codes = [replica.stop()[0] for replica in replicas]
        assert codes == [0, 0]


def test_one_call_many_clients_start_one_speaker_search(chime: Chime) -> None:
    """A call has one active speaker search: of 16 clients racing to start one, exactly one
    wins and the others get ConflictException."""
    client = chime.client()
    connector_id = connector(client)
    domain_id = domain(client)["VoiceProfileDomainId"]
    transaction_id = place_call(chime, connector_id)
    clients = [chime.client() for _ in range(16)]

    def start(racer: Any) -> str:
        try:
            racer.start_speaker_search_task(
                VoiceConnectorId=connector_id,
                TransactionId=transaction_id,
                VoiceProfileDomainId=domain_id,
            )
        except racer.exceptions.ConflictException:
            return "conflict"
        return "won"

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(start, clients))
    assert sorted(outcomes) == ["conflict"] * 15 + ["won"]
