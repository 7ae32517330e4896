"""Django admin for parks/. Park administrators see only their parks' rows; enterprise status changes go
through the services (the actions below), never through the edit form."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.roles import is_platform_admin
from core.scoping import filter_by_park
from parks.models import (
    Department,
    Enterprise,
    EnterpriseMembership,
    Park,
    ParkFigure,
    ParkStatistic,
    StaffProfile,
)
from parks.services import department_set_head, enterprise_create, enterprise_reject, enterprise_verify


class ParkScopedAdmin(admin.ModelAdmin):
    """Restricts the change list, and the park choices of forms, to the parks the user may see."""

    park_field = "park"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if is_platform_admin(request.user):
            return qs
        return filter_by_park(qs, request.user, field=self.park_field).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Park and not is_platform_admin(request.user):
            kwargs["queryset"] = filter_by_park(Park.objects.all(), request.user, field="pk")
        if db_field.related_model is Department and not is_platform_admin(request.user):
            kwargs["queryset"] = filter_by_park(Department.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Park and not is_platform_admin(request.user):
            kwargs["queryset"] = filter_by_park(Park.objects.all(), request.user, field="pk")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ParkStatisticInline(admin.TabularInline):
    model = ParkStatistic
    extra = 0
    fields = [
        "year",
        "period_kind",
        "period_number",
        "revenue",
        "output",
        "fixed_asset_investment",
        "rd_spending",
        "import_export",
        "industrial_profit",
        "reported_growth",
        "source",
    ]


class ParkFigureInline(admin.TabularInline):
    model = ParkFigure
    extra = 0
    fields = ["order", "label", "value", "unit", "year", "source"]


@admin.register(Park)
class ParkAdmin(ParkScopedAdmin):
    park_field = "pk"
    list_display = ["name", "code", "level", "region", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code", "region"]
    inlines = [ParkStatisticInline, ParkFigureInline]

    def get_readonly_fields(self, request, obj=None):
        # A park's identity is the platform's business; its administrators edit its content.
        if obj is not None and not is_platform_admin(request.user):
            return ["name", "code", "level", "is_active"]
        return []


@admin.register(ParkStatistic)
class ParkStatisticAdmin(ParkScopedAdmin):
    list_display = ["park", "year", "period_kind", "period_number", "revenue", "output", "source"]
    list_filter = ["park", "year", "period_kind"]
    list_select_related = ["park"]


@admin.register(ParkFigure)
class ParkFigureAdmin(ParkScopedAdmin):
    list_display = ["park", "label", "value", "unit", "year", "order"]
    list_filter = ["park"]
    list_select_related = ["park"]


@admin.register(Department)
class DepartmentAdmin(ParkScopedAdmin):
    list_display = ["name", "park", "kind", "head", "is_active"]
    list_filter = ["park", "kind", "is_active"]
    search_fields = ["name"]
    list_select_related = ["park", "head"]
    raw_id_fields = ["head"]

    def save_model(self, request, obj, form, change):
        # The head is set through the service, which checks and audits it; everything else saves plainly.
        new_head = obj.head
        if change:
            obj.head_id = form.initial.get("head")
        else:
            obj.head = None
        super().save_model(request, obj, form, change)
        if obj.head_id != getattr(new_head, "pk", None):
            try:
                department_set_head(department=obj, head=new_head, actor=request.user)
            except DomainError as error:
                self.message_user(request, str(error.message), messages.ERROR)


class EnterpriseActionForm(ActionForm):
    reason = forms.CharField(label=_("Reason (for rejection)"), required=False, max_length=1000)


class EnterpriseMembershipInline(admin.TabularInline):
    model = EnterpriseMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Enterprise)
class EnterpriseAdmin(ParkScopedAdmin):
    list_display = ["name", "credit_code", "park", "industry", "status", "created_at"]
    list_filter = ["status", "park"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["park"]
    readonly_fields = ["status", "verified_at", "verified_by", "rejected_at", "rejection_reason", "created_at"]
    inlines = [EnterpriseMembershipInline]
    action_form = EnterpriseActionForm
    actions = ["verify_selected", "reject_selected"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:
            # The park and the code identify the enterprise once it exists.
            fields += ["park", "credit_code"]
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new enterprise added by the park goes through the service (verified, audited).
        data = form.cleaned_data
        created = enterprise_create(
            park=data["park"],
            name=data["name"],
            credit_code=data["credit_code"],
            actor=request.user,
            industry=data.get("industry", ""),
            legal_representative=data.get("legal_representative", ""),
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
            contact_email=data.get("contact_email", ""),
            address=data.get("address", ""),
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    def _apply(self, request, queryset, apply, done_message):
        done = 0
        for enterprise in queryset:
            try:
                apply(enterprise)
            except DomainError as error:
                self.message_user(request, f"{enterprise}: {error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Verify the selected registrations"), permissions=["change"])
    def verify_selected(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda e: enterprise_verify(enterprise=e, actor=request.user),
            _("%(count)d enterprise(s) verified."),
        )

    @admin.action(description=_("Reject the selected registrations (give the reason)"), permissions=["change"])
    def reject_selected(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        if not reason:
            self.message_user(request, _("Please give the reason for the rejection."), messages.ERROR)
            return
        self._apply(
            request,
            queryset,
            lambda e: enterprise_reject(enterprise=e, actor=request.user, reason=reason),
            _("%(count)d registration(s) rejected."),
        )


@admin.register(StaffProfile)
class StaffProfileAdmin(ParkScopedAdmin):
    park_field = "parks"
    list_display = ["user", "department", "position"]
    list_filter = ["parks", "department__kind"]
    search_fields = ["user__username", "user__display_name", "position"]
    list_select_related = ["user", "department"]
    raw_id_fields = ["user"]
    filter_horizontal = ["parks"]


@admin.register(EnterpriseMembership)
class EnterpriseMembershipAdmin(ParkScopedAdmin):
    park_field = "enterprise__park"
    list_display = ["user", "enterprise", "role", "created_at"]
    list_filter = ["role", "enterprise__park"]
    search_fields = ["user__username", "enterprise__name", "enterprise__credit_code"]
    list_select_related = ["user", "enterprise"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["enterprise"]
