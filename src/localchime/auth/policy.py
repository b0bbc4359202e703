"""IAM-style identity policies: Allow and Deny statements over `chime:` actions and ARNs.

An explicit Deny wins; otherwise some Allow must match; a principal with no policy attached may
do everything (docs/authentication.md). Actions match case-insensitively, resources
case-sensitively, and both take the IAM wildcards `*` and `?`.
"""

from __future__ import annotations

from typing import Any

SUPPORTED_KEYS = {"Sid", "Effect", "Action", "Resource"}


class PolicyError(ValueError):
    """The policy document is not one localchime can evaluate; the message says why."""


def check_document(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise PolicyError("PolicyDocument must be a JSON object (or a string holding one)")
    statements = document.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise PolicyError("PolicyDocument needs a Statement: an object or a non-empty list")
    for index, statement in enumerate(statements):
        where = f"Statement[{index}]"
        if not isinstance(statement, dict):
            raise PolicyError(f"{where} must be an object")
        unknown = set(statement) - SUPPORTED_KEYS
        if unknown:
            raise PolicyError(
                f"{where} uses {', '.join(sorted(unknown))}; localchime evaluates only "
                "Effect, Action and Resource"
            )
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise PolicyError(f"{where}.Effect must be Allow or Deny")
        for key in ("Action", "Resource"):
            _strings(statement.get(key), f"{where}.{key}")
    return {"Version": document.get("Version", "2012-10-17"), "Statement": statements}


def _strings(value: Any, where: str) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise PolicyError(f"{where} must be a string or a non-empty list of strings")
    return values


def wildcard_match(pattern: str, value: str) -> bool:
    """IAM's `*` and `?`, matched greedily with one backtrack point: linear-ish time, never the
    exponential blow-up a `.*` regex can hit on a pattern full of stars."""
    p = v = 0
    star, resume = -1, 0
    while v < len(value):
        if p < len(pattern) and pattern[p] in ("?", value[v]):
            p, v = p + 1, v + 1
        elif p < len(pattern) and pattern[p] == "*":
            star, resume = p, v
            p += 1
        elif star != -1:
            p, resume = star + 1, resume + 1
            v = resume
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


def _matches(patterns: Any, value: str, ignore_case: bool) -> bool:
    patterns = [patterns] if isinstance(patterns, str) else patterns
    if ignore_case:
        value = value.lower()
        return any(wildcard_match(p.lower(), value) for p in patterns)
    return any(wildcard_match(p, value) for p in patterns)


def is_allowed(documents: list[dict[str, Any]], action: str, resource: str) -> bool:
    if not documents:
        return True
    allowed = False
    for document in documents:
        for statement in document["Statement"]:
            if not (
                _matches(statement["Action"], action, True)
                and _matches(statement["Resource"], resource, False)
            ):
                continue
            if statement["Effect"] == "Deny":
                return False
            allowed = True
    return allowed
