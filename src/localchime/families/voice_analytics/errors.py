"""The voice analytics family's named errors. Each operation answers only errors its model
lists: Start*Task lists UnprocessableEntityException and GoneException, CreateVoiceProfile and
UpdateVoiceProfile list GoneException, Stop*Task lists ConflictException."""

from __future__ import annotations

from localchime.core.clock import to_datetime
from localchime.protocol.errors import BadRequest, Conflict, NotFound, ServiceError


class DomainNotFound(NotFound):
    def __init__(self, domain_id: str) -> None:
        super().__init__(
            f"Voice profile domain {domain_id} does not exist in this account and Region"
        )


class ProfileNotFound(NotFound):
    def __init__(self, profile_id: str) -> None:
        super().__init__(
            f"Voice profile {profile_id} does not exist in this account and Region "
            "(expired profiles are deleted)"
        )


class TaskNotFound(NotFound):
    def __init__(self, what: str, task_id: str, connector_id: str) -> None:
        super().__init__(f"{what} {task_id} does not exist on Voice Connector {connector_id}")


class SearchTaskNotFound(NotFound):
    def __init__(self, task_id: str) -> None:
        super().__init__(
            f"SpeakerSearchTaskId {task_id}: no speaker search task of this account and Region "
            "has that id (task results are kept 7 days)"
        )


class CallNotFound(NotFound):
    def __init__(self, transaction_id: str, connector_id: str) -> None:
        super().__init__(
            f"TransactionId {transaction_id} is not a call through Voice Connector {connector_id}"
        )


class AnalyticsNotEnabled(ServiceError):
    """SPEC-voice (D): tasks need the connector's media insights configuration; the error is
    ours to choose (I), and UnprocessableEntityException says "valid request, wrong state"."""

    def __init__(self, connector_id: str) -> None:
        super().__init__(
            "UnprocessableEntityException",
            f"Voice Connector {connector_id} has no enabled media insights configuration: put a "
            "StreamingConfiguration with Disabled false and a MediaInsightsConfiguration "
            "(Disabled false, ConfigurationArn) before starting voice analytics tasks",
        )


class CallEnded(ServiceError):
    def __init__(self, transaction_id: str, ended_ms: int) -> None:
        super().__init__(
            "GoneException",
            f"Call {transaction_id} ended at {to_datetime(ended_ms).isoformat()}; analytics "
            "tasks run on calls in progress",
        )


class TaskAlreadyActive(Conflict):
    def __init__(self, what: str, transaction_id: str, task_id: str) -> None:
        super().__init__(
            f"Call {transaction_id} already has an active {what} ({task_id}); a call has at "
            f"most one active {what} at a time"
        )


class TaskFinished(Conflict):
    def __init__(self, what: str, task_id: str, status: str) -> None:
        super().__init__(f"{what} {task_id} is {status}; only an active task can be stopped")


class TokenReused(Conflict):
    def __init__(self, token: str, what: str, existing_id: str) -> None:
        super().__init__(
            f"ClientRequestToken {token} was used to create {what} {existing_id} with different "
            "parameters; use a new token for a different request"
        )


class NoVoiceprint(BadRequest):
    def __init__(self, task_id: str, status: str, voiceprint: str | None) -> None:
        detail = f"its voiceprint generation is {voiceprint}" if voiceprint else "it is " + status
        super().__init__(
            f"SpeakerSearchTaskId {task_id} has no voiceprint to enrol ({detail}); a voice "
            "profile needs a speaker search task whose VoiceprintGenerationStatus is "
            "VoiceprintGenerationSuccessful"
        )


class EnrolmentExpired(ServiceError):
    def __init__(self, task_id: str, transaction_id: str) -> None:
        super().__init__(
            "GoneException",
            f"SpeakerSearchTaskId {task_id}: call {transaction_id} ended more than 24 hours ago, "
            "and a voiceprint can be enrolled only within 24 hours of its call",
        )


class AlreadyEnrolled(Conflict):
    def __init__(self, task_id: str, profile_id: str) -> None:
        super().__init__(
            f"SpeakerSearchTaskId {task_id} already enrolled voice profile {profile_id}; "
            "update that profile instead"
        )


class OtherDomain(BadRequest):
    def __init__(self, task_id: str, task_domain: str | None, profile_domain: str) -> None:
        super().__init__(
            f"SpeakerSearchTaskId {task_id} searched voice profile domain {task_domain}, but the "
            f"profile belongs to {profile_domain}; re-enrol from a task of the profile's domain"
        )
