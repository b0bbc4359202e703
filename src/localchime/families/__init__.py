"""The resource families, one package each. `localchime.registry.FAMILIES` lists them; see
docs/architecture.md for what a family owns and how to add one."""
