"""Runtime settings: every knob that changes behaviour, with its default and environment variable.

README lists these. A CLI flag beats the environment variable, which beats the default.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from localchime.core.reach import DEFAULT_INVOKE_ALLOW, bad_allow_entry, url_host_allowed

ENV_PREFIX = "LOCALCHIME_"
QUOTA_PROFILES = ("lenient", "aws")
AUTH_MODES = ("off", "verify")
LOG_LEVELS = ("debug", "info", "warning", "error")
POSITIVE_SECONDS = (
    "body_timeout_seconds",
    # 0 would close every connection at once, before or after its request.
    "header_timeout_seconds",
    "keep_alive_timeout_seconds",
    "lifecycle_poll_seconds",
    # 0 would mean "wait forever" to PostgreSQL, the freeze these knobs exist to prevent.
    "database_lock_timeout_seconds",
    "database_statement_timeout_seconds",
    "lambda_timeout_seconds",
)
"""Must be more than 0: a timeout or a poll interval of 0 makes no sense. Every other
`*_seconds` field may be 0 (a transition at once), never negative."""
COUNTS = ("max_numbers_per_order", "max_body_bytes")
"""Whole numbers, 1 or more."""
BOOTSTRAP_FORM = "AKID:SECRET:ACCOUNT[:PRINCIPAL]"
MAX_REQUEST_THREADS = 256


class SettingError(ValueError):
    """A setting that breaks its rule. The message names the environment variable; `name`,
    `rule` and `shown` let the CLI name a flag instead when the value came from one."""

    def __init__(self, name: str, rule: str, shown: str | None = None) -> None:
        self.name = name
        self.rule = rule
        self.shown = shown
        super().__init__(self.message(ENV_PREFIX + name.upper()))

    def message(self, source: str) -> str:
        """`SOURCE must be …; got …`, SOURCE being the variable or the flag that set it."""
        got = "" if self.shown is None else f"; got {self.shown}"
        return f"{source} {self.rule}{got}"


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 4575
    data_dir: Path = field(default_factory=lambda: Path(".localchime"))
    database_url: str | None = None
    ephemeral: bool = False
    order_fulfilment_seconds: float = 5.0
    """Service-clock seconds from CreatePhoneNumberOrder to the order's completion."""
    max_numbers_per_order: int = 500
    quota_profile: str = "lenient"
    """`lenient`: no quotas. `aws`: AWS's default quotas, e.g. 5 provisioned numbers (SPEC)."""
    calling_name_update_seconds: float = 72 * 3600.0
    """Service-clock seconds a calling-name update stays UpdateInProgress (SPEC: up to 72 h)."""
    max_body_bytes: int = 1024 * 1024
    porting_cancel_seconds: float = 3600.0
    """Service-clock seconds from a porting order's `cancel` to Cancelled, and again from
    Cancelled until its numbers leave the inventory."""
    porting_foc_confirm_seconds: float = 2 * 86400.0
    """The happy-path scenario's carrier confirms a FOC date this long after submission."""
    porting_foc_lead_seconds: float = 5 * 86400.0
    """…and, unless a later date was requested, ports the numbers this long after confirming."""
    database_lock_timeout_seconds: float = 5.0
    """How long a request waits for a lock another transaction holds before it gets a 503 (on
    PostgreSQL `lock_timeout`; on SQLite the busy timeout)."""
    database_statement_timeout_seconds: float = 30.0
    """How long one PostgreSQL statement may run before it is cancelled and the request gets a
    503 (`statement_timeout`)."""
    porting_requires_voice_connector: bool = True
    """AWS requires a Voice Connector in the Region before VoiceConnector numbers are ported
    (SPEC: porting orders). Off restores the behaviour before Voice Connectors existed."""
    lambda_timeout_seconds: float = 5.0
    """How long each attempt to invoke a PSTN audio handler may take (SPEC-voice: the service
    waits 5 s, then retries once; docs/pstn-audio.md)."""
    lambda_endpoint: str | None = None
    """A Lambda-API-compatible endpoint (LocalStack, `http://localhost:4566`) that runs the
    handlers no registration names. Its host must be on `invoke_allow`."""
    invoke_allow: str = DEFAULT_INVOKE_ALLOW
    """Hosts an `InvokeUrl` or the Lambda endpoint may name, comma-separated: names, addresses,
    CIDR blocks, `loopback` (localhost and every loopback address) or `*` (any)."""
    handler_path: str | None = None
    """Directories (joined by the OS path separator) from which a Python `Handler` registered
    through the control API may be imported. Unset: any importable module with `--auth off`,
    none with `--auth verify`. `*`: any module (what `mock_chime` uses)."""
    auth: str = "off"
    """`off`: any credentials, the account from the key. `verify`: SigV4 checked against the
    credentials registry, and identity policies enforced."""
    control_token: str | None = None
    """When set, every /_localchime path but health needs `Authorization: Bearer <token>`.
    Under `--auth verify` the server makes one if none is given (`control.token`)."""
    control_token_file: str | None = None
    """A file holding the control token, so it never shows in the process list."""
    insecure_bind: bool = False
    """Allows listening beyond loopback with `--auth off` and no control token, which leaves
    the control API (credentials, the clock, reset) open to the network."""
    bootstrap_credentials: str | None = None
    """`AKID:SECRET:ACCOUNT[:PRINCIPAL]`, registered at startup."""
    body_timeout_seconds: float = 30.0
    """A client must deliver its whole body within this many seconds once its headers are in."""
    header_timeout_seconds: float = 10.0
    """A connection must deliver a complete request head within this many seconds of opening,
    or of the first byte of its next request; otherwise the server closes it (with a 408 if part
    of a head had arrived). Idle and trickling connections cannot pile up."""
    keep_alive_timeout_seconds: float = 30.0
    """A keep-alive connection idle this long after a response is closed."""
    request_threads: str = "auto"
    """Worker threads that run API and control requests off the event loop, or 0 to run them on
    the loop. `auto`: on PostgreSQL as many as the connection pool holds, so a request waiting
    on a lock holds one thread, never the replica; on SQLite 0, whose one connection serves a
    request in tens of microseconds, less than a hop to a thread (docs/benchmarks.md)."""
    lifecycle_poll_seconds: float = 0.5
    """How often, in real seconds, the background task runs transitions that fell due."""
    log_level: str = "warning"
    """debug, info, warning or error: what the server logs."""
    access_log: bool = False
    """One line per request at INFO: method, operation, status, duration, request id, account;
    never a secret, a phone number or an address."""
    strict_output: bool = False
    """Raise on an output member the model does not have, instead of leaving it out: the test
    suite turns this on, so a misspelled key fails a test rather than vanishing."""

    def __post_init__(self) -> None:
        _check_choice("quota_profile", self.quota_profile, QUOTA_PROFILES)
        _check_choice("auth", self.auth, AUTH_MODES)
        _check_choice("log_level", self.log_level, LOG_LEVELS)
        _check_numbers(self)
        if self.request_threads != "auto" and not (
            self.request_threads.isascii()
            and self.request_threads.isdigit()
            and int(self.request_threads) <= MAX_REQUEST_THREADS
        ):
            raise SettingError(
                "request_threads",
                f"must be auto or a whole number from 0 to {MAX_REQUEST_THREADS}",
                repr(self.request_threads),
            )
        if self.lambda_endpoint and not self.lambda_endpoint.startswith(("http://", "https://")):
            raise SettingError(
                "lambda_endpoint", "must be an http:// or https:// URL", repr(self.lambda_endpoint)
            )
        _check_reach(self)
        if self.bootstrap_credentials:
            _check_bootstrap_form(self.bootstrap_credentials)
        # The CLI and the environment hand over text; Path() of a Path is the same path.
        object.__setattr__(self, "data_dir", Path(self.data_dir))

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Reads LOCALCHIME_* variables; keyword overrides that are not None win."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, object] = {}
        for spec in fields(cls):
            raw = environ.get(ENV_PREFIX + spec.name.upper())
            if raw is not None and raw != "":
                values[spec.name] = _coerce(spec.name, raw, spec.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        # Each value was coerced to its field's type by _coerce, or is an override the caller
        # typed; mypy cannot follow a dict keyed by field name.
        return cls(**values)  # type: ignore[arg-type]

    @property
    def storage_url(self) -> str:
        if self.database_url:
            return self.database_url
        if self.ephemeral:
            return "sqlite://"
        return f"sqlite:///{self.data_dir / 'localchime.db'}"


def _coerce(name: str, raw: str, annotation: object) -> object:
    text = str(annotation)
    try:
        if text == "bool":
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if text == "int":
            return int(raw)
        if text == "float":
            return float(raw)
    except ValueError:
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {text}") from None
    return raw


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise SettingError(name, f"must be one of: {', '.join(allowed)}", repr(value))


def _check_numbers(settings: Settings) -> None:
    if not 0 <= settings.port <= 65535:
        raise SettingError("port", "must be 0 to 65535", str(settings.port))
    for spec in fields(settings):
        if spec.name.endswith("_seconds"):
            _check_seconds(spec.name, getattr(settings, spec.name))
    for name in COUNTS:
        if getattr(settings, name) < 1:
            raise SettingError(
                name, "must be a whole number, 1 or more", str(getattr(settings, name))
            )


def _check_seconds(name: str, value: float) -> None:
    if name in POSITIVE_SECONDS:
        if not (math.isfinite(value) and value > 0):
            raise SettingError(name, "must be a finite number of seconds above 0", f"{value:g}")
    elif not (math.isfinite(value) and value >= 0):
        raise SettingError(name, "must be a finite number of seconds, 0 or more", f"{value:g}")


def _check_reach(settings: Settings) -> None:
    bad = bad_allow_entry(settings.invoke_allow)
    if bad is not None:
        raise SettingError(
            "invoke_allow", "must list host names, addresses, CIDR blocks or loopback", repr(bad)
        )
    endpoint = settings.lambda_endpoint
    if endpoint and not url_host_allowed(endpoint, settings.invoke_allow):
        raise SettingError(
            "lambda_endpoint",
            "must name a host on LOCALCHIME_INVOKE_ALLOW (default: loopback only)",
            repr(endpoint),
        )


def _check_bootstrap_form(spec: str) -> None:
    """The form only; the parts' own rules are the control API's (`auth.credentials`). The value
    holds a secret, so the message does not repeat it."""
    parts = spec.split(":")
    if len(parts) not in (3, 4) or not all(parts):
        raise SettingError("bootstrap_credentials", f"must have the form {BOOTSTRAP_FORM}")
