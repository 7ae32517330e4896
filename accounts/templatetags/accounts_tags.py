"""Template helpers of the account pages."""

from django import template

register = template.Library()


@register.filter
def whole_minutes(delta):
    """A timedelta as whole minutes, rounded up (the lock-out page says how long to wait)."""
    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    return max(1, -(-seconds // 60))
