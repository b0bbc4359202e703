"""How Voice Connectors and groups look on the wire, and their ARNs and host names.

SPEC (Voice Connectors, R): ARN `arn:aws:chime:<region>:<account>:vc/<id>`, OutboundHostName
`<id>.voiceconnector.chime.aws` (the AWS CLI example shows that form in us-west-2 too, so
localchime uses it in every Region). No group ARN is published; localchime uses `…:vcg/<id>` (I).
"""

from __future__ import annotations

from typing import Any

from localchime.core.clock import to_datetime
from localchime.families.voice_connectors.repository import ConnectorRecord, GroupRecord
from localchime.families.voice_connectors.resources import CONNECTOR, GROUP


def connector_arn(record: ConnectorRecord) -> str:
    return CONNECTOR.arn(record.region, record.account, record.voice_connector_id)


def outbound_host_name(connector_id: str) -> str:
    return f"{connector_id}.voiceconnector.chime.aws"


def connector_view(record: ConnectorRecord) -> dict[str, Any]:
    return {
        "VoiceConnectorId": record.voice_connector_id,
        "AwsRegion": record.region,
        "Name": record.name,
        "OutboundHostName": outbound_host_name(record.voice_connector_id),
        "RequireEncryption": record.require_encryption,
        "CreatedTimestamp": to_datetime(record.created_ms),
        "UpdatedTimestamp": to_datetime(record.updated_ms),
        "VoiceConnectorArn": connector_arn(record),
        "IntegrationType": record.integration_type,
        "NetworkType": record.network_type,
    }


def group_arn(record: GroupRecord) -> str:
    return GROUP.arn(record.region, record.account, record.group_id)


def group_view(record: GroupRecord) -> dict[str, Any]:
    return {
        "VoiceConnectorGroupId": record.group_id,
        "Name": record.name,
        "VoiceConnectorItems": [
            {"VoiceConnectorId": connector_id, "Priority": priority}
            for connector_id, priority in record.items
        ],
        "CreatedTimestamp": to_datetime(record.created_ms),
        "UpdatedTimestamp": to_datetime(record.updated_ms),
        "VoiceConnectorGroupArn": group_arn(record),
        "CallDistributionType": record.call_distribution_type,
    }
