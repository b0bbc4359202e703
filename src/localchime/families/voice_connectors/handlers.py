"""Voice Connector operations: ListAvailableVoiceConnectorRegions (SPEC: Voice Connector
regions, M)."""

from __future__ import annotations

from typing import Any

from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.spec.model import service_model

OPERATIONS = Operations()


@OPERATIONS("ListAvailableVoiceConnectorRegions")
def list_available_voice_connector_regions(ctx: RequestContext, _params: Params) -> dict[str, Any]:
    return {
        "VoiceConnectorRegions": list(service_model().shape_for("VoiceConnectorAwsRegion").enum)
    }
