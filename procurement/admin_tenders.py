"""Admin of suppliers, qualifications, tenders, notices and clarification questions (read-only, park-scoped:
they change on the portal's pages through `procurement.services`), and of the configurable rules: method
period rules and red-flag thresholds, edited here through `method_rule_set` / `flag_settings_set` so every
change is checked and audited.

The tender's sealing fields (private key, platform share) are never shown. Who asked a clarification question
is shown only to platform administrators and the park's procurement officers (the admin's readers include
auditors and discipline officers, who read it in the audit trail instead).
"""

from django.contrib import admin, messages
from django.db.models import Q

from core.admin import ParkScopedAdminMixin, ReadOnlyAdminMixin
from core.errors import DomainError
from core.roles import is_platform_admin
from core.scoping import ALL, park_ids_for
from procurement.models import (
    ClarificationQuestion,
    FlagSettings,
    MethodRule,
    Qualification,
    QualificationReminder,
    Supplier,
    Tender,
    TenderChange,
)
from procurement.selectors.access import can_run_procurement
from procurement.services.tenders import FLAG_FIELDS, RULE_FIELDS, flag_settings_set, method_rule_set


class ProcurementReadOnlyAdmin(ParkScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Shows the rows of the user's parks; writing them is for the services."""


class QualificationInline(admin.TabularInline):
    model = Qualification
    extra = 0
    can_delete = False
    fields = ["kind", "name", "number", "issuer", "issued_on", "expires_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Supplier)
class SupplierAdmin(ProcurementReadOnlyAdmin):
    list_display = ["enterprise", "park", "status", "status_changed_at", "registered_at"]
    list_filter = ["status", "park"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "business_scope"]
    list_select_related = ["enterprise", "park"]
    inlines = [QualificationInline]


@admin.register(Qualification)
class QualificationAdmin(ProcurementReadOnlyAdmin):
    list_display = ["__str__", "supplier", "issuer", "expires_on"]
    list_filter = ["kind"]
    search_fields = ["number", "supplier__enterprise__name"]
    park_field = "supplier__park"
    list_select_related = ["supplier__enterprise"]


@admin.register(QualificationReminder)
class QualificationReminderAdmin(ProcurementReadOnlyAdmin):
    list_display = ["qualification", "threshold_days", "sent_at"]
    park_field = "qualification__supplier__park"


class TenderChangeInline(admin.TabularInline):
    model = TenderChange
    extra = 0
    can_delete = False
    fields = ["kind", "text", "deadline_before", "deadline_after", "published_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Tender)
class TenderAdmin(ProcurementReadOnlyAdmin):
    list_display = ["number", "title", "park", "method", "status", "budget", "published_at", "bid_deadline"]
    list_filter = ["status", "method", "park"]
    search_fields = ["number", "title"]
    list_select_related = ["park"]
    exclude = ["sealed_private_key", "platform_share"]
    inlines = [TenderChangeInline]


@admin.register(TenderChange)
class TenderChangeAdmin(ProcurementReadOnlyAdmin):
    list_display = ["tender", "kind", "published_at", "deadline_before", "deadline_after"]
    list_filter = ["kind"]
    park_field = "tender__park"
    list_select_related = ["tender"]


@admin.register(ClarificationQuestion)
class ClarificationQuestionAdmin(ProcurementReadOnlyAdmin):
    list_display = ["tender", "asked_at", "answered_at"]
    park_field = "tender__park"
    list_select_related = ["tender"]

    def get_exclude(self, request, obj=None):
        if obj is not None and (
            is_platform_admin(request.user) or can_run_procurement(request.user, obj.tender.park_id)
        ):
            return []
        return ["asked_by"]


# --- configurable rules ---------------------------------------------------------------------------------------


class RuleAdminMixin:
    """Rows of the platform default (park empty) and of the user's parks; saved through the service."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("park")
        ids = park_ids_for(request.user)
        if ids is ALL:
            return queryset
        return queryset.filter(Q(park__isnull=True) | Q(park_id__in=ids))

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or is_platform_admin(request.user):
            return True
        return obj.park_id is not None and can_run_procurement(request.user, obj.park_id)

    def get_readonly_fields(self, request, obj=None):
        return self.fixed_fields if obj is not None else ()

    def _save(self, request, obj, form, service, fields, extra):
        values = {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}
        try:
            saved = service(park=obj.park if obj.park_id else None, actor=request.user, **extra, **values)
        except DomainError as error:
            messages.error(request, str(error.message))
            return
        obj.pk = saved.pk


@admin.register(MethodRule)
class MethodRuleAdmin(RuleAdminMixin, admin.ModelAdmin):
    list_display = ["method", "park", "min_bidding_days", "bidding_days_are_working_days", "change_notice_days"]
    list_filter = ["method", "park"]
    fixed_fields = ("park", "method")

    def save_model(self, request, obj, form, change):
        self._save(request, obj, form, method_rule_set, RULE_FIELDS, {"method": obj.method})


@admin.register(FlagSettings)
class FlagSettingsAdmin(RuleAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "near_budget_ratio", "close_price_ratio", "dominance_share", "open_tender_threshold"]
    fixed_fields = ("park",)

    def save_model(self, request, obj, form, change):
        self._save(request, obj, form, flag_settings_set, FLAG_FIELDS, {})
