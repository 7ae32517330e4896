"""Django admin of the 吐槽区.

Park administrators edit their parks' categories and routing rules (saved through
`complaints.services.category_save` / `routing_rule_save`, which check the park and write the audit trail).
Tickets and everything that happens to them are read-only here: the only changes are the actions, which call
the services like every other caller. Confidential tickets appear only to discipline officers, through the
same scoping as the pages (`complaints.selectors.ticket_scope_for`).
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from complaints import services
from complaints.models import (
    AnonymousReceipt,
    Category,
    DuplicateSuggestion,
    ExtensionRequest,
    FollowUp,
    ReturnRequest,
    RoutingRule,
    Ticket,
    TicketCounter,
    TicketMessage,
    TicketReminder,
)
from complaints.selectors import ticket_scope_for
from complaints.services.config import category_check, routing_rule_check
from core.errors import DomainError
from core.roles import is_platform_admin
from core.scoping import filter_by_park
from parks.models import Department, Park


class ParkScopedAdmin(admin.ModelAdmin):
    """Lists and form choices limited to the parks the user may see."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if is_platform_admin(request.user) else filter_by_park(qs, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not is_platform_admin(request.user):
            if db_field.related_model is Park:
                kwargs["queryset"] = filter_by_park(Park.objects.all(), request.user, field="pk")
            elif db_field.related_model is Department:
                kwargs["queryset"] = filter_by_park(Department.objects.all(), request.user)
            elif db_field.related_model is Category:
                kwargs["queryset"] = filter_by_park(Category.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Department and not is_platform_admin(request.user):
            kwargs["queryset"] = filter_by_park(Department.objects.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "park",
            "parent",
            "name",
            "code",
            "description",
            "kind",
            "order",
            "is_active",
            "default_department",
            "is_misconduct",
            "is_confidential",
            "show_on_public_form",
            "accept_days",
            "sign_days",
            "reply_days",
            "urgent_same_day",
        ]

    def _post_clean(self):
        # Only after the model's own validation does the instance hold the form's values.
        super()._post_clean()
        if not self.errors:
            try:
                category_check(self.instance)
            except DomainError as error:
                self.add_error(error.field, str(error))


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["park", "name", "category", "keywords", "department", "co_departments", "priority", "is_active"]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                routing_rule_check(self.instance, self.cleaned_data.get("co_departments"))
            except DomainError as error:
                self.add_error(error.field, str(error))


@admin.register(Category)
class CategoryAdmin(ParkScopedAdmin):
    list_display = [
        "name",
        "park",
        "parent",
        "kind",
        "default_department",
        "is_misconduct",
        "show_on_public_form",
        "is_active",
    ]
    list_filter = ["park", "kind", "is_misconduct", "is_confidential", "show_on_public_form", "is_active"]
    search_fields = ["name", "code"]
    ordering = ["park", "order", "name"]
    fieldsets = [
        (None, {"fields": ["park", "parent", "name", "code", "description", "kind", "order", "is_active"]}),
        (_("Handling"), {"fields": ["default_department", "is_misconduct", "is_confidential", "show_on_public_form"]}),
        (_("Time limits (working days)"), {"fields": ["accept_days", "sign_days", "reply_days", "urgent_same_day"]}),
    ]

    form = CategoryForm

    def save_model(self, request, obj, form, change):
        services.category_save(category=obj, actor=request.user)


@admin.register(RoutingRule)
class RoutingRuleAdmin(ParkScopedAdmin):
    list_display = ["name", "park", "priority", "category", "keywords", "department", "is_active"]
    list_filter = ["park", "is_active"]
    search_fields = ["name", "keywords"]
    ordering = ["park", "priority", "id"]
    filter_horizontal = ["co_departments"]

    form = RoutingRuleForm

    def save_model(self, request, obj, form, change):
        # The rule and its co-departments are saved together by the service, with one audit event.
        services.routing_rule_save(
            rule=obj, actor=request.user, co_departments=list(form.cleaned_data.get("co_departments", []))
        )

    def save_related(self, request, form, formsets, change):
        """Nothing left to save: `save_model` stored the co-departments."""


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the services: shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TicketChildAdmin(ReadOnlyAdmin):
    """Rows hanging off a ticket: visible where the ticket is."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(ticket__in=ticket_scope_for(request.user))


class TicketMessageInline(admin.TabularInline):
    model = TicketMessage
    extra = 0
    fields = ["created_at", "author", "author_kind", "internal", "body"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "subject",
        "park",
        "category",
        "status",
        "lead_department",
        "reply_due",
        "supervision_level",
    ]
    list_filter = ["park", "status", "channel", "priority", "is_confidential"]
    search_fields = ["number", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["park", "category", "category__parent", "lead_department"]
    inlines = [TicketMessageInline]
    actions = ["accept_selected", "route_unrouted"]
    exclude = ["contact_phone"]

    def get_queryset(self, request):
        return ticket_scope_for(request.user).select_related("park", "category", "lead_department")

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or ticket_scope_for(request.user).filter(pk=obj.pk).exists()
        )

    @admin.action(description=_("Accept the selected tickets (受理)"))
    def accept_selected(self, request, queryset):
        done = 0
        for ticket in queryset:
            try:
                services.ticket_accept(ticket=ticket, actor=request.user)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{ticket.number}: {error}", messages.WARNING)
        if done:
            self.message_user(request, _("%(count)d tickets accepted.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Route the selected tickets now, if not routed yet"))
    def route_unrouted(self, request, queryset):
        routed = 0
        for ticket in queryset.filter(routed_at__isnull=True):
            services.ticket_route(ticket_id=ticket.pk)
            routed += 1
        self.message_user(request, _("%(count)d tickets routed.") % {"count": routed}, messages.SUCCESS)


@admin.register(TicketMessage)
class TicketMessageAdmin(TicketChildAdmin):
    list_display = ["ticket", "author", "author_kind", "internal", "created_at"]
    list_filter = ["internal", "author_kind"]


@admin.register(TicketReminder)
class TicketReminderAdmin(TicketChildAdmin):
    list_display = ["ticket", "stage", "cycle", "threshold", "sent_at"]
    list_filter = ["stage", "threshold"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(TicketChildAdmin):
    list_display = ["ticket", "requested_by", "previous_due", "requested_due", "status", "decided_by"]
    list_filter = ["status"]


@admin.register(ReturnRequest)
class ReturnRequestAdmin(TicketChildAdmin):
    list_display = ["ticket", "department", "requested_by", "status", "new_department", "decided_by"]
    list_filter = ["status"]


@admin.register(FollowUp)
class FollowUpAdmin(TicketChildAdmin):
    list_display = ["ticket", "channel", "outcome", "satisfaction", "by", "at"]
    list_filter = ["channel", "outcome", "satisfaction"]


@admin.register(DuplicateSuggestion)
class DuplicateSuggestionAdmin(TicketChildAdmin):
    list_display = ["ticket", "candidate", "reason", "score", "status"]
    list_filter = ["reason", "status"]


@admin.register(AnonymousReceipt)
class AnonymousReceiptAdmin(TicketChildAdmin):
    list_display = ["ticket", "created_at"]
    exclude = ["lookup", "code_hash"]


@admin.register(TicketCounter)
class TicketCounterAdmin(ReadOnlyAdmin):
    list_display = ["park", "year", "last_number"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if is_platform_admin(request.user) else filter_by_park(qs, request.user)
