"""Checks the model cannot express for Voice Connector settings: CIDR blocks, ISO country codes,
origination hosts, SIP credentials. Each failure names the member and the rule."""

from __future__ import annotations

import ipaddress
import re

import phonenumbers

from localchime.core.lists import repeated, shown
from localchime.protocol.errors import BadRequest

NOT_ISO_3166 = frozenset({"XK", "AC", "TA"})
"""phonenumbers' regions that ISO 3166-1 has not assigned: Kosovo's user-assigned code, and
Ascension and Tristan da Cunha's exceptionally reserved ones."""
COUNTRIES = frozenset(
    code for code in phonenumbers.SUPPORTED_REGIONS if code.isalpha() and code not in NOT_ISO_3166
)
"""ISO 3166-1 alpha-2 codes of every country with a telephone numbering plan."""

TERMINATION_PREFIXES = range(27, 33)
"""SPEC (termination, R): AWS's console and the Terraform provider accept /27 to /32 IPv4
networks only; localchime enforces the same, so a setup that works here works there."""

_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_SIP_TOKEN = re.compile(r"[\x21-\x7e]+")
"""RFC 2617 credentials are US-ASCII; printable characters without spaces."""


def country_codes(member: str, codes: list[str]) -> list[str]:
    unknown = sorted({code for code in codes if code not in COUNTRIES})
    if unknown:
        raise BadRequest(
            f"{member} must hold ISO 3166-1 alpha-2 country codes such as US or GB; "
            f"not: {shown(unknown)}"
        )
    twice = repeated(codes)
    if twice:
        raise BadRequest(f"{member} names {shown(twice)} more than once")
    return codes


def termination_cidrs(cidrs: list[str], *, dual_stack: bool) -> list[str]:
    """Each entry a network in CIDR notation; IPv4 /27 to /32, IPv6 only on DUAL_STACK."""
    for cidr in cidrs:
        try:
            network = ipaddress.ip_network(cidr, strict=True)
        except ValueError as error:
            raise BadRequest(
                f"CidrAllowedList entry '{cidr}' is not a network in CIDR notation "
                f"such as 203.0.113.0/27: {error}"
            ) from None
        if network.version == 6 and not dual_stack:
            raise BadRequest(
                f"CidrAllowedList entry '{cidr}' is IPv6; this Voice Connector's NetworkType is "
                "IPV4_ONLY"
            )
        if network.version == 4 and network.prefixlen not in TERMINATION_PREFIXES:
            raise BadRequest(
                f"CidrAllowedList entry '{cidr}' is a /{network.prefixlen}; Voice Connector "
                "termination accepts /27 to /32 networks only"
            )
    twice = repeated(cidrs)
    if twice:
        raise BadRequest(f"CidrAllowedList names {shown(twice)} more than once")
    return cidrs


def is_host(text: str) -> bool:
    """An IP address or a fully qualified domain name (SPEC: origination routes)."""
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        pass
    labels = text.rstrip(".").split(".")
    return (
        len(text) <= 253
        and len(labels) >= 2
        and all(_HOST_LABEL.fullmatch(label) for label in labels)
        and not labels[-1].isdigit()
    )


def sip_credential(member: str, value: str | None, *, username: bool) -> str:
    if not value:
        raise BadRequest(f"Credentials: each entry needs a non-empty {member}")
    if len(value) > 256 or not _SIP_TOKEN.fullmatch(value):
        # Never echo a password back, not even in an error message.
        shown = f" '{value}'" if username else ""
        raise BadRequest(
            f"Credentials {member}{shown} must be 1 to 256 printable US-ASCII characters "
            "without spaces (RFC 2617)"
        )
    if username and ":" in value:
        raise BadRequest(f"Credentials Username '{value}' may not contain ':' (RFC 2617)")
    return value


def plus_prefixed(value: str) -> str:
    """The model's pattern admits a missing `+`; localchime stores and answers `+`-prefixed."""
    return value if value.startswith("+") else "+" + value
