"""Admin of the integrity registers.

Reference data: the park's rules (`IntegritySettings`, changed through `integrity_settings_update`), and the
published pledge texts and conduct lists, shown read-only — new versions are published on the portal's
“Pledge texts and conduct lists” page, through the services, so that nothing changes a signed text.
Signatures and reminders are read-only. Declarations, yearly returns and samples are CONFIDENTIAL: only
platform administrators see them here, whatever view permissions a role's group carries.
"""

from django.contrib import admin, messages

from core.errors import DomainError
from core.roles import is_platform_admin
from core.scoping import filter_by_park
from integrity import models
from integrity.services.settings import EDITABLE_FIELDS, integrity_settings_update


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows records; writing them is for the services."""

    park_field = "park"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return filter_by_park(queryset, request.user, field=self.park_field) if self.park_field else queryset


class ConfidentialAdmin(ReadOnlyAdmin):
    """Declarations and what hangs on them: platform administrators only."""

    def has_module_permission(self, request):
        return is_platform_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request.user)


@admin.register(models.IntegritySettings)
class IntegritySettingsAdmin(admin.ModelAdmin):
    list_display = ["park", "gift_due_months", "family_event_max_tables", "family_event_max_guests", "updated_at"]
    readonly_fields = ["updated_at", "updated_by"]

    def get_queryset(self, request):
        return filter_by_park(super().get_queryset(request), request.user).select_related("park")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "park"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data}
        try:
            saved = integrity_settings_update(park=obj.park, actor=request.user, **values)
        except DomainError as error:
            messages.error(request, str(error.message))
            return
        obj.pk = saved.pk


class ConductItemInline(admin.TabularInline):
    model = models.ConductItem
    extra = 0
    can_delete = False
    fields = ["order", "kind", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.ConductList)
class ConductListAdmin(ReadOnlyAdmin):
    list_display = ["title", "park", "audience", "version", "published_at", "superseded_at"]
    list_filter = ["audience", "park"]
    inlines = [ConductItemInline]


@admin.register(models.ConductItem)
class ConductItemAdmin(ReadOnlyAdmin):
    list_display = ["text", "kind", "order", "conduct_list"]
    list_filter = ["kind"]
    park_field = "conduct_list__park"


@admin.register(models.PledgeTemplate)
class PledgeTemplateAdmin(ReadOnlyAdmin):
    list_display = ["title", "park", "signer_kind", "version", "term_days", "published_at", "superseded_at"]
    list_filter = ["signer_kind", "park"]
    search_fields = ["title"]


@admin.register(models.Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["display_name", "park", "signer_kind", "template_version", "signed_at", "expires_at"]
    list_filter = ["signer_kind", "park"]
    search_fields = ["signer_name", "enterprise_name"]
    list_select_related = ["park"]


@admin.register(models.PledgeReminder)
class PledgeReminderAdmin(ReadOnlyAdmin):
    list_display = ["pledge", "threshold_days", "sent_at", "skipped"]
    park_field = "pledge__park"


@admin.register(models.Declaration)
class DeclarationAdmin(ConfidentialAdmin):
    list_display = ["id", "kind", "park", "declarant", "status", "due_date", "is_late", "is_flagged"]
    list_filter = ["kind", "status", "is_late", "is_flagged", "park"]
    list_select_related = ["park", "declarant"]


@admin.register(models.GiftDeclaration)
class GiftDeclarationAdmin(ConfidentialAdmin):
    list_display = ["id", "park", "declarant", "giver_name", "gift_kind", "estimated_value", "handling", "status"]
    list_filter = ["gift_kind", "handling", "status"]


@admin.register(models.FamilyEventDeclaration)
class FamilyEventDeclarationAdmin(ConfidentialAdmin):
    list_display = ["id", "park", "declarant", "event_kind", "event_date", "tables", "guests", "status"]
    list_filter = ["event_kind", "status"]


@admin.register(models.InterestDeclaration)
class InterestDeclarationAdmin(ConfidentialAdmin):
    list_display = ["id", "park", "declarant", "relative_name", "enterprise_name", "credit_code", "outcome", "status"]
    list_filter = ["outcome", "status"]


@admin.register(models.DeclarationReminder)
class DeclarationReminderAdmin(ConfidentialAdmin):
    list_display = ["declaration", "code", "sent_at"]
    park_field = "declaration__park"


@admin.register(models.YearlyRound)
class YearlyRoundAdmin(ConfidentialAdmin):
    list_display = ["park", "year", "due_date", "opened_at"]


@admin.register(models.YearlyReturn)
class YearlyReturnAdmin(ConfidentialAdmin):
    list_display = ["round", "declarant", "status", "is_nil", "filed_at", "is_late"]
    list_filter = ["status", "is_nil", "is_late"]


@admin.register(models.YearlyReturnReminder)
class YearlyReturnReminderAdmin(ConfidentialAdmin):
    list_display = ["yearly_return", "threshold_days", "sent_at", "skipped"]
    park_field = "yearly_return__park"


@admin.register(models.VerificationSample)
class VerificationSampleAdmin(ConfidentialAdmin):
    list_display = ["park", "drawn_at", "drawn_by", "population_size", "percent", "seed"]


@admin.register(models.SampleItem)
class SampleItemAdmin(ConfidentialAdmin):
    list_display = ["sample", "declaration", "outcome", "verified_by", "verified_at"]
    park_field = "sample__park"


# The other registers register their admins in their own modules.
from integrity import admin_decisions, admin_ratings, admin_risk  # noqa: E402,F401,I001
