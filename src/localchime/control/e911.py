"""Pinned ValidateE911Address outcomes, so tests can force 0, 1 or 2 for an exact address.

- POST   /_localchime/e911/overrides  ← {"Address": {StreetNumber, StreetInfo, City, State,
  Country, PostalCode}, "ValidationResult": 0|1|2, "CorrectedAddress"?: {...Address},
  "CandidateAddressList"?: [...]}
- GET    /_localchime/e911/overrides  → {"Count": n}
- DELETE /_localchime/e911/overrides  → removes them all
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from localchime.control.api import Handler, Reply, bad_control_request, json_object
from localchime.protocol.errors import ServiceError
from localchime.protocol.messages import Request
from localchime.protocol.parser import from_json
from localchime.protocol.validator import validate
from localchime.services.e911 import address_key
from localchime.spec.model import service_model
from localchime.store import e911

if TYPE_CHECKING:
    from localchime.app import LocalChime

ADDRESS_FIELDS = ("StreetNumber", "StreetInfo", "City", "State", "Country", "PostalCode")


def _checked(value: Any, shape_name: str, field: str) -> Any:
    """Checks a member against the model's own shape, so an override can only pin a response
    the real API could give."""
    shape = service_model().shape_for(shape_name)
    try:
        parsed = from_json(value, shape, field)
        if shape.type_name == "structure":
            validate(shape, parsed)  # type: ignore[arg-type]
    except ServiceError as error:
        raise bad_control_request(error.message) from None
    return parsed


def e911_routes(app: LocalChime) -> list[tuple[str, str, Handler]]:
    def pin(request: Request, _params: dict[str, str]) -> Reply:
        body = json_object(request.body)
        address = body.get("Address")
        if not isinstance(address, dict) or not all(
            isinstance(address.get(f), str) and address[f].strip() for f in ADDRESS_FIELDS
        ):
            raise bad_control_request(
                "Address must hold non-empty strings for " + ", ".join(ADDRESS_FIELDS)
            )
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
        with app.store.write() as connection:
            e911.put(connection, address_key(address), response)
        return 201, {"Pinned": response}

    def count(_request: Request, _params: dict[str, str]) -> Reply:
        with app.store.read() as connection:
            return 200, {"Count": e911.count(connection)}

    def clear(_request: Request, _params: dict[str, str]) -> Reply:
        with app.store.write() as connection:
            e911.clear(connection)
        return 200, {"Count": 0}

    return [
        ("POST", "/e911/overrides", pin),
        ("GET", "/e911/overrides", count),
        ("DELETE", "/e911/overrides", clear),
    ]
