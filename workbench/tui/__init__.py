"""The terminal interface: a thin shell over the core (`workbench.store` and friends)."""
