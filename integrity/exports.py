"""Excel export of declarations (for discipline officers; the view checks the role, the selector scopes the
rows)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def declarations_workbook(declarations):
    """An .xlsx (bytes) with one row per declaration: the common columns, then a summary of its content."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Declarations")[:31]
    headers = [
        _("Number"),
        _("Park"),
        _("Kind"),
        _("Declarant"),
        _("Post"),
        _("Summary"),
        _("Status"),
        _("Due by"),
        _("First submitted"),
        _("Late"),
        _("Flags"),
        _("Reviewer"),
        _("Reviewed at"),
        _("Reviewer's reason"),
        _("Required action"),
        _("Action taken"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for declaration in declarations:
        sheet.append(
            [
                declaration.pk,
                declaration.park.name,
                declaration.get_kind_display(),
                declaration.declarant.get_full_name(),
                declaration.declarant_post,
                declaration.summary,
                declaration.get_status_display(),
                declaration.due_date,
                _local(declaration.first_submitted_at),
                _("Yes") if declaration.is_late else _("No"),
                "; ".join(declaration.flag_labels),
                declaration.reviewer.get_full_name() if declaration.reviewer_id else "",
                _local(declaration.reviewed_at),
                declaration.review_reason,
                declaration.get_required_action_display() if declaration.required_action else "",
                declaration.action_report,
            ]
        )
    widths = [8, 18, 12, 12, 16, 40, 12, 12, 17, 6, 30, 12, 17, 30, 20, 30]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
