"""Excel export of an auditor's dossier (核查档案): one sheet per section of
`procurement.selectors.dossier.dossier_sections`, and the audit trail as the last sheet."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

MAX_WIDTH = 60


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, int | float) or hasattr(value, "as_tuple"):  # numbers and Decimals stay numbers
        return value
    return str(value)


def _sheet_title(title, used):
    # Excel: at most 31 characters, none of []:*?/\ ; unique within the workbook.
    clean = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")[:28] or "Sheet"
    name, n = clean, 2
    while name in used:
        name, n = f"{clean[:26]} {n}", n + 1
    used.add(name)
    return name


def _write(sheet, headers, rows):
    bold = Font(bold=True)
    if headers:
        sheet.append([str(h) for h in headers])
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_cell(v) for v in row])
    widths = {}
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[cell.column] = min(MAX_WIDTH, max(widths.get(cell.column, 8), len(str(cell.value or "")) + 2))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def dossier_workbook(tender, sections, trail):
    """The workbook as bytes."""
    book = Workbook()
    book.remove(book.active)
    used = set()
    for section in sections:
        sheet = book.create_sheet(_sheet_title(section.title, used))
        headers = section.headers or [_("Field"), _("Value")]
        rows = list(section.rows)
        if section.note:
            rows.append([section.note])
        _write(sheet, headers, rows)
    sheet = book.create_sheet(_sheet_title(_("Audit trail"), used))
    _write(
        sheet,
        [_("Time"), _("Action"), _("Record"), _("Actor"), _("Data")],
        [(timezone.localtime(r.at).strftime("%Y-%m-%d %H:%M:%S"), r.action, r.target, r.actor, r.data) for r in trail],
    )
    book.properties.title = f"{tender.number} {tender.title}"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
