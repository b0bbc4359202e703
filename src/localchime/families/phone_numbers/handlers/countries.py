"""Where numbers are sold: ListSupportedPhoneNumberCountries (SPEC: supported countries)."""

from __future__ import annotations

from typing import Any

from localchime.core.context import RequestContext
from localchime.core.family import Operations, Params
from localchime.domain.numbering import SUPPORTED_COUNTRIES

OPERATIONS = Operations()


@OPERATIONS("ListSupportedPhoneNumberCountries")
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
