"""Control endpoints for fault rules.

- POST /_localchime/faults  ← a rule (rules.py) → 201 the rule with its Id
- GET  /_localchime/faults  → {"Rules": [...]} in the order they are tried, with Hits and
  Remaining
- DELETE /_localchime/faults  → {"Removed": N}; DELETE /_localchime/faults/{Id} → 200 or 404
A reset removes every rule.
"""

from __future__ import annotations

from localchime.core.control import ControlContext, ControlRequest, Reply, control_not_found
from localchime.core.family import ControlRoutes
from localchime.faults.rules import KEYS, faults_for, rule_from

ROUTES = ControlRoutes()


@ROUTES("POST", "/faults")
def add_rule(ctx: ControlContext, request: ControlRequest) -> Reply:
    rule = rule_from(request.fields(allowed=KEYS), ctx.now_ms())
    faults_for(ctx.store).add(rule)
    return 201, rule.view()


@ROUTES("GET", "/faults")
def list_rules(ctx: ControlContext, _request: ControlRequest) -> Reply:
    faults = faults_for(ctx.store)
    faults.reload()
    return 200, {"Rules": [rule.view() for rule in faults.rules()]}


@ROUTES("DELETE", "/faults")
def remove_rules(ctx: ControlContext, _request: ControlRequest) -> Reply:
    return 200, {"Removed": faults_for(ctx.store).remove()}


@ROUTES("DELETE", "/faults/{Id}")
def remove_rule(ctx: ControlContext, request: ControlRequest) -> Reply:
    rule_id = request.params["Id"]
    if not faults_for(ctx.store).remove(rule_id):
        raise control_not_found(f"No fault rule {rule_id}")
    return 200, {"Removed": 1}
