"""How SIP media applications and SIP rules look on the wire, and the application's ARN
(SPEC-voice: `arn:aws:chime:<region>:<account>:sma/<id>`)."""

from __future__ import annotations

from typing import Any

from localchime.core.clock import to_datetime
from localchime.families.sip_media_applications.repository import Application, Rule
from localchime.families.sip_media_applications.resources import APPLICATION


def application_arn(record: Application) -> str:
    return APPLICATION.arn(record.region, record.account, record.application_id)


def application_view(record: Application) -> dict[str, Any]:
    return {
        "SipMediaApplicationId": record.application_id,
        "AwsRegion": record.region,
        "Name": record.name,
        "Endpoints": [{"LambdaArn": record.lambda_arn}],
        "CreatedTimestamp": to_datetime(record.created_ms),
        "UpdatedTimestamp": to_datetime(record.updated_ms),
        "SipMediaApplicationArn": application_arn(record),
    }


def rule_view(record: Rule) -> dict[str, Any]:
    return {
        "SipRuleId": record.rule_id,
        "Name": record.name,
        "Disabled": record.disabled,
        "TriggerType": record.trigger_type,
        "TriggerValue": record.trigger_value,
        "TargetApplications": [
            {
                "SipMediaApplicationId": target.application_id,
                "Priority": target.priority,
                "AwsRegion": target.region,
            }
            for target in record.targets
        ],
        "CreatedTimestamp": to_datetime(record.created_ms),
        "UpdatedTimestamp": to_datetime(record.updated_ms),
    }
