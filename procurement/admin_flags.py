"""Admin of red flags: read-only and park-scoped. Flags are raised by `flags_compute` and decided on the portal
(`flag_confirm` / `flag_dismiss`); here they are only looked up. Restricted evidence (declared interests) is
shown only to those `procurement.selectors.flags.can_read_restricted_evidence` allows — auditors and
procurement officers, who hold ``procurement.view_*``, get it redacted as on the portal."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ParkScopedAdminMixin, ReadOnlyAdminMixin
from procurement.models import RedFlag

BASE_FIELDS = (
    "park",
    "tender",
    "contract",
    "supplier",
    "kind",
    "blocking",
    "summary",
    "status",
    "raised_at",
    "decided_by",
    "decided_at",
    "decision_reason",
    "risk",
)


@admin.register(RedFlag)
class RedFlagAdmin(ParkScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("raised_at", "kind", "summary", "tender", "status", "blocking", "park")
    list_filter = ("status", "kind", "blocking", ("park", admin.RelatedOnlyFieldListFilter))
    search_fields = ("summary", "tender__number", "contract__number", "supplier__enterprise__name")
    list_select_related = ("park", "tender")
    date_hierarchy = "raised_at"
    ordering = ("-raised_at", "-id")

    def _evidence_field(self, request):
        # One callable per request: Django compares the form's fields with the read-only ones by identity.
        cached = getattr(request, "_red_flag_evidence_field", None)
        if cached is not None:
            return cached
        from procurement.selectors.flags import evidence_for

        def evidence(obj):
            shown = evidence_for(request.user, obj)
            return format_html("<pre>{}</pre>", json.dumps(shown, ensure_ascii=False, indent=2, sort_keys=True))

        evidence.short_description = _("evidence")
        request._red_flag_evidence_field = evidence
        return evidence

    def get_fields(self, request, obj=None):
        return (*BASE_FIELDS, self._evidence_field(request))

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)
