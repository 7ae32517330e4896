"""Django admin for core's tables.

The audit trail, notifications and attachments are read-only here: they are written by their services only.
Calendar overrides are edited by platform administrators, through `core.services.calendar_day_set` /
`calendar_day_delete` so that every change is audited and every process's calendar reloads. Other apps'
admins can reuse `ParkScopedAdminMixin` and `ReadOnlyAdminMixin`.
"""

import json

from django.contrib import admin
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.audit import filter_events_for
from core.models import Attachment, AuditEvent, CalendarDay, Notification
from core.roles import is_platform_admin
from core.scoping import filter_by_park
from core.services import calendar_day_delete, calendar_day_set


class ParkScopedAdminMixin:
    """Shows a user only the rows of the parks they may see (`core.scoping.filter_by_park`); platform
    administrators see all. `park_field` names the park foreign key (a lookup path is fine)."""

    park_field = "park"

    def get_queryset(self, request):
        return filter_by_park(super().get_queryset(request), request.user, field=self.park_field)


class ReadOnlyAdminMixin:
    """Viewing only: no add, change or delete, whatever the user's model permissions say."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ParkScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "action", "target_type", "target_id", "actor_display", "park")
    list_filter = (
        "action",
        ("park", admin.RelatedOnlyFieldListFilter),
        ("created_at", admin.DateFieldListFilter),
        "actor_kind",
        "target_type",
    )
    date_hierarchy = "created_at"
    search_fields = ("target_id", "chain", "actor_label")
    list_select_related = ("park",)
    fields = (
        "created_at",
        "action",
        "actor_kind",
        "actor_label",
        "actor",
        "park",
        "target_type",
        "target_id",
        "data_display",
        "chain",
        "seq",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields
    show_full_result_count = False

    def get_queryset(self, request):
        return filter_events_for(request.user, super().get_queryset(request))

    @admin.display(description=_("actor"), ordering="actor_label")
    def actor_display(self, event):
        return event.actor_label or event.get_actor_kind_display()

    @admin.display(description=_("data"))
    def data_display(self, event):
        return format_html("<pre>{}</pre>", json.dumps(event.data, indent=2, ensure_ascii=False, sort_keys=True))


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Platform administrators add, change and delete overrides; others with the view permission look."""

    list_display = ("date", "weekday", "is_workday", "name", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
    search_fields = ("name", "note")

    @admin.display(description=_("weekday"))
    def weekday(self, calendar_day):
        return date_format(calendar_day.date, "D")

    def has_add_permission(self, request):
        return is_platform_admin(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_platform_admin(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_platform_admin(request.user) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # A different date is a different override: delete this one and add the other.
        return ("date",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        saved = calendar_day_set(
            date=obj.date, is_workday=obj.is_workday, name=obj.name, note=obj.note, actor=request.user
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        calendar_day_delete(date=obj.date, actor=request.user)

    def delete_queryset(self, request, queryset):
        for calendar_day in queryset:
            calendar_day_delete(date=calendar_day.date, actor=request.user)


@admin.register(Notification)
class NotificationAdmin(ParkScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at", "delivered_at")
    list_filter = ("kind", ("created_at", admin.DateFieldListFilter), ("park", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)


@admin.register(Attachment)
class AttachmentAdmin(ParkScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The file itself is not linked: it is served only through the permission-checked download view."""

    list_display = ("created_at", "original_name", "content_type", "size", "target_type", "target_id", "park")
    list_filter = ("content_type", ("park", admin.RelatedOnlyFieldListFilter))
    search_fields = ("original_name", "sha256", "target_id")
    list_select_related = ("park",)
    exclude = ("file",)
