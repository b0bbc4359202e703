"""The phone numbers family's operations, one module per group of operations."""
