"""The service ratings' panel on the officials' home: for whoever reads a park's averages (discipline officers,
park administrators, auditors, platform administrators) the last 30 days of their parks and the officials
rated lowest; for every other official, their own figures."""

import datetime as dt

from django.utils import timezone

from core.scoping import ALL
from integrity.models import ServiceRating
from integrity.selectors.ratings import RATING_WINDOW_DAYS, average_park_ids, averages_of, official_averages_for

LOWEST_SHOWN = 5


def ratings_panel_context(request):
    user = request.user
    since = timezone.now() - dt.timedelta(days=RATING_WINDOW_DAYS)
    recent = ServiceRating.objects.filter(created_at__gte=since)
    ids = average_park_ids(user)
    if not ids:
        return {"overview": False, "averages": averages_of(recent.filter(official=user))}
    scoped = recent if ids is ALL else recent.filter(park_id__in=ids)
    rows = [row for row in official_averages_for(user, since=since) if ids is ALL or row["park_id"] in ids]
    return {"overview": True, "averages": averages_of(scoped), "lowest": rows[:LOWEST_SHOWN]}
