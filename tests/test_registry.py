"""The registry check (smithy-rs's "every operation has a handler") and explicit loading.

Every model operation is either implemented by exactly one family or listed in NOT_YET with a
reason; names claimed twice fail at startup; a stored timer that nothing can run fails at
startup, not when it falls due.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import insert, inspect

from localchime.app import LocalChime
from localchime.config import Settings
from localchime.core.family import (
    ControlRoutes,
    DuplicateRegistration,
    Family,
    Operations,
    Transitions,
)
from localchime.core.scheduler import UnknownTimerKind
from localchime.coverage import coverage_report
from localchime.families import phone_numbers
from localchime.registry import FAMILIES, NOT_YET, PLATFORM_TABLES, load, not_yet
from localchime.spec.model import operation_names
from localchime.store import Store, schema

README = Path(__file__).resolve().parent.parent / "README.md"


def test_families_and_not_yet_are_exactly_the_model() -> None:
    implemented = set(load().operations)
    pending = [name for names in NOT_YET.values() for name in names]
    assert len(pending) == len(set(pending)), "NOT_YET lists an operation twice"
    assert implemented.isdisjoint(pending), implemented & set(pending)
    assert implemented | set(pending) == set(operation_names())
    assert len(operation_names()) == 96


def test_every_not_yet_entry_gives_a_reason() -> None:
    reasons = not_yet()
    assert all(len(reason) > 20 for reason in reasons.values())
    assert set(reasons) == set(coverage_report()["not_implemented"])


def test_readme_count_is_the_registry_count() -> None:
    counted = re.search(r"Today, (\d+) of (\d+)", README.read_text())
    assert counted is not None
    assert (int(counted[1]), int(counted[2])) == (len(load().operations), 96)


def test_each_operation_has_one_owner() -> None:
    owners = {name: family.name for family in FAMILIES for name, _ in family.handlers()}
    assert owners["GetPhoneNumber"] == "phone_numbers"
    assert owners["ValidateE911Address"] == "e911"
    assert owners["ListAvailableVoiceConnectorRegions"] == "voice_connectors"
    assert len(owners) == len(load().operations)


def test_loading_twice_gives_the_same_registry_and_registers_nothing_globally() -> None:
    first, second = load(), load()
    assert dict(first.operations) == dict(second.operations)
    assert dict(first.transitions) == dict(second.transitions)
    assert first.routes == second.routes
    assert load(()).operations == {}


def test_a_family_listed_twice_fails() -> None:
    with pytest.raises(DuplicateRegistration, match="family phone_numbers"):
        load((*FAMILIES, phone_numbers.FAMILY))


def test_an_operation_claimed_by_two_families_fails() -> None:
    rival = Operations()
    rival("GetPhoneNumber")(lambda ctx, params: None)
    with pytest.raises(DuplicateRegistration, match=r"operation .*GetPhoneNumber"):
        load((*FAMILIES, Family("rival", operations=(rival,))))


def test_a_timer_kind_claimed_twice_fails() -> None:
    rival = Transitions()
    rival("order.fulfil")(lambda connection, settings, ref, due_ms: None)
    with pytest.raises(DuplicateRegistration, match=r"timer kind .*order.fulfil"):
        load((*FAMILIES, Family("rival", transitions=(rival,))))


@pytest.mark.parametrize(
    ("method", "template"),
    [
        ("POST", "/porting-orders"),  # another family's route
        ("POST", "/reset"),  # a platform route
        ("GET", "/porting-orders/{order}"),  # the same route, its parameter named otherwise
    ],
)
def test_a_control_route_claimed_twice_fails(method: str, template: str) -> None:
    rival = ControlRoutes()
    rival(method, template)(lambda ctx, request: (200, {}))
    with pytest.raises(DuplicateRegistration, match=r"route .*" + re.escape(template[:12])):
        load((*FAMILIES, Family("rival", routes=(rival,))))


def test_a_table_claimed_twice_fails() -> None:
    with pytest.raises(DuplicateRegistration, match=r"table .*timers"):
        load((*FAMILIES, Family("rival", tables=(schema.timers,))))


def test_registering_a_name_twice_in_one_collection_fails_at_once() -> None:
    operations = Operations()
    operations("GetPhoneNumber")(lambda ctx, params: None)
    with pytest.raises(DuplicateRegistration, match="GetPhoneNumber is registered twice"):
        operations("GetPhoneNumber")(lambda ctx, params: None)


def test_an_operation_the_model_lacks_fails_at_import() -> None:
    with pytest.raises(LookupError, match="GetPhoneNumbr is not an operation"):
        Operations()("GetPhoneNumbr")


def test_every_table_belongs_to_one_family_or_the_platform() -> None:
    registry = load()
    declared = [table.name for table in registry.tables]
    assert len(declared) == len(set(declared))
    assert set(declared) == set(schema.metadata.tables)
    assert {t.name for t in PLATFORM_TABLES} <= set(declared)


def test_the_migrated_database_has_exactly_the_declared_tables(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path}/t.db")
    store.migrate()
    with store.read() as connection:
        found = set(inspect(connection).get_table_names())
    store.close()
    assert found == {t.name for t in load().tables} | {"alembic_version"}


def test_a_stored_timer_nothing_can_run_fails_at_startup(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    LocalChime(settings).close()
    store = Store(settings.storage_url)
    with store.write() as connection:
        connection.execute(insert(schema.timers).values(due_ms=1, kind="fax.send", ref="x"))
    store.close()
    with pytest.raises(UnknownTimerKind, match=r"fax.send"):
        LocalChime(settings)
