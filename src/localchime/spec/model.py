"""Loads botocore's `chime-sdk-voice` model once per process and indexes its operations."""

from __future__ import annotations

from functools import cache

from botocore.loaders import Loader
from botocore.model import OperationModel, ServiceModel

SERVICE_NAME = "chime-sdk-voice"
API_VERSION = "2022-08-03"


@cache
def service_model() -> ServiceModel:
    raw = Loader().load_service_model(SERVICE_NAME, "service-2", api_version=API_VERSION)
    return ServiceModel(raw, service_name=SERVICE_NAME)


@cache
def operation_names() -> tuple[str, ...]:
    return tuple(service_model().operation_names)


@cache
def operation_model(name: str) -> OperationModel:
    return service_model().operation_model(name)
