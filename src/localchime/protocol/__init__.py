"""The model-driven rest-json protocol: routing, parsing, validation, serialization, errors.

Nothing in this package knows about any single operation; it reads the botocore model.
"""
