"""Wires the IVR up: a dial-in number, a SIP media application naming the handler's Lambda
ARN, and a SIP rule from the number to the application. Run against a localchime server, it
also registers `ivr:lambda_handler` as the code behind the ARN:

    PYTHONPATH=examples/pstn_ivr localchime serve --ephemeral
    python examples/pstn_ivr/provision.py [ENDPOINT]

ENDPOINT defaults to LOCALCHIME_ENDPOINT, or http://127.0.0.1:4575.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import boto3

REGION = "us-east-1"
ACCOUNT = "123456789012"
DIAL_IN = "+18445550123"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:example-ivr"


def provision(client: Any, wait: Any = time.sleep) -> dict[str, str]:
    """Orders DIAL_IN, creates the application and the rule, reusing any that exist, so it
    runs again and again; `wait(seconds)` lets the order complete (a mock moves its clock)."""
    if not _held(client, DIAL_IN):
        client.create_phone_number_order(
            ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=[DIAL_IN]
        )
        wait(6)
    application_id = _application(client)
    rule_id = _rule(client, application_id)
    return {"SipMediaApplicationId": application_id, "SipRuleId": rule_id, "DialIn": DIAL_IN}


def _held(client: Any, e164: str) -> bool:
    try:
        client.get_phone_number(PhoneNumberId=e164)
    except client.exceptions.NotFoundException:
        return False
    return True


def _application(client: Any) -> str:
    for application in client.list_sip_media_applications()["SipMediaApplications"]:
        if application["Name"] == "example-ivr":
            return str(application["SipMediaApplicationId"])
    created = client.create_sip_media_application(
        AwsRegion=REGION, Name="example-ivr", Endpoints=[{"LambdaArn": FUNCTION_ARN}]
    )
    return str(created["SipMediaApplication"]["SipMediaApplicationId"])


def _rule(client: Any, application_id: str) -> str:
    for rule in client.list_sip_rules()["SipRules"]:
        if rule["TriggerValue"] == DIAL_IN:
            return str(rule["SipRuleId"])
    created = client.create_sip_rule(
        Name="example-ivr-dial-in",
        TriggerType="ToPhoneNumber",
        TriggerValue=DIAL_IN,
        TargetApplications=[
            {"SipMediaApplicationId": application_id, "Priority": 1, "AwsRegion": REGION}
        ],
    )
    return str(created["SipRule"]["SipRuleId"])


def main(endpoint: str) -> None:
    from localchime.control.client import call

    call(
        endpoint,
        "POST",
        "/lambda-functions",
        {"FunctionArn": FUNCTION_ARN, "Handler": "ivr:lambda_handler"},
    )
    client = boto3.client(
        "chime-sdk-voice",
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id=ACCOUNT,
        aws_secret_access_key="local",
    )
    wired = provision(
        client, wait=lambda seconds: call(endpoint, "POST", "/clock", {"AdvanceSeconds": seconds})
    )
    for name, value in wired.items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    default = os.environ.get("LOCALCHIME_ENDPOINT", "http://127.0.0.1:4575")
    main(sys.argv[1] if len(sys.argv) > 1 else default)
