"""Control endpoints for Voice Connectors: what AWS learns from the network, simulated.

- POST /_localchime/voice-connectors/{VoiceConnectorId}/termination-pings  ← {"Source": IP}
  → 201 {"VoiceConnectorId", "TerminationHealth": {"Timestamp", "Source"}}: a SIP OPTIONS ping
  from `Source` reached the connector's termination, now on the service clock. AWS answers
  pings only from the termination's allowed networks, so a Source outside `CidrAllowedList` is
  refused with 403 and recorded nowhere. The connector is found by its id alone, whatever its
  account: the control API stands for the network, which knows no accounts. Any key but Source
  is a 400.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from localchime.core.clock import to_datetime
from localchime.core.control import (
    ControlContext,
    ControlError,
    ControlRequest,
    Field,
    Reply,
    bad_control_request,
    control_not_found,
)
from localchime.core.family import ControlRoutes
from localchime.core.lists import shown
from localchime.families.voice_connectors import repository as repo
from localchime.families.voice_connectors.documents import TERMINATION
from localchime.families.voice_connectors.handlers.termination import record_ping
from localchime.protocol.serializer import format_timestamp

ROUTES = ControlRoutes()
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
PING_FIELDS = (
    Field("VoiceConnectorId", required=True, where="path", help="The pinged connector's id."),
    Field(
        "Source",
        required=True,
        help="The IP address the SIP OPTIONS ping comes from.",
        rule="an IP address",
        missing='Send {"Source": IP address}; got None, which is not an IP address',
    ),
)


@ROUTES(
    "POST",
    "/voice-connectors/{VoiceConnectorId}/termination-pings",
    name="termination-ping",
    fields=PING_FIELDS,
)
def termination_ping(ctx: ControlContext, request: ControlRequest) -> Reply:
    address = _source(request.fields()["Source"])
    connector_id = request.params["VoiceConnectorId"]
    now_ms = ctx.now_ms()
    with ctx.store.write() as connection:
        # Row-locked, so a ping cannot land on a connector being deleted.
        if repo.connector_by_id_for_update(connection, connector_id) is None:
            raise control_not_found(f"Voice Connector {connector_id} does not exist")
        termination = repo.document_in(connection, connector_id, TERMINATION.kind)
        _check_answerable(connector_id, termination, address)
        record_ping(connection, connector_id, str(address), now_ms)
    timestamp = format_timestamp(to_datetime(now_ms))
    return 201, {
        "VoiceConnectorId": connector_id,
        "TerminationHealth": {"Timestamp": timestamp, "Source": str(address)},
    }


def _source(given: Any) -> Address:
    try:
        address = ipaddress.ip_address(given) if isinstance(given, str) else None
    except ValueError:
        address = None
    if address is None:
        raise bad_control_request(
            f'Send {{"Source": IP address}}; got {given!r}, which is not an IP address'
        )
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:203.0.113.5 is that IPv4 address
    return address


def _check_answerable(
    connector_id: str, termination: dict[str, Any] | None, address: Address
) -> None:
    if termination is None:
        raise ControlError(
            409,
            "Conflict",
            f"Voice Connector {connector_id} has no termination settings to answer a ping",
        )
    allowed = termination["CidrAllowedList"]
    if not any(address in ipaddress.ip_network(cidr) for cidr in allowed):
        raise ControlError(
            403,
            "Forbidden",
            f"{address} is not in the termination's CidrAllowedList "
            f"({shown(allowed) or 'empty'}); AWS ignores SIP OPTIONS from other sources",
        )
