"""Serving every chime-sdk-voice client in process while a mock is active, as moto does.

One inert `before-send.chime-sdk-voice` handler joins botocore's built-in handlers when this
module is imported, so every botocore session created afterwards (boto3's default session
included) carries it. It answers only while a `LocalChimeMock` is active and returns None
otherwise, so the request goes on to the network as usual. Other services never reach it: the
event name is specific to chime-sdk-voice, which is also why it composes with moto's
`mock_aws`, whose handler answers only the services moto implements.

With `auth` off, localchime reads only the access key and Region of a request's SigV4 credential
scope and verifies nothing, so inside a mock the client skips computing the signature (a
`choose-signer` handler picks `ScopeOnlySigner`): profiling showed SigV4's hashing to be a
fifth of an in-process call. With `auth` verify, requests are signed as usual.

Inside a mock, boto3's default session also parses the UTC ISO 8601 timestamps localchime writes
(`2026-11-28T04:35:37.571Z`) without dateutil, into the very datetime botocore's own parser
returns; anything else goes to botocore's parser. dateutil was a quarter of an
in-process call that answers two timestamps.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
from botocore import auth, handlers
from botocore.awsrequest import AWSPreparedRequest, AWSRequest, AWSResponse
from botocore.utils import parse_timestamp as botocore_parse_timestamp
from dateutil import tz

Backend = Callable[[AWSPreparedRequest], AWSResponse]
SEND_EVENT = "before-send.chime-sdk-voice"
SIGNER_EVENT = "choose-signer.chime-sdk-voice"
SCOPE_ONLY = "localchime-scope-only"


@dataclass(frozen=True)
class Scope:
    backend: Backend
    signed: bool
    """Whether requests carry a real SigV4 signature (the mock verifies them)."""


_active: list[Scope] = []
"""The active mocks, innermost last."""


class ScopeOnlySigner:
    """Writes the SigV4 credential scope (access key, date, Region, service) and no signature.
    botocore needs only what `auth.BaseSigner` declares: the two class flags and `add_auth`."""

    REQUIRES_REGION = True
    REQUIRES_TOKEN = False

    def __init__(self, credentials: Any, service_name: str, region_name: str) -> None:
        self.credentials = credentials
        self.service_name = service_name
        self.region_name = region_name

    def add_auth(self, request: AWSRequest) -> None:
        access_key = self.credentials.access_key if self.credentials else "anonymous"
        day = _utc_day()
        scope = f"{access_key}/{day}/{self.region_name}/{self.service_name}/aws4_request"
        request.headers["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature=unsigned"
        )


_day: tuple[int, str] = (-1, "")


def _utc_day() -> str:
    """Today's UTC date as SigV4 writes it (`20261128`), formatted once a day."""
    global _day
    number = int(time.time() // 86_400)
    if _day[0] != number:
        _day = (number, dt.datetime.fromtimestamp(number * 86_400, dt.UTC).strftime("%Y%m%d"))
    return _day[1]


_UTC_ISO_8601 = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z")


_last_parsed: tuple[Any, str, dt.datetime | None] = (None, "", None)
"""(zone, text, datetime) of the last timestamp read: an answer's created and updated times are
often one text."""


def parse_timestamp(value: Any) -> dt.datetime:
    """botocore's `parse_timestamp`, without dateutil for `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`."""
    global _last_parsed
    zone = _zone_key()
    last_zone, last_text, last_moment = _last_parsed
    if value == last_text and zone == last_zone and last_moment is not None:
        return last_moment  # datetimes are immutable: sharing one is safe
    moment = _parse_timestamp(value)
    if isinstance(value, str):
        _last_parsed = (zone, value, moment)
    return moment


def _parse_timestamp(value: Any) -> dt.datetime:
    found = _UTC_ISO_8601.fullmatch(value) if isinstance(value, str) else None
    if found is not None:
        year, month, day, hour, minute, second, fraction = found.groups()
        try:
            naive = dt.datetime(
                int(year),
                int(month),
                int(day),
                int(hour),
                int(minute),
                int(second),
                int((fraction or "0").ljust(6, "0")),
            )
        except ValueError:
            naive = None  # not a real date; botocore's parser says why
        if naive is not None:
            return _as_dateutil_does(naive)
    result: dt.datetime = botocore_parse_timestamp(value)
    return result


def _as_dateutil_does(naive: dt.datetime) -> dt.datetime:
    """dateutil reads `Z` as the zone named UTC: local time if the machine's zone is named UTC
    (and really is UTC then), else its UTC singleton."""
    names = time.tzname
    if "UTC" in names:
        local = naive.replace(tzinfo=_local_zone())
        # A zone named UTC all year is UTC at every moment; else ask for this one.
        if names[0] == names[1] or local.tzname() == "UTC":
            return local
    return naive.replace(tzinfo=tz.UTC)


_local: tuple[tuple[Any, ...], tz.tzlocal | None] = ((), None)


def _zone_key() -> tuple[Any, ...]:
    """What the process's local zone is known by; `time.tzset()` changes it."""
    return (time.tzname, time.timezone, time.altzone, time.daylight)


def _local_zone() -> tz.tzlocal:
    """dateutil's `tzlocal()`, built again only when the process's zone changes (`tzset`):
    building one per timestamp was a fifth of parsing it."""
    global _local
    key = _zone_key()
    zone = _local[1]
    if _local[0] != key or zone is None:
        zone = tz.tzlocal()
        _local = (key, zone)
    return zone


def _dispatch(request: AWSPreparedRequest, **_kwargs: Any) -> AWSResponse | None:
    return _active[-1].backend(request) if _active else None


def _choose_signer(**_kwargs: Any) -> str | None:
    return SCOPE_ONLY if _active and not _active[-1].signed else None


def _install() -> None:
    auth.AUTH_TYPE_MAPS.setdefault(SCOPE_ONLY, ScopeOnlySigner)
    for entry in ((SEND_EVENT, _dispatch), (SIGNER_EVENT, _choose_signer)):
        if entry not in handlers.BUILTIN_HANDLERS:
            handlers.BUILTIN_HANDLERS.append(entry)


def activate(scope: Scope) -> None:
    _active.append(scope)
    # A default session built before this module was imported lacks the handlers: a fresh one
    # has them (moto resets it the same way).
    boto3.setup_default_session()
    fast_timestamps(boto3.DEFAULT_SESSION)


def fast_timestamps(session: Any) -> None:
    """Clients the boto3 `session` creates from now on parse timestamps with `parse_timestamp`."""
    factory = session._session.get_component("response_parser_factory")
    factory.set_parser_defaults(timestamp_parser=parse_timestamp)


def deactivate(scope: Scope) -> None:
    _active.remove(scope)
    boto3.DEFAULT_SESSION = None


_install()
