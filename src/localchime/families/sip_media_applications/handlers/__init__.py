"""The sip media applications family's operations, one module per group of operations."""
