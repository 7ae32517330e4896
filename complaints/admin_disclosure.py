"""Admin pages of the published answer lists: read-only, because a batch is changed by nobody once it is
public (it is published through `complaints.services.disclosure.answer_batch_publish`, on the disclosure
pages). Imported by `complaints.apps.ComplaintsConfig.ready`."""

from django.contrib import admin

from complaints.models import AnswerBatch, AnswerBatchItem


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AnswerBatchItemInline(admin.TabularInline):
    model = AnswerBatchItem
    fields = ("position", "ticket", "category_name", "department_name", "subject", "replied_on")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AnswerBatch)
class AnswerBatchAdmin(ReadOnlyAdmin):
    list_display = ("title", "park", "number", "published_at", "published_by")
    list_filter = ("park",)
    readonly_fields = ("park", "number", "title", "introduction", "published_at", "published_by")
    inlines = [AnswerBatchItemInline]


@admin.register(AnswerBatchItem)
class AnswerBatchItemAdmin(ReadOnlyAdmin):
    list_display = ("subject", "batch", "position", "category_name", "department_name", "replied_on")
    list_filter = ("batch__park",)
    search_fields = ("subject", "ticket__number")
    raw_id_fields = ("ticket",)
