"""The SIP media application family's named errors."""

from __future__ import annotations

from localchime.core.lists import shown
from localchime.protocol.errors import BadRequest, Conflict, NotFound, ServiceError


class ApplicationNotFound(NotFound):
    def __init__(self, application_id: str, where: str = "this account and Region") -> None:
        super().__init__(f"SIP media application {application_id} does not exist in {where}")


class RuleNotFound(NotFound):
    def __init__(self, rule_id: str) -> None:
        super().__init__(f"SIP rule {rule_id} does not exist in this account and Region")


class TargetedByEnabledRules(Conflict):
    def __init__(self, application_id: str, rule_ids: list[str]) -> None:
        super().__init__(
            f"SIP media application {application_id} is the target of enabled SIP rule(s) "
            f"{shown(rule_ids)}; disable or update them before deleting it"
        )


class RuleEnabled(Conflict):
    def __init__(self, rule_id: str) -> None:
        super().__init__(
            f"SIP rule {rule_id} is enabled; update it with Disabled true before deleting it"
        )


class TriggerTaken(Conflict):
    def __init__(self, trigger_type: str, value: str) -> None:
        super().__init__(f"Another SIP rule already has the {trigger_type} trigger {value}")


class AlexaSkillsGone(ServiceError):
    """The model's own words: the Alexa skill configuration "is no longer available for use";
    these two operations list GoneException (410), so localchime answers it (docs/pstn-audio.md)."""

    def __init__(self) -> None:
        super().__init__(
            "GoneException",
            "The Alexa skill configuration of SIP media applications is no longer available "
            "for use (Amazon Chime SDK API reference)",
        )


class BadLambdaRegion(BadRequest):
    def __init__(self, arn: str, region: str) -> None:
        super().__init__(
            f"Endpoints[0].LambdaArn {arn} is in {arn.split(':')[3]}; the function must be in "
            f"the SIP media application's Region, {region}"
        )
