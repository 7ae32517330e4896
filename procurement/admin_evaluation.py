"""Admin of the evaluation, award, objection and contract stages: read-only and park-scoped. Every change goes
through the services on the portal's pages (`procurement.services.evaluation`, `.award`, `.contracts`), which
check roles, time limits and the audit trail; here the rows are only looked up."""

from django.contrib import admin

from core.admin import ParkScopedAdminMixin, ReadOnlyAdminMixin
from procurement.models import (
    Award,
    CommitteeDraw,
    CommitteeMember,
    Contract,
    ContractAmendment,
    EvaluatorPoolMember,
    Objection,
    Score,
)


class _ReadOnly(ParkScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    park_field = "tender__park"


@admin.register(EvaluatorPoolMember)
class EvaluatorPoolMemberAdmin(_ReadOnly):
    park_field = "park"
    list_display = ("user", "park", "kind", "specialty", "employer", "is_active")
    list_filter = ("kind", "is_active", ("park", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__username", "user__display_name", "employer", "employer_credit_code")
    list_select_related = ("user", "park")


@admin.register(CommitteeDraw)
class CommitteeDrawAdmin(_ReadOnly):
    list_display = ("tender", "size", "seed", "drawn_by", "drawn_at")
    search_fields = ("tender__number", "seed")
    list_select_related = ("tender", "drawn_by")


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(_ReadOnly):
    list_display = ("tender", "user", "kind", "is_chair", "status", "status_changed_at")
    list_filter = ("status", "kind")
    search_fields = ("tender__number", "user__username", "user__display_name")
    list_select_related = ("tender", "user")


@admin.register(Score)
class ScoreAdmin(_ReadOnly):
    park_field = "member__tender__park"
    list_display = ("member", "bid", "technical_score", "passes_qualification", "scored_at")
    search_fields = ("member__tender__number",)
    list_select_related = ("member", "member__tender", "member__user", "bid", "bid__tender")


@admin.register(Award)
class AwardAdmin(_ReadOnly):
    list_display = ("tender", "supplier", "amount", "decided_at", "announced_at")
    search_fields = ("tender__number", "supplier__enterprise__name")
    list_select_related = ("tender", "supplier", "supplier__enterprise")
    date_hierarchy = "decided_at"


@admin.register(Objection)
class ObjectionAdmin(_ReadOnly):
    list_display = ("tender", "supplier", "filed_at", "status", "may_affect_result", "answer_due_at", "answered_at")
    list_filter = ("status", "may_affect_result")
    search_fields = ("tender__number", "supplier__enterprise__name", "text")
    list_select_related = ("tender", "supplier", "supplier__enterprise")


@admin.register(Contract)
class ContractAdmin(_ReadOnly):
    park_field = "park"
    list_display = ("number", "title", "supplier", "value", "signed_on", "status", "published_at")
    list_filter = ("status", ("park", admin.RelatedOnlyFieldListFilter))
    search_fields = ("number", "title", "tender__number", "supplier__enterprise__name")
    list_select_related = ("supplier", "supplier__enterprise")
    date_hierarchy = "signed_on"


@admin.register(ContractAmendment)
class ContractAmendmentAdmin(_ReadOnly):
    park_field = "contract__park"
    list_display = ("contract", "value_change", "signed_on", "recorded_at")
    search_fields = ("contract__number", "reason")
    list_select_related = ("contract",)
