"""Admin of procurement (being written)."""
