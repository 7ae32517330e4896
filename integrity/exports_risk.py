"""Excel export of the integrity-risk register in the usual 台账 column order:
序号、部门、岗位、风险点、风险描述/表现形式、风险等级、防控措施、责任人、完成时限、状态.

A risk with several controls keeps one row; its controls, their owners and due dates are listed line by
line in the same cells, so that row n of each column belongs to the same control. The rows come from
`integrity.selectors.risks.risk_list_for` (already scoped to the user), narrowed by the register's
FilterSet.
"""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from integrity.choices_risk import ControlStatus, RiskLevel

LEVEL_FILLS = {
    RiskLevel.MAJOR: "F8CBAD",
    RiskLevel.HIGH: "FCE4D6",
    RiskLevel.MEDIUM: "FFF2CC",
    RiskLevel.LOW: "E2EFDA",
}
WIDTHS = [6, 16, 16, 26, 48, 14, 48, 14, 14, 12]


def register_headers():
    return [
        _("No."),
        _("Department"),
        _("Post"),
        _("Risk point"),
        _("Description / manifestations"),
        _("Risk level"),
        _("Controls"),
        _("Responsible"),
        _("Due by"),
        _("Status"),
    ]


def _level_text(risk):
    inherent = RiskLevel(risk.inherent_level).label
    residual = RiskLevel(risk.residual_level).label
    if risk.inherent_level == risk.residual_level:
        return str(residual)
    return _("%(residual)s (inherent %(inherent)s)") % {"residual": residual, "inherent": inherent}


def register_row(number, risk):
    """The ten cells of one risk."""
    controls = [c for c in risk.controls.all() if c.status != ControlStatus.CANCELLED]
    description = risk.description
    if risk.manifestations:
        description = f"{description}\n{_('Manifestations')}: {risk.manifestations}"
    if controls:
        done = f" ({_('done')})"
        measures = "\n".join(
            f"{n}. [{c.get_kind_display()}] {c.description}" + (done if c.status == ControlStatus.DONE else "")
            for n, c in enumerate(controls, start=1)
        )
        owners = "\n".join(c.owner.get_full_name() for c in controls)
        dues = "\n".join(c.due_date.isoformat() for c in controls)
    else:
        measures = ""
        owners = risk.owner.get_full_name() if risk.owner_id else ""
        dues = ""
    return [
        number,
        risk.department.name,
        risk.post,
        risk.title,
        description,
        _level_text(risk),
        measures,
        owners,
        dues,
        risk.get_status_display(),
    ]


def register_workbook(risks, *, title=None):
    """An .xlsx (bytes) of the register: a title row, the header row, one row per risk."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Integrity-risk register")[:31]
    headers = register_headers()
    heading = title or _("Integrity-risk register (exported %(date)s)") % {"date": timezone.localdate().isoformat()}
    sheet.append([heading])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(headers)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for number, risk in enumerate(risks, start=1):
        sheet.append(register_row(number, risk))
        row = sheet.max_row
        for cell in sheet[row]:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
        fill = LEVEL_FILLS.get(risk.residual_level)
        if fill:
            sheet.cell(row=row, column=6).fill = PatternFill("solid", fgColor=fill)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
