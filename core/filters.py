"""FilterSets of core's lists, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.models import Notification


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(method="filter_unread", label=_("Unread only"))
    kind = django_filters.CharFilter(field_name="kind", label=_("Kind"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

    def filter_unread(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)
