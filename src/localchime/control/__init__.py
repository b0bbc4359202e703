"""The /_localchime control API: health, reset, and the service clock."""
