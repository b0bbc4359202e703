"""The botocore service model of Chime SDK Voice: the wire spec everything else is driven by."""

from localchime.spec.model import SERVICE_NAME, operation_names, service_model

__all__ = ["SERVICE_NAME", "operation_names", "service_model"]
