"""Read queries of procurement, scoped to the user (pages, API, exports and dashboard panels share them)."""
