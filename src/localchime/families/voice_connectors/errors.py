"""The Voice Connector family's named errors. Each operation may answer only the errors its
model lists: Delete of termination or origination has no ConflictException, so refusing it
while emergency calling is configured is a BadRequest."""

from __future__ import annotations

from localchime.protocol.errors import BadRequest, Conflict, NotFound


class VoiceConnectorNotFound(NotFound):
    def __init__(self, connector_id: str, where: str = "this account and Region") -> None:
        super().__init__(f"Voice Connector {connector_id} does not exist in {where}")


class GroupNotFound(NotFound):
    def __init__(self, group_id: str) -> None:
        super().__init__(
            f"Voice Connector group {group_id} does not exist in this account and Region"
        )


class SettingNotFound(NotFound):
    """SPEC (Voice Connectors, I): Get or Delete of a configuration never put, or deleted."""

    def __init__(self, connector_id: str, what: str) -> None:
        super().__init__(f"Voice Connector {connector_id} has no {what}")


class HasNumbers(Conflict):
    def __init__(self, kind: str, resource_id: str, count: int) -> None:
        super().__init__(
            f"{kind} {resource_id} has {count} phone number(s) associated; disassociate them "
            "before deleting it"
        )


class InGroups(Conflict):
    def __init__(self, connector_id: str, group_ids: list[str]) -> None:
        super().__init__(
            f"Voice Connector {connector_id} is an item of Voice Connector group(s) "
            f"{', '.join(group_ids)}; remove it from them before deleting it"
        )


class GroupHasItems(Conflict):
    def __init__(self, group_id: str, count: int) -> None:
        super().__init__(
            f"Voice Connector group {group_id} has {count} VoiceConnectorItems; update the "
            "group to remove them before deleting it"
        )


class EmergencyCallingDependsOn(BadRequest):
    def __init__(self, connector_id: str, what: str) -> None:
        super().__init__(
            f"Voice Connector {connector_id} has emergency calling configured, which needs its "
            f"{what}; delete the emergency calling configuration first"
        )
