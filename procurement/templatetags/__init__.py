"""Template tags of procurement."""
