"""Pinned ValidateE911Address outcomes, so tests can force 0, 1 or 2 for an exact address.

- POST   /_localchime/e911/overrides  ← {"Address": {StreetNumber, StreetInfo, City, State,
  Country, PostalCode}, "ValidationResult": 0|1|2, "CorrectedAddress"?: {...Address},
  "CandidateAddressList"?: [...]}
- GET    /_localchime/e911/overrides  → {"Count": n}
- DELETE /_localchime/e911/overrides  → removes them all

An unknown key, in the body or in its Address, is a 400 that lists the allowed ones.
"""

from __future__ import annotations

from typing import Any

from localchime.core.control import (
    ControlContext,
    ControlRequest,
    Field,
    Reply,
    bad_control_request,
    known_fields,
)
from localchime.core.family import ControlRoutes
from localchime.domain.e911_address import address_key
from localchime.families.e911 import repository as e911
from localchime.protocol.errors import ServiceError
from localchime.protocol.parser import from_json
from localchime.protocol.validator import validate
from localchime.spec.model import service_model

ROUTES = ControlRoutes()
ADDRESS_FIELDS = ("StreetNumber", "StreetInfo", "City", "State", "Country", "PostalCode")
OVERRIDE_FIELDS = (
    Field(
        "Address",
        "object",
        required=True,
        help="The address to pin: " + ", ".join(ADDRESS_FIELDS) + ".",
        rule="an object of " + ", ".join(ADDRESS_FIELDS),
    ),
    Field(
        "ValidationResult",
        "integer",
        required=True,
        help="The result to answer: 0, 1 or 2.",
        rule="0, 1 or 2",
    ),
    Field("CorrectedAddress", "object", help="The Address to answer, a model Address."),
    Field("CandidateAddressList", "list", help="The candidates to answer, model Addresses."),
)


def _checked(value: Any, shape_name: str, field: str) -> Any:
    """Checks a member against the model's own shape, so an override can only pin a response
    the real API could give."""
    shape = service_model().shape_for(shape_name)
    try:
        parsed = from_json(value, shape, field)
        if shape.type_name == "structure":
            validate(shape, parsed)
    except ServiceError as error:
        raise bad_control_request(error.message) from None
    return parsed


@ROUTES("POST", "/e911/overrides", name="e911-pin", fields=OVERRIDE_FIELDS)
def pin(ctx: ControlContext, request: ControlRequest) -> Reply:
    body = request.fields()
    address = _address(body.get("Address"))
    result = body.get("ValidationResult")
    if result not in (0, 1, 2) or isinstance(result, bool):
        raise bad_control_request("ValidationResult must be 0, 1 or 2")
    response: dict[str, Any] = {"ValidationResult": result}
    if body.get("CorrectedAddress") is not None:
        response["Address"] = _checked(body["CorrectedAddress"], "Address", "CorrectedAddress")
    if body.get("CandidateAddressList") is not None:
        response["CandidateAddressList"] = _checked(
            body["CandidateAddressList"], "CandidateAddressList", "CandidateAddressList"
        )
    with ctx.store.write() as connection:
        e911.put(connection, address_key(address), response)
    return 201, {"Pinned": response}


def _address(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        value = known_fields(value, ADDRESS_FIELDS, where="Address")
    if not isinstance(value, dict) or not all(
        isinstance(value.get(f), str) and value[f].strip() for f in ADDRESS_FIELDS
    ):
        raise bad_control_request(
            "Address must hold non-empty strings for " + ", ".join(ADDRESS_FIELDS)
        )
    return value


@ROUTES("GET", "/e911/overrides", name="e911-count")
def count(ctx: ControlContext, _request: ControlRequest) -> Reply:
    with ctx.store.read() as connection:
        return 200, {"Count": e911.count(connection)}


@ROUTES("DELETE", "/e911/overrides", name="e911-clear")
def clear(ctx: ControlContext, _request: ControlRequest) -> Reply:
    with ctx.store.write() as connection:
        e911.clear(connection)
    return 200, {"Count": 0}
