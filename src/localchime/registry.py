"""The one list of families, and the one function that loads them.

`load()` merges every family's operations, timed transitions, control routes and tables into a
`Registry`, and fails at startup on a name claimed twice. `NOT_YET` names, with the reason, each
model operation no family implements yet: `tests/test_registry.py` holds that the two together
are exactly the model's operations, and `localchime coverage` and README's count read both.

Adding a family: write its package under `families/`, add it to FAMILIES, add its migration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from sqlalchemy import Table

from localchime import auth
from localchime.core.family import (
    ControlRoute,
    DuplicateRegistration,
    Family,
    Handler,
    Transition,
)
from localchime.families import e911, orders, phone_numbers, porting, voice_connectors
from localchime.store import schema

FAMILIES: tuple[Family, ...] = (
    auth.FAMILY,
    phone_numbers.FAMILY,
    orders.FAMILY,
    porting.FAMILY,
    e911.FAMILY,
    voice_connectors.FAMILY,
)

K = TypeVar("K")
V = TypeVar("V")

PLATFORM_TABLES: tuple[Table, ...] = (schema.meta, schema.service_clock, schema.timers)

NOT_YET: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "Voice Connectors, groups, their settings and number associations (issue 9)": (
            "AssociatePhoneNumbersWithVoiceConnector",
            "AssociatePhoneNumbersWithVoiceConnectorGroup",
            "CreateVoiceConnector",
            "CreateVoiceConnectorGroup",
            "DeleteVoiceConnector",
            "DeleteVoiceConnectorEmergencyCallingConfiguration",
            "DeleteVoiceConnectorExternalSystemsConfiguration",
            "DeleteVoiceConnectorGroup",
            "DeleteVoiceConnectorOrigination",
            "DeleteVoiceConnectorProxy",
            "DeleteVoiceConnectorStreamingConfiguration",
            "DeleteVoiceConnectorTermination",
            "DeleteVoiceConnectorTerminationCredentials",
            "DisassociatePhoneNumbersFromVoiceConnector",
            "DisassociatePhoneNumbersFromVoiceConnectorGroup",
            "GetGlobalSettings",
            "GetVoiceConnector",
            "GetVoiceConnectorEmergencyCallingConfiguration",
            "GetVoiceConnectorExternalSystemsConfiguration",
            "GetVoiceConnectorGroup",
            "GetVoiceConnectorLoggingConfiguration",
            "GetVoiceConnectorOrigination",
            "GetVoiceConnectorProxy",
            "GetVoiceConnectorStreamingConfiguration",
            "GetVoiceConnectorTermination",
            "GetVoiceConnectorTerminationHealth",
            "ListVoiceConnectorGroups",
            "ListVoiceConnectorTerminationCredentials",
            "ListVoiceConnectors",
            "PutVoiceConnectorEmergencyCallingConfiguration",
            "PutVoiceConnectorExternalSystemsConfiguration",
            "PutVoiceConnectorLoggingConfiguration",
            "PutVoiceConnectorOrigination",
            "PutVoiceConnectorProxy",
            "PutVoiceConnectorStreamingConfiguration",
            "PutVoiceConnectorTermination",
            "PutVoiceConnectorTerminationCredentials",
            "UpdateGlobalSettings",
            "UpdateVoiceConnector",
            "UpdateVoiceConnectorGroup",
        ),
        "SIP media applications, SIP rules and the call simulator (issue 10)": (
            "CreateSipMediaApplication",
            "CreateSipMediaApplicationCall",
            "CreateSipRule",
            "DeleteSipMediaApplication",
            "DeleteSipRule",
            "GetSipMediaApplication",
            "GetSipMediaApplicationAlexaSkillConfiguration",
            "GetSipMediaApplicationLoggingConfiguration",
            "GetSipRule",
            "ListSipMediaApplications",
            "ListSipRules",
            "PutSipMediaApplicationAlexaSkillConfiguration",
            "PutSipMediaApplicationLoggingConfiguration",
            "UpdateSipMediaApplication",
            "UpdateSipMediaApplicationCall",
            "UpdateSipRule",
        ),
        "Voice analytics, proxy sessions and tags, which hang off Voice Connectors (issue 11)": (
            "CreateProxySession",
            "CreateVoiceProfile",
            "CreateVoiceProfileDomain",
            "DeleteProxySession",
            "DeleteVoiceProfile",
            "DeleteVoiceProfileDomain",
            "GetProxySession",
            "GetSpeakerSearchTask",
            "GetVoiceProfile",
            "GetVoiceProfileDomain",
            "GetVoiceToneAnalysisTask",
            "ListProxySessions",
            "ListTagsForResource",
            "ListVoiceProfileDomains",
            "ListVoiceProfiles",
            "StartSpeakerSearchTask",
            "StartVoiceToneAnalysisTask",
            "StopSpeakerSearchTask",
            "StopVoiceToneAnalysisTask",
            "TagResource",
            "UntagResource",
            "UpdateProxySession",
            "UpdateVoiceProfile",
            "UpdateVoiceProfileDomain",
        ),
    }
)


@dataclass(frozen=True)
class Registry:
    """Everything the loaded families add to the service, merged."""

    families: tuple[Family, ...]
    operations: Mapping[str, Handler]
    transitions: Mapping[str, Transition]
    routes: tuple[ControlRoute, ...]
    tables: tuple[Table, ...]

    def owner_of(self, operation: str) -> str:
        """The family that implements an operation."""
        for family in self.families:
            if any(name == operation for name, _ in family.handlers()):
                return family.name
        raise KeyError(operation)


def load(families: tuple[Family, ...] = FAMILIES) -> Registry:
    """Merges the families; a second claim on an operation, timer kind, control route, table
    or family name raises DuplicateRegistration."""
    operations: dict[str, Handler] = {}
    transitions: dict[str, Transition] = {}
    routes: dict[tuple[str, str], ControlRoute] = {}
    tables: dict[str, Table] = {table.name: table for table in PLATFORM_TABLES}
    names: dict[str, Family] = {}
    for family in families:
        _claim(names, family.name, family, "family")
        for name, handler in family.handlers():
            _claim(operations, name, handler, f"operation (in {family.name})")
        for kind, transition in family.timed_transitions():
            _claim(transitions, kind, transition, f"timer kind (in {family.name})")
        for route in family.control_routes():
            _claim(routes, (route.method, route.template), route, f"route (in {family.name})")
        for table in family.tables:
            _claim(tables, table.name, table, f"table (in {family.name})")
    return Registry(
        families=families,
        operations=MappingProxyType(operations),
        transitions=MappingProxyType(transitions),
        routes=tuple(routes.values()),
        tables=tuple(tables.values()),
    )


def _claim(claimed: dict[K, V], key: K, value: V, what: str) -> None:
    if key in claimed:
        raise DuplicateRegistration(f"{what} {key} is claimed twice")
    claimed[key] = value


def not_yet() -> dict[str, str]:
    """Each operation no family implements yet, with the reason."""
    return {name: reason for reason, names in NOT_YET.items() for name in names}
