"""Admin of the 三重一大 register (imported by `integrity.admin`).

Everything is read-only here: bodies, rosters, meetings, items, positions, payments and thresholds change on
the register's pages through `integrity.services.decisions`, so that every change is validated and in the
audit trail. Rows are limited to the parks of the user (platform administrators see all).
"""

from django.contrib import admin

from integrity import models
from integrity.admin import ReadOnlyAdmin


class MemberInline(admin.TabularInline):
    model = models.DecisionBodyMember
    extra = 0
    can_delete = False
    fields = ["name", "user", "post", "from_date", "to_date"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class VoteInline(admin.TabularInline):
    model = models.DecisionVote
    extra = 0
    can_delete = False
    fields = ["member", "position", "statement"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.DecisionThreshold)
class DecisionThresholdAdmin(ReadOnlyAdmin):
    list_display = ["park", "kind", "amount", "updated_at", "updated_by"]
    list_filter = ["park"]


@admin.register(models.DecisionBody)
class DecisionBodyAdmin(ReadOnlyAdmin):
    list_display = ["name", "park", "kind", "active"]
    list_filter = ["kind", "active", "park"]
    inlines = [MemberInline]


@admin.register(models.DecisionBodyMember)
class DecisionBodyMemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "post", "body", "from_date", "to_date"]
    park_field = "body__park"
    list_select_related = ["body"]


@admin.register(models.Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "park", "meeting_type", "held_on", "agenda_notified_on"]
    list_filter = ["meeting_type", "park"]
    list_select_related = ["body", "park"]
    date_hierarchy = "held_on"


@admin.register(models.MeetingAttendance)
class MeetingAttendanceAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "member", "status", "reason"]
    list_filter = ["status"]
    park_field = "meeting__park"


@admin.register(models.CollectiveDecision)
class CollectiveDecisionAdmin(ReadOnlyAdmin):
    list_display = ["title", "park", "kind", "amount", "notified_in_advance", "outcome", "meeting"]
    list_filter = ["kind", "outcome", "notified_in_advance", "park"]
    search_fields = ["title", "summary"]
    list_select_related = ["park", "meeting", "meeting__body"]
    inlines = [VoteInline]


@admin.register(models.DecisionVote)
class DecisionVoteAdmin(ReadOnlyAdmin):
    list_display = ["decision", "member", "position"]
    list_filter = ["position"]
    park_field = "decision__park"


@admin.register(models.FundPayment)
class FundPaymentAdmin(ReadOnlyAdmin):
    list_display = ["payee", "park", "amount", "paid_on", "reference", "decision"]
    list_filter = ["park"]
    search_fields = ["payee", "purpose", "reference"]
    list_select_related = ["park", "decision"]
