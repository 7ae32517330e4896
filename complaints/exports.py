"""Excel exports (openpyxl): any filtered ticket list, and a published answer list.

A ticket export is built from the queryset the list page shows (`complaints.selectors` + `TicketFilterSet`),
so it holds exactly what the user may see; identities are left out where the filer asked for 保密 and the
user may not see them, and contacts are masked as in the lists. Texts that would start a formula are
written as text.
"""

from datetime import date, datetime
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from complaints.selectors import ticket_identity_visible_to

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 50_000


def _cell(sheet, value, *, bold=False, wrap=False):
    number_format = None
    if isinstance(value, datetime):
        value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        number_format = "yyyy-mm-dd"
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a text, never a formula
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


_SHEET_TITLE_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")


def _workbook(title, header, rows, widths):
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title.translate(_SHEET_TITLE_FORBIDDEN)[:31] or "Sheet")
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, name, bold=True) for name in header])
    for row in rows:
        sheet.append([_cell(sheet, value, wrap=isinstance(value, str) and len(value) > 40) for value in row])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tickets_workbook(user, tickets, *, now=None):
    """The tickets of a (scoped, filtered) queryset as an .xlsx file, at most `MAX_ROWS` rows."""
    now = now or timezone.now()
    header = [
        _("Number"),
        _("Park"),
        _("Status"),
        _("Channel"),
        _("Category"),
        _("Priority"),
        _("Subject"),
        _("Enterprise"),
        _("Contact person"),
        _("Contact phone"),
        _("Lead department"),
        _("Co-handling departments"),
        _("Submitted at"),
        _("Reply due"),
        _("Answered at"),
        _("Closed at"),
        _("Overdue"),
        _("Supervision level"),
        _("Returns"),
        _("Extensions"),
        _("Reopened"),
        _("Satisfaction"),
        _("Answer"),
        _("Rectification measures"),
    ]
    hidden = _("(protected)")

    def rows():
        for ticket in tickets[:MAX_ROWS].iterator(chunk_size=500):
            visible = ticket_identity_visible_to(user, ticket)
            if ticket.is_anonymous:
                enterprise = contact = phone = _("Anonymous")
            elif visible:
                enterprise = ticket.enterprise.name if ticket.enterprise_id else ""
                contact, phone = ticket.contact_name_masked, ticket.contact_phone_masked
            else:
                enterprise = contact = phone = hidden
            yield [
                ticket.number,
                ticket.park.name,
                ticket.get_status_display(),
                ticket.get_channel_display(),
                str(ticket.category),
                ticket.get_priority_display(),
                ticket.subject,
                enterprise,
                contact,
                phone,
                ticket.lead_department.name if ticket.lead_department_id else "",
                "、".join(d.name for d in ticket.co_departments.all()),
                ticket.created_at,
                ticket.reply_due,
                ticket.replied_at,
                ticket.closed_at,
                _("yes") if ticket.is_overdue(now) else "",
                ticket.supervision_level,
                ticket.return_count,
                ticket.extension_count,
                ticket.reopen_count,
                ticket.satisfaction,
                ticket.reply,
                ticket.rectification_measures,
            ]

    widths = [18, 14, 10, 12, 18, 8, 36, 24, 10, 14, 18, 18, 17, 17, 17, 17, 8, 8, 8, 8, 8, 8, 48, 48]
    return _workbook(_("Tickets"), header, rows(), widths)


def batch_workbook(batch):
    """A published answer list as an .xlsx file: the same columns as its public page."""
    header = [
        _("No."),
        _("Category"),
        _("Subject"),
        _("Demand"),
        _("Answer"),
        _("Rectification measures"),
        _("Department"),
        _("Submitted on"),
        _("Answered on"),
    ]
    rows = (
        [
            item.position,
            item.category_name,
            item.subject,
            item.demand,
            item.reply,
            item.rectification_measures,
            item.department_name,
            item.submitted_on,
            item.replied_on,
        ]
        for item in batch.items.all()
    )
    return _workbook(batch.title, header, rows, [6, 16, 30, 50, 50, 40, 18, 12, 12])
