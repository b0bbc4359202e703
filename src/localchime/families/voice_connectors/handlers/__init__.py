"""The voice connectors family's operations, one module per group of operations."""
