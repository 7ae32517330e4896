"""Pages of core, one module per concern."""
