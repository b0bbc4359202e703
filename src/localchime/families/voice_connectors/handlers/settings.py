"""A connector's origination, emergency calling, streaming, logging, external systems and proxy
settings, and the account's global settings. Termination, its credentials and health are in
`termination.py`; the kinds of setting and the shared Put/Get/Delete are in `documents.py`.

The rules beyond the model's (SPEC: Voice Connectors):
- origination needs Routes or Disabled; at most 10 routes (the model says both "maximum 20" and
  "ten routes per Voice Connector"; localchime takes the lower, so what works here works on
  AWS); each route a host name or IP address, and TCP on a connector that requires encryption
  (SIP over TLS runs on TCP only);
- emergency calling is US-only and needs termination and origination; while it is configured,
  neither can be deleted;
- the proxy answer renames `PhoneNumberPoolCountries` to `PhoneNumberCountries`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.core.lists import repeated, shown
from localchime.families.voice_connectors import repository as repo
from localchime.families.voice_connectors.documents import (
    EMERGENCY,
    EXTERNAL,
    LOGGING,
    ORIGINATION,
    PROXY,
    STREAMING,
    TERMINATION,
    Build,
    Document,
    delete_setting,
    get_setting,
    put_setting,
    refuse_while_emergency_calling,
)
from localchime.families.voice_connectors.repository import ConnectorRecord
from localchime.families.voice_connectors.rules import country_codes, is_host, plus_prefixed
from localchime.protocol.errors import BadRequest

OPERATIONS = Operations()

MAX_ROUTES = 10
DEFAULT_SIP_PORT = 5060


def check_encryption_allows_routes(connection: Connection, connector_id: str) -> None:
    origination = repo.document_in(connection, connector_id, ORIGINATION.kind) or {}
    udp = [route["Host"] for route in origination.get("Routes", []) if route["Protocol"] == "UDP"]
    if udp:
        raise BadRequest(
            f"RequireEncryption needs TCP origination routes (SIP over TLS); the routes to "
            f"{', '.join(udp)} use UDP"
        )


# Origination


def _route(route: dict[str, Any], encrypted: bool) -> dict[str, Any]:
    missing = [m for m in ("Host", "Protocol", "Priority", "Weight") if m not in route]
    if missing:
        raise BadRequest(f"Origination Routes: each route needs {', '.join(missing)}")
    if not is_host(route["Host"]):
        raise BadRequest(
            f"Origination route Host '{route['Host']}' is not an IP address or a fully "
            "qualified domain name"
        )
    if encrypted and route["Protocol"] != "TCP":
        raise BadRequest(
            f"Origination route to {route['Host']} uses {route['Protocol']}; this Voice "
            "Connector requires encryption, which needs TCP (SIP over TLS)"
        )
    return {
        "Host": route["Host"],
        "Port": route.get("Port", DEFAULT_SIP_PORT),
        "Protocol": route["Protocol"],
        "Priority": route["Priority"],
        "Weight": route["Weight"],
    }


def _origination(params: Params) -> Build:
    given = params["Origination"]

    def build(_connection: Connection, connector: ConnectorRecord) -> Document:
        if not given.get("Routes") and "Disabled" not in given:
            raise BadRequest("Origination needs at least one route in Routes, or Disabled")
        routes = [_route(r, connector.require_encryption) for r in given.get("Routes", [])]
        if len(routes) > MAX_ROUTES:
            raise BadRequest(
                f"Origination Routes holds {len(routes)} routes; a Voice Connector has at most "
                f"{MAX_ROUTES}"
            )
        twice = repeated(f"{r['Host']}:{r['Port']}/{r['Protocol']}" for r in routes)
        if twice:
            raise BadRequest(f"Origination Routes names {shown(twice)} more than once")
        return {"Routes": routes, "Disabled": given.get("Disabled", False)}

    return build


@OPERATIONS("PutVoiceConnectorOrigination")
def put_origination(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return put_setting(ctx, params, ORIGINATION, _origination(params))


@OPERATIONS("GetVoiceConnectorOrigination")
def get_origination(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return get_setting(ctx, params, ORIGINATION)


@OPERATIONS("DeleteVoiceConnectorOrigination")
def delete_origination(ctx: RequestContext, params: Params) -> None:
    delete_setting(ctx, params, ORIGINATION, refuse_while_emergency_calling("origination"))


# Emergency calling


def _emergency(params: Params) -> Build:
    dnis = params["EmergencyCallingConfiguration"].get("DNIS", [])

    def build(connection: Connection, connector: ConnectorRecord) -> Document:
        if not dnis:
            raise BadRequest("EmergencyCallingConfiguration.DNIS needs at least one entry")
        outside_us = sorted({d["CallingCountry"] for d in dnis if d["CallingCountry"] != "US"})
        if outside_us:
            raise BadRequest(
                "Emergency calling is available in the US only; CallingCountry "
                f"{', '.join(outside_us)} is not supported"
            )
        connector_id = connector.voice_connector_id
        for needed in (TERMINATION, ORIGINATION):
            if repo.document_in(connection, connector_id, needed.kind) is None:
                raise BadRequest(
                    f"Emergency calling needs termination and origination; Voice Connector "
                    f"{connector_id} has no {needed.what}"
                )
        return {"DNIS": [_dnis(entry) for entry in dnis]}

    return build


def _dnis(entry: dict[str, Any]) -> dict[str, Any]:
    view = {
        "EmergencyPhoneNumber": plus_prefixed(entry["EmergencyPhoneNumber"]),
        "CallingCountry": entry["CallingCountry"],
    }
    if "TestPhoneNumber" in entry:
        view["TestPhoneNumber"] = plus_prefixed(entry["TestPhoneNumber"])
    return view


@OPERATIONS("PutVoiceConnectorEmergencyCallingConfiguration")
def put_emergency(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return put_setting(ctx, params, EMERGENCY, _emergency(params))


@OPERATIONS("GetVoiceConnectorEmergencyCallingConfiguration")
def get_emergency(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return get_setting(ctx, params, EMERGENCY)


@OPERATIONS("DeleteVoiceConnectorEmergencyCallingConfiguration")
def delete_emergency(ctx: RequestContext, params: Params) -> None:
    delete_setting(ctx, params, EMERGENCY)


# Streaming


def _streaming(params: Params) -> Build:
    given = params["StreamingConfiguration"]

    def build(_connection: Connection, _connector: ConnectorRecord) -> Document:
        entries = given.get("StreamingNotificationTargets", [])
        if any("NotificationTarget" not in entry for entry in entries):
            raise BadRequest(
                "StreamingNotificationTargets: each entry needs a NotificationTarget "
                "(EventBridge, SNS or SQS)"
            )
        targets = [entry["NotificationTarget"] for entry in entries]
        twice = repeated(targets)
        if twice:
            raise BadRequest(f"StreamingNotificationTargets names {shown(twice)} more than once")
        insights = given.get("MediaInsightsConfiguration")
        enabled = insights is not None and not insights.get("Disabled", False)
        if enabled and "ConfigurationArn" not in insights:
            raise BadRequest(
                "MediaInsightsConfiguration needs a ConfigurationArn unless it is Disabled"
            )
        return dict(given)

    return build


@OPERATIONS("PutVoiceConnectorStreamingConfiguration")
def put_streaming(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return put_setting(ctx, params, STREAMING, _streaming(params))


@OPERATIONS("GetVoiceConnectorStreamingConfiguration")
def get_streaming(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return get_setting(ctx, params, STREAMING)


@OPERATIONS("DeleteVoiceConnectorStreamingConfiguration")
def delete_streaming(ctx: RequestContext, params: Params) -> None:
    delete_setting(ctx, params, STREAMING)


# Logging (no Delete in the model)


@OPERATIONS("PutVoiceConnectorLoggingConfiguration")
def put_logging(ctx: RequestContext, params: Params) -> dict[str, Any]:
    given = params["LoggingConfiguration"]

    def build(_connection: Connection, _connector: ConnectorRecord) -> Document:
        return {
            "EnableSIPLogs": given.get("EnableSIPLogs", False),
            "EnableMediaMetricLogs": given.get("EnableMediaMetricLogs", False),
        }

    return put_setting(ctx, params, LOGGING, build)


@OPERATIONS("GetVoiceConnectorLoggingConfiguration")
def get_logging(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return get_setting(ctx, params, LOGGING)


# External systems


@OPERATIONS("PutVoiceConnectorExternalSystemsConfiguration")
def put_external_systems(ctx: RequestContext, params: Params) -> dict[str, Any]:
    members = ("SessionBorderControllerTypes", "ContactCenterSystemTypes")

    def build(_connection: Connection, _connector: ConnectorRecord) -> Document:
        if not any(params.get(member) for member in members):
            raise BadRequest("Give SessionBorderControllerTypes, ContactCenterSystemTypes, or both")
        for member in members:
            values = params.get(member, [])
            twice = repeated(values)
            if twice:
                raise BadRequest(f"{member} names {shown(twice)} more than once")
        return {member: params.get(member, []) for member in members}

    return put_setting(ctx, params, EXTERNAL, build)


@OPERATIONS("GetVoiceConnectorExternalSystemsConfiguration")
def get_external_systems(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return get_setting(ctx, params, EXTERNAL)


@OPERATIONS("DeleteVoiceConnectorExternalSystemsConfiguration")
def delete_external_systems(ctx: RequestContext, params: Params) -> None:
    delete_setting(ctx, params, EXTERNAL)


# Proxy


@OPERATIONS("PutVoiceConnectorProxy")
def put_proxy(ctx: RequestContext, params: Params) -> dict[str, Any]:
    def build(_connection: Connection, _connector: ConnectorRecord) -> Document:
        minutes = params["DefaultSessionExpiryMinutes"]
        if minutes < 1:
            raise BadRequest(f"DefaultSessionExpiryMinutes must be at least 1; got {minutes}")
        document: Document = {
            "DefaultSessionExpiryMinutes": minutes,
            "Disabled": params.get("Disabled", False),
            "PhoneNumberCountries": country_codes(
                "PhoneNumberPoolCountries", params["PhoneNumberPoolCountries"]
            ),
        }
        if "FallBackPhoneNumber" in params:
            document["FallBackPhoneNumber"] = plus_prefixed(params["FallBackPhoneNumber"])
        return document

    return put_setting(ctx, params, PROXY, build)


@OPERATIONS("GetVoiceConnectorProxy")
def get_proxy(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return get_setting(ctx, params, PROXY)


@OPERATIONS("DeleteVoiceConnectorProxy")
def delete_proxy(ctx: RequestContext, params: Params) -> None:
    delete_setting(ctx, params, PROXY)


# Global settings


@OPERATIONS("GetGlobalSettings")
def get_global_settings(ctx: RequestContext, _params: Params) -> dict[str, Any]:
    bucket = repo.cdr_bucket(ctx.reads, ctx.account)
    return {"VoiceConnector": {} if bucket is None else {"CdrBucket": bucket}}


@OPERATIONS("UpdateGlobalSettings")
def update_global_settings(ctx: RequestContext, params: Params) -> None:
    # SPEC (R): Terraform "deletes" the settings by sending `VoiceConnector: {}`.
    bucket = params["VoiceConnector"].get("CdrBucket")
    with ctx.store.write() as connection:
        repo.put_cdr_bucket(connection, ctx.account, bucket, ctx.now_ms)
