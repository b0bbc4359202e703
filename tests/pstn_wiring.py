"""Wiring a dial-in number to a SIP media application, as the PSTN audio tests need again and
again: the application for a Lambda ARN, the number ordered, and a SIP rule between them."""

from __future__ import annotations

from typing import Any

from tests.harness import Chime

REGION = "us-east-1"


def wire_dial_in(
    chime: Chime, client: Any, function_arn: str, number: str, name: str = "dial-in"
) -> dict[str, Any]:
    """{"application": …, "rule": …} as the Create operations answered them."""
    application = client.create_sip_media_application(
        AwsRegion=REGION, Name=name, Endpoints=[{"LambdaArn": function_arn}]
    )["SipMediaApplication"]
    client.create_phone_number_order(
        ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=[number]
    )
    chime.advance(5)
    rule = client.create_sip_rule(
        Name=name,
        TriggerType="ToPhoneNumber",
        TriggerValue=number,
        TargetApplications=[
            {
                "SipMediaApplicationId": application["SipMediaApplicationId"],
                "Priority": 1,
                "AwsRegion": REGION,
            }
        ],
    )["SipRule"]
    return {"application": application, "rule": rule}
