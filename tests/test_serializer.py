"""The serializer's pruning walk and orjson's hook for timestamps and blobs write what the
model allows: None values and unknown keys left out at any depth (or refused when strict), every
datetime as ISO 8601 with milliseconds and Z, whatever member carries it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from localchime.protocol.serializer import UnknownOutputMember, _wire_scalar, dump, to_json
from localchime.spec.model import service_model

MODEL = service_model()
CREATED = dt.datetime(2026, 11, 28, 4, 35, 37, 571000, tzinfo=dt.UTC)


def _order(**extra: object) -> dict[str, object]:
    return {
        "PhoneNumberOrderId": "a1b2",
        "ProductType": "VoiceConnector",
        "Status": "Processing",
        "OrderType": None,
        "OrderedPhoneNumbers": [
            {"E164PhoneNumber": "+12065550100", "Status": "Processing", "Extra": None},
            {"E164PhoneNumber": "+12065550101", "Status": None},
        ],
        "CreatedTimestamp": CREATED,
        "UpdatedTimestamp": CREATED.astimezone(dt.timezone(dt.timedelta(hours=2))),
        "FocDate": None,
        **extra,
    }


SHAPE = MODEL.shape_for("PhoneNumberOrder")
WRITTEN = {
    "PhoneNumberOrderId": "a1b2",
    "ProductType": "VoiceConnector",
    "Status": "Processing",
    "OrderedPhoneNumbers": [
        {"E164PhoneNumber": "+12065550100", "Status": "Processing"},
        {"E164PhoneNumber": "+12065550101"},
    ],
    "CreatedTimestamp": "2026-11-28T04:35:37.571Z",
    "UpdatedTimestamp": "2026-11-28T04:35:37.571Z",
}


def test_lenient_writing_leaves_out_nones_and_unknown_keys_at_any_depth() -> None:
    assert json.loads(dump(_order(Misspelt="x"), SHAPE)) == WRITTEN
    assert to_json(_order(), SHAPE) == WRITTEN


def test_strict_writing_refuses_an_unknown_key_even_when_none_and_nested() -> None:
    with pytest.raises(UnknownOutputMember, match="PhoneNumberOrder has no member 'Stauts'"):
        dump(_order(Stauts=None), SHAPE, strict=True)
    nested = _order()
    nested["OrderedPhoneNumbers"] = [{"E164PhoneNumber": "+12065550100", "Stauts": "x"}]
    with pytest.raises(UnknownOutputMember, match="has no member 'Stauts'"):
        dump(nested, SHAPE, strict=True)
    known_only = _order()
    known_only["OrderedPhoneNumbers"] = [
        {"E164PhoneNumber": "+12065550100", "Status": "Processing"},
        {"E164PhoneNumber": "+12065550101", "Status": None},
    ]
    assert json.loads(dump(known_only, SHAPE, strict=True)) == WRITTEN


def test_a_datetime_in_any_member_is_written_as_a_timestamp() -> None:
    written = json.loads(dump(_order(FocDate=CREATED, OrderType=CREATED), SHAPE))
    assert written["FocDate"] == written["OrderType"] == "2026-11-28T04:35:37.571Z"


def test_blobs_dates_and_unknown_types() -> None:
    assert _wire_scalar(b"\x00\xffhi") == "AP9oaQ=="
    assert _wire_scalar(bytearray(b"hi")) == "aGk="
    assert _wire_scalar(dt.date(2026, 11, 28)) == "2026-11-28"
    assert _wire_scalar(CREATED.replace(tzinfo=None)) == "2026-11-28T04:35:37.571Z"
    with pytest.raises(TypeError, match="object cannot be written as JSON"):
        _wire_scalar(object())
