"""Request context, accounts, the service clock, ids and pagination tokens."""
