"""Control endpoints for Voice Connectors: what AWS learns from the network, simulated.

- POST /_localchime/voice-connectors/{VoiceConnectorId}/termination-pings  ← {"Source": IP}
  → 201 {"VoiceConnectorId", "TerminationHealth": {"Timestamp", "Source"}}: a SIP OPTIONS ping
  from `Source` reached the connector's termination, now on the service clock. AWS answers
  pings only from the termination's allowed networks, so a Source outside `CidrAllowedList` is
  refused with 403 and recorded nowhere.
"""

from __future__ import annotations

import ipaddress

from localchime.core.clock import to_datetime
from localchime.core.control import (
    ControlContext,
    ControlError,
    ControlRequest,
    Reply,
    bad_control_request,
    control_not_found,
)
from localchime.core.family import ControlRoutes
from localchime.families.voice_connectors import repository as repo
from localchime.families.voice_connectors.settings import TERMINATION
from localchime.families.voice_connectors.termination import record_ping
from localchime.protocol.serializer import format_timestamp

ROUTES = ControlRoutes()


@ROUTES("POST", "/voice-connectors/{VoiceConnectorId}/termination-pings")
def termination_ping(ctx: ControlContext, request: ControlRequest) -> Reply:
    source = request.json().get("Source")
    try:
        address = ipaddress.ip_address(source) if isinstance(source, str) else None
    except ValueError:
        address = None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:203.0.113.5 is that IPv4 address
    if address is None:
        raise bad_control_request(
            f'Send {{"Source": IP address}}; got {source!r}, which is not an IP address'
        )
    connector_id = request.params["VoiceConnectorId"]
    now_ms = ctx.now_ms()
    with ctx.store.write() as connection:
        connector = repo.connector_by_id(connection, connector_id)
        if connector is None:
            raise control_not_found(f"Voice Connector {connector_id} does not exist")
        termination = repo.document_in(connection, connector_id, TERMINATION.kind)
        if termination is None:
            raise ControlError(
                409,
                "Conflict",
                f"Voice Connector {connector_id} has no termination settings to answer a ping",
            )
        allowed = [ipaddress.ip_network(c) for c in termination["CidrAllowedList"]]
        if not any(address in network for network in allowed):
            raise ControlError(
                403,
                "Forbidden",
                f"{address} is not in the termination's CidrAllowedList "
                f"({', '.join(termination['CidrAllowedList']) or 'empty'}); AWS ignores SIP "
                "OPTIONS from other sources",
            )
        record_ping(connection, connector_id, str(address), now_ms)
    timestamp = format_timestamp(to_datetime(now_ms))
    return 201, {
        "VoiceConnectorId": connector_id,
        "TerminationHealth": {"Timestamp": timestamp, "Source": str(address)},
    }
