"""An application module as users write them: it makes its own boto3 clients.

It orders numbers for a new office, puts them on the office's Voice Connector once the order
completes, and archives the order's receipt in S3.
"""

from __future__ import annotations

import json
from typing import Any

import boto3


def chime() -> Any:
    return boto3.client("chime-sdk-voice", region_name="us-east-1")


def order_office_numbers(numbers: list[str]) -> str:
    """Orders the numbers; returns the order id. The order completes later."""
    order = chime().create_phone_number_order(
        ProductType="VoiceConnector", E164PhoneNumbers=numbers
    )
    return str(order["PhoneNumberOrder"]["PhoneNumberOrderId"])


def wire_office(order_id: str, trunk_name: str) -> str:
    """Once the order is Successful: a Voice Connector with the numbers on it."""
    client = chime()
    order = client.get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"]
    if order["Status"] != "Successful":
        raise RuntimeError(f"order {order_id} is {order['Status']}, not Successful yet")
    connector = client.create_voice_connector(Name=trunk_name, RequireEncryption=True)
    connector_id = str(connector["VoiceConnector"]["VoiceConnectorId"])
    numbers = [n["E164PhoneNumber"] for n in order["OrderedPhoneNumbers"]]
    client.associate_phone_numbers_with_voice_connector(
        VoiceConnectorId=connector_id, E164PhoneNumbers=numbers
    )
    return connector_id


def archive_receipt(order_id: str, bucket: str) -> None:
    order = chime().get_phone_number_order(PhoneNumberOrderId=order_id)["PhoneNumberOrder"]
    boto3.client("s3", region_name="us-east-1").put_object(
        Bucket=bucket, Key=f"orders/{order_id}.json", Body=json.dumps(order, default=str)
    )
