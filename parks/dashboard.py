"""The parks panel of the officials' home: registrations waiting for the user's review."""

from parks.selectors import enterprises_pending_for

PANEL_LIMIT = 5


def pending_panel_context(request):
    pending = enterprises_pending_for(request.user).prefetch_related(None)
    return {"pending_count": pending.count(), "pending": list(pending[:PANEL_LIMIT])}
