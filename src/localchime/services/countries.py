"""Where numbers and Voice Connectors exist: ListSupportedPhoneNumberCountries and
ListAvailableVoiceConnectorRegions (SPEC: supported countries; Voice Connector regions, M)."""

from __future__ import annotations

from typing import Any

from localchime.core.context import RequestContext
from localchime.services.numbering import SUPPORTED_COUNTRIES
from localchime.services.registry import Params, operation
from localchime.spec.model import service_model


@operation("ListSupportedPhoneNumberCountries")
def list_supported_phone_number_countries(ctx: RequestContext, params: Params) -> dict[str, Any]:
    # "For numbers outside the U.S., you must use the SIP media application dial-in product
    # type" (SPEC), so Voice Connector numbers come from the US only.
    countries = ["US"] if params["ProductType"] == "VoiceConnector" else sorted(SUPPORTED_COUNTRIES)
    return {
        "PhoneNumberCountries": [
            {"CountryCode": code, "SupportedPhoneNumberTypes": sorted(SUPPORTED_COUNTRIES[code])}
            for code in countries
        ]
    }


@operation("ListAvailableVoiceConnectorRegions")
def list_available_voice_connector_regions(ctx: RequestContext, _params: Params) -> dict[str, Any]:
    return {
        "VoiceConnectorRegions": list(service_model().shape_for("VoiceConnectorAwsRegion").enum)
    }
