"""Admin of procurement: one module per stage."""

from procurement import admin_bids, admin_evaluation, admin_flags, admin_public, admin_tenders  # noqa: F401
