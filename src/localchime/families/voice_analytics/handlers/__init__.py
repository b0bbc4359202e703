"""The voice analytics family's operations, one module per group of operations."""
