"""Admin of the service rating cards and ratings: read-only, park-scoped. Cards are issued and revoked on the
portal (through `integrity.services.ratings`). Individual ratings carry comments and the raters' enterprises,
so only the discipline office and platform administrators see them here — park administrators and auditors
read averages on the portal, whatever view permissions their groups carry."""

from django.contrib import admin

from core.scoping import ALL
from integrity import models
from integrity.admin import ReadOnlyAdmin
from integrity.selectors.ratings import detail_park_ids


@admin.register(models.ServiceCard)
class ServiceCardAdmin(ReadOnlyAdmin):
    list_display = ["official", "park", "issued_at", "revoked_at"]
    list_filter = ["park"]
    list_select_related = ["official", "park"]
    exclude = ["token"]  # the token opens the rating page: it stays on the card


@admin.register(models.ServiceRating)
class ServiceRatingAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "official", "park", "rater_kind", "attitude", "efficiency", "integrity", "is_low"]
    list_filter = ["park", "rater_kind", "is_low"]
    list_select_related = ["official", "park"]
    exclude = ["browser_digest"]

    def has_module_permission(self, request):
        return bool(detail_park_ids(request.user)) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        if not detail_park_ids(request.user):
            return False
        return super().has_view_permission(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = detail_park_ids(request.user)
        return queryset if ids is ALL else queryset.filter(park_id__in=ids)
