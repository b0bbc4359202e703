"""Cross-family events (core/events.py): a reaction runs in the publisher's transaction, so it
commits or rolls back with the write; the registry refuses at startup an event declared twice,
a reaction to an undeclared event and a family reacting twice to one event."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, func, select

from localchime import registry
from localchime.core.events import Event, Events, EventType, Reactions, UndeclaredEvent
from localchime.core.family import DuplicateRegistration, Family
from localchime.families.phone_numbers.public import NUMBER_HOLDER_DELETED
from localchime.families.proxy_sessions import reactions as proxy_reactions
from localchime.families.proxy_sessions.tables import (
    proxy_sessions,
    voice_connector_setting_removals,
)
from localchime.families.voice_connectors.public import CONNECTOR_DELETED, SETTING_DELETED
from localchime.store import Store
from tests.harness import InProcessChime

RANG = EventType("bell.rang", ("bell",))
# A table of the test's own, outside the service's metadata, for a reaction to write.
LOG = Table(
    "event_log", MetaData(), Column("id", Integer, primary_key=True), Column("bell", String)
)


def log_bell(connection: Connection, event: Event) -> None:
    connection.execute(LOG.insert().values(bell=event.payload["bell"]))


def bell_families(*reacting: Family) -> tuple[Family, ...]:
    return (Family(name="bells", events=(RANG,)), *reacting)


def reacting_family(name: str = "log", *events: EventType) -> Family:
    reactions = Reactions()
    for event in events or (RANG,):
        reactions(event)(log_bell)
    return Family(name=name, reactions=(reactions,))


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/events.db"
    else:
        url = request.getfixturevalue("pg_url")
    store = Store(url)
    with store.write() as connection:
        LOG.create(connection)
    yield store
    with store.write() as connection:
        LOG.drop(connection)
    store.close()


def logged(store: Store) -> list[str]:
    with store.read() as connection:
        return [row[0] for row in connection.execute(select(LOG.c.bell).order_by(LOG.c.id))]


def test_a_reaction_commits_with_the_write_that_published(store: Store) -> None:
    events = registry.load(bell_families(reacting_family())).events
    with store.write() as connection:
        events.publish(connection, RANG, bell="front")
    assert logged(store) == ["front"]


def test_a_rollback_loses_the_reaction_too(store: Store) -> None:
    events = registry.load(bell_families(reacting_family())).events
    with pytest.raises(RuntimeError), store.write() as connection:
        events.publish(connection, RANG, bell="front")
        raise RuntimeError("the write fails after publishing")
    assert logged(store) == []


def test_every_family_that_reacts_runs_in_family_order(store: Store) -> None:
    seen: list[str] = []
    first, second = Reactions(), Reactions()
    first(RANG)(lambda _c, e: seen.append(f"first {e.payload['bell']}"))
    second(RANG)(lambda _c, e: seen.append(f"second {e.payload['bell']}"))
    families = bell_families(Family("a", reactions=(first,)), Family("b", reactions=(second,)))
    with store.write() as connection:
        registry.load(families).events.publish(connection, RANG, bell="back")
    assert seen == ["first back", "second back"]


def test_an_event_nobody_reacts_to_publishes_nothing(store: Store) -> None:
    with store.write() as connection:
        registry.load(bell_families()).events.publish(connection, RANG, bell="side")
    assert logged(store) == []


def test_publishing_an_undeclared_event_or_a_wrong_payload_fails(store: Store) -> None:
    with store.write() as connection:
        with pytest.raises(UndeclaredEvent, match=r"event bell\.rang is declared by no loaded"):
            Events().publish(connection, RANG, bell="front")
        events = registry.load(bell_families()).events
        with pytest.raises(TypeError, match=r"bell.rang carries \['bell'\], not \['door'\]"):
            events.publish(connection, RANG, door="front")


def test_an_event_declared_twice_is_refused_at_load() -> None:
    twice = (*bell_families(), Family(name="chimes", events=(RANG,)))
    with pytest.raises(DuplicateRegistration, match=r"event \(in chimes\)"):
        registry.load(twice)


def test_a_reaction_to_an_undeclared_event_is_refused_at_load() -> None:
    with pytest.raises(
        UndeclaredEvent, match=r"log reacts to bell\.rang, which no family declares"
    ):
        registry.load((reacting_family(),))


def test_a_family_reacting_twice_to_one_event_is_refused_at_load() -> None:
    twice = Family(name="log", reactions=(Reactions(), Reactions()))
    for reactions in twice.reactions:
        reactions(RANG)(log_bell)
    with pytest.raises(DuplicateRegistration, match="reaction"):
        registry.load(bell_families(twice))


def test_the_service_declares_the_events_its_families_react_to() -> None:
    events = registry.load().events
    assert {CONNECTOR_DELETED, SETTING_DELETED, NUMBER_HOLDER_DELETED} <= events.declared
    assert events.reactions[CONNECTOR_DELETED] == (proxy_reactions.connector_deleted,)
    assert events.reactions[SETTING_DELETED] == (proxy_reactions.proxy_configuration_deleted,)


def test_deleting_a_connector_takes_its_sessions_and_removals(_inprocess: InProcessChime) -> None:
    chime = _inprocess
    chime.reset()
    client = chime.client()
    kept, dropped = (
        client.create_voice_connector(Name=name, RequireEncryption=True)["VoiceConnector"][
            "VoiceConnectorId"
        ]
        for name in ("kept", "dropped")
    )
    client.create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=["+12065550100", "+12065550101"]
    )
    chime.advance(5)
    for connector_id, number in ((kept, "+12065550100"), (dropped, "+12065550101")):
        client.associate_phone_numbers_with_voice_connector(
            VoiceConnectorId=connector_id, E164PhoneNumbers=[number]
        )
        client.put_voice_connector_proxy(
            VoiceConnectorId=connector_id,
            DefaultSessionExpiryMinutes=60,
            PhoneNumberPoolCountries=["US"],
        )
        client.create_proxy_session(
            VoiceConnectorId=connector_id,
            ParticipantPhoneNumbers=["+14015550101", "+14015550102"],
            Capabilities=["Voice"],
        )
        client.delete_voice_connector_proxy(VoiceConnectorId=connector_id)
        client.disassociate_phone_numbers_from_voice_connector(
            VoiceConnectorId=connector_id, E164PhoneNumbers=[number]
        )

    def rows(connector_id: str) -> list[int]:
        with chime.app.store.read() as connection:
            return [
                connection.execute(
                    select(func.count())
                    .select_from(table)
                    .where(table.c.voice_connector_id == connector_id)
                ).scalar_one()
                for table in (proxy_sessions, voice_connector_setting_removals)
            ]

    assert (rows(kept), rows(dropped)) == ([1, 1], [1, 1])
    client.delete_voice_connector(VoiceConnectorId=dropped)
    assert (rows(kept), rows(dropped)) == ([1, 1], [0, 0])
