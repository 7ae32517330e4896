"""Admin of the risk register, the screening campaigns and the notices (imported by `integrity.admin`).

Everything is read-only here: risks, controls, reviews and campaigns change on the portal's pages through
`integrity.services.risks` / `.screening`, the matrix rules are published on the matrix page through
`risk_matrix_publish` (a published version never changes, since risks keep the version they were scored
under), and notices are drafted and published through `integrity.services.notices`. Rows are limited to the
parks of the user (platform administrators see all).
"""

from django.contrib import admin

from core.roles import OFFICIAL_ROLES, has_role, is_platform_admin
from core.scoping import ALL, park_ids_for
from integrity import models
from integrity.admin import ReadOnlyAdmin

# The declarations admin's read-only, park-scoped base serves the register too (imported once
# integrity.admin has defined it: that module imports this one at its end).
RegisterAdmin = ReadOnlyAdmin


class RiskControlInline(admin.TabularInline):
    model = models.RiskControl
    extra = 0
    can_delete = False
    fields = ["kind", "description", "owner", "due_date", "status", "completed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.RiskMatrixVersion)
class RiskMatrixVersionAdmin(RegisterAdmin):
    list_display = ["__str__", "medium_from", "high_from", "major_from", "impact_floors", "review_days", "published_at"]
    list_filter = ["park"]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request).select_related("park")
        ids = park_ids_for(request.user)
        if ids is ALL:
            return queryset
        from django.db.models import Q

        return queryset.filter(Q(park__isnull=True) | Q(park_id__in=ids))


@admin.register(models.IntegrityRisk)
class IntegrityRiskAdmin(RegisterAdmin):
    list_display = ["title", "park", "department", "post", "area", "inherent_level", "residual_level", "status"]
    list_filter = ["status", "area", "residual_level", "inherent_level", "park"]
    search_fields = ["title", "post", "description"]
    list_select_related = ["park", "department"]
    inlines = [RiskControlInline]


@admin.register(models.RiskControl)
class RiskControlAdmin(RegisterAdmin):
    list_display = ["description", "risk", "kind", "owner", "due_date", "status"]
    list_filter = ["kind", "status"]
    park_field = "risk__park"
    list_select_related = ["risk", "owner"]


@admin.register(models.RiskReview)
class RiskReviewAdmin(RegisterAdmin):
    list_display = ["risk", "reviewer", "reviewed_on", "residual_level", "due_date", "next_due_date"]
    list_filter = ["residual_level"]
    park_field = "risk__park"
    list_select_related = ["risk", "reviewer"]


@admin.register(models.RiskReviewReminder)
class RiskReviewReminderAdmin(RegisterAdmin):
    list_display = ["risk", "due_date", "kind", "sent_at", "recipient_count"]
    list_filter = ["kind"]
    park_field = "risk__park"


@admin.register(models.RiskScreeningCampaign)
class RiskScreeningCampaignAdmin(RegisterAdmin):
    list_display = ["title", "park", "deadline", "status", "created_at"]
    list_filter = ["status", "park"]


@admin.register(models.RiskScreeningResponse)
class RiskScreeningResponseAdmin(RegisterAdmin):
    list_display = ["campaign", "department", "status", "answered_at", "answered_by"]
    list_filter = ["status"]
    park_field = "campaign__park"


@admin.register(models.RiskScreeningReminder)
class RiskScreeningReminderAdmin(RegisterAdmin):
    list_display = ["response", "threshold", "sent_at", "notified"]
    park_field = "response__campaign__park"


class NoticeAdmin(RegisterAdmin):
    """Notices name people: officials of the park and platform administrators only (not auditors)."""

    def has_module_permission(self, request):
        return is_platform_admin(request.user) or (
            has_role(request.user, *OFFICIAL_ROLES) and super().has_module_permission(request)
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_view_permission(request, obj)


class NoticePersonInline(admin.TabularInline):
    model = models.NoticePerson
    extra = 0
    can_delete = False
    fields = ["order", "name", "position"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.DisciplinaryNotice)
class DisciplinaryNoticeAdmin(NoticeAdmin):
    list_display = ["title", "park", "kind", "issued_on", "visibility", "status", "published_at"]
    list_filter = ["status", "visibility", "kind", "park"]
    search_fields = ["title"]
    inlines = [NoticePersonInline]


@admin.register(models.NoticePerson)
class NoticePersonAdmin(NoticeAdmin):
    list_display = ["name", "position", "notice"]
    park_field = "notice__park"
