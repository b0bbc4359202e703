"""Control endpoints for fault rules.

- POST /_localchime/faults  ← a rule (rules.py) → 201 the rule with its Id
- GET  /_localchime/faults  → {"Rules": [...]} in the order they are tried, with Hits and
  Remaining
- DELETE /_localchime/faults  → {"Removed": N}; DELETE /_localchime/faults/{Id} → 200 or 404
A reset removes every rule.
"""

from __future__ import annotations

from localchime.core.control import (
    ControlContext,
    ControlRequest,
    Field,
    Reply,
    control_not_found,
)
from localchime.core.family import ControlRoutes
from localchime.faults.rules import faults_for, rule_from

ROUTES = ControlRoutes()
RULE_FIELDS = (
    Field(
        "Operation",
        required=True,
        help='An operation name, or "*" for every operation.',
        rule='"*" or a chime-sdk-voice operation such as GetPhoneNumber',
    ),
    Field("Account", help="Only calls of this 12-digit account."),
    Field("Error", help="A modelled exception, e.g. ThrottledClientException."),
    Field("Probability", "number", help="From 0 to 1; default 1."),
    Field("Count", "integer", help="Hit at most this many calls."),
    Field("LatencyMs", "integer", help="Delay each hit call this long, in milliseconds."),
)


@ROUTES("POST", "/faults", name="fault-add", fields=RULE_FIELDS)
def add_rule(ctx: ControlContext, request: ControlRequest) -> Reply:
    rule = rule_from(request.fields(), ctx.now_ms())
    faults_for(ctx.store).add(rule)
    return 201, rule.view()


@ROUTES("GET", "/faults", name="fault-list")
def list_rules(ctx: ControlContext, _request: ControlRequest) -> Reply:
    faults = faults_for(ctx.store)
    faults.reload()
    return 200, {"Rules": [rule.view() for rule in faults.rules()]}


@ROUTES("DELETE", "/faults", name="fault-clear")
def remove_rules(ctx: ControlContext, _request: ControlRequest) -> Reply:
    return 200, {"Removed": faults_for(ctx.store).remove()}


@ROUTES("DELETE", "/faults/{Id}", name="fault-remove")
def remove_rule(ctx: ControlContext, request: ControlRequest) -> Reply:
    rule_id = request.params["Id"]
    if not faults_for(ctx.store).remove(rule_id):
        raise control_not_found(f"No fault rule {rule_id}")
    return 200, {"Removed": 1}
