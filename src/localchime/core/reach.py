"""Which hosts the server itself may contact: the `--invoke-allow` list.

An `InvokeUrl` registration and `LOCALCHIME_LAMBDA_ENDPOINT` make the server POST events to a
URL and keep the answer in the call's transcript. Without a limit, anyone who reaches the
control API could make the server fetch from any network it sits on (issue 20, break 3). The
list names hosts as written in the URL: names, IP addresses or CIDR blocks, and `loopback`
for `localhost` and every loopback address (the default). A name is never resolved to match an
address entry, so DNS cannot widen the list.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

LOOPBACK = "loopback"
DEFAULT_INVOKE_ALLOW = LOOPBACK


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allow_entries(allow: str) -> list[str]:
    return [entry.strip().lower() for entry in allow.split(",") if entry.strip()]


def bad_allow_entry(allow: str) -> str | None:
    """The first entry that is neither `loopback`, `*`, a host name, an address nor a block."""
    for entry in allow_entries(allow):
        if entry in (LOOPBACK, "*") or "/" not in entry:
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            return entry
    return None


def host_allowed(host: str, allow: str) -> bool:
    host = host.strip("[]").lower()
    for entry in allow_entries(allow):
        if entry == "*" or entry == host or (entry == LOOPBACK and is_loopback(host)):
            return True
        if "/" in entry and _in_block(host, entry):
            return True
    return False


def url_host_allowed(url: str, allow: str) -> bool:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return bool(host) and host_allowed(str(host), allow)


def _in_block(host: str, block: str) -> bool:
    try:
        return ipaddress.ip_address(host) in ipaddress.ip_network(block, strict=False)
    except ValueError:
        return False
