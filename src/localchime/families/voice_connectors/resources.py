"""The Voice Connector family's resources, declared once: Voice Connectors (`vc`), Voice
Connector groups (`vcg`), and their quotas under `--quota-profile aws`."""

from __future__ import annotations

from localchime.core.quotas import Quota
from localchime.core.resources import Resource
from localchime.families.voice_connectors import repository as repo
from localchime.families.voice_connectors.tables import voice_connector_groups, voice_connectors
from localchime.protocol.errors import BadRequest
from localchime.store.database import Snapshot

CONNECTORS_PER_REGION = Quota("voice-connectors", "Voice Connectors", aws=3)
"""The default quota "Voice Connectors per account per Region" in the Amazon Chime SDK
endpoints and quotas page of the AWS General Reference (an adjustable quota)."""
CREDENTIALS_PER_CONNECTOR = Quota(
    "termination-credentials",
    "termination credentials",
    aws=10,
    # Counted inside the connector's row-locked transaction; the answer AWS gives is a
    # BadRequest naming the connector, not a ResourceLimitExceeded.
    locked=False,
    refusal=lambda quota, held, adding, limit, scope: _too_many_credentials(
        held + adding, limit, scope
    ),
)
GROUPS_PER_ACCOUNT = Quota("voice-connector-groups", "Voice Connector groups", aws=3)
"""SPEC (D): up to 3 Voice Connector groups per account, in all Regions."""


def _too_many_credentials(after: int, limit: int, scope: str) -> BadRequest:
    return BadRequest(
        f"{scope} would have {after} termination credentials; the limit is {limit} "
        "(--quota-profile aws)"
    )


def _connector_exists(reads: Snapshot, account: str, region: str, ident: str) -> bool:
    return repo.connector(reads, account, region, ident) is not None


def _group_exists(reads: Snapshot, account: str, region: str, ident: str) -> bool:
    return repo.group(reads, account, region, ident) is not None


CONNECTOR = Resource(
    kind="Voice Connector",
    arn_type="vc",
    members=("VoiceConnectorId",),
    labels=("voiceConnectorId", "VoiceConnectorId"),
    table=voice_connectors,
    record=repo.ConnectorRecord,
    taggable=True,
    exists=_connector_exists,
    quotas=(CONNECTORS_PER_REGION, CREDENTIALS_PER_CONNECTOR),
    list_operation="ListVoiceConnectors",
)
GROUP = Resource(
    kind="Voice Connector group",
    arn_type="vcg",
    members=("VoiceConnectorGroupId",),
    labels=("voiceConnectorGroupId",),
    table=voice_connector_groups,
    record=repo.GroupRecord,
    exists=_group_exists,
    quotas=(GROUPS_PER_ACCOUNT,),
    list_operation="ListVoiceConnectorGroups",
)
RESOURCES = (CONNECTOR, GROUP)
