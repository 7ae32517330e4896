"""PDF documents of the 吐槽区, drawn with reportlab: the acknowledgement (回执), the ticket sheet (处理单)
with its trail, and the QR poster (码上监督).

Chinese text uses reportlab's built-in CID font STSong-Light (Adobe's Asian font pack is not needed to
write it; PDF readers supply the glyphs), so no font file ships with the portal. Every text from a user is
escaped before it reaches reportlab's paragraph markup.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_BASE = ParagraphStyle("base", fontName=FONT, fontSize=10.5, leading=15, wordWrap="CJK")
_SMALL = ParagraphStyle("small", parent=_BASE, fontSize=8.5, leading=12, textColor=colors.HexColor("#555555"))
_TITLE = ParagraphStyle("title", parent=_BASE, fontSize=18, leading=26, alignment=1, spaceAfter=6)
_HEADING = ParagraphStyle("heading", parent=_BASE, fontSize=12.5, leading=18, spaceBefore=8, spaceAfter=4)
_MONO = ParagraphStyle("mono", parent=_BASE, fontName="Courier", fontSize=8.5, leading=11, wordWrap=None)


def _p(text, style=_BASE):
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _table(rows, widths=(38 * mm, 132 * mm)):
    table = Table([[_p(label), value if not isinstance(value, str) else _p(value)] for label, value in rows], widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _build(story, *, title):
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=_("Clean Park"),
    )
    document.build(story)
    return buffer.getvalue()


def acknowledgement_pdf(ack):
    """The 回执 of a submission (`complaints.acknowledgement.Acknowledgement`)."""
    rows = [
        (_("Ticket number"), ack.number),
        (_("Park"), ack.park),
        (_("Received at"), _when(ack.received_at)),
        (_("Channel"), ack.channel),
        (_("Category"), ack.category),
        (_("Subject"), ack.subject),
    ]
    if ack.filer:
        rows.append((_("Filed by"), ack.filer))
    if ack.accept_due:
        rows.append((_("To be accepted by"), _when(ack.accept_due)))
    rows.append((_("Content digest (SHA-256)"), _p(ack.digest, _MONO)))
    story = [
        _p(_("Acknowledgement of receipt"), _TITLE),
        _p(ack.park, ParagraphStyle("center", parent=_BASE, alignment=1)),
        Spacer(1, 6 * mm),
        _table(rows),
        Spacer(1, 5 * mm),
        _p(
            _(
                "The digest is the SHA-256 of the subject and the description as received, joined by a line "
                "break. Keep this acknowledgement: with the ticket number you can follow the demand."
            ),
            _SMALL,
        ),
        _p(_("Printed %(when)s") % {"when": _when(timezone.now())}, _SMALL),
    ]
    return _build(story, title=_("Acknowledgement %(number)s") % {"number": ack.number})


def ticket_sheet_pdf(sheet):
    """The 处理单 of a ticket: its facts, the answer and measures, follow-ups and the whole trail.
    `sheet` is the context the HTML print view renders (see `complaints.views.officials.sheet_context`)."""
    ticket = sheet["ticket"]
    rows = [
        (_("Ticket number"), ticket.number),
        (_("Park"), ticket.park.name),
        (_("Status"), ticket.get_status_display()),
        (_("Channel"), ticket.get_channel_display()),
        (_("Category"), str(ticket.category)),
        (_("Priority"), ticket.get_priority_display()),
        (_("Filed by"), sheet["filer"]),
        (_("Contact"), sheet["contact"]),
        (_("Submitted at"), _when(ticket.created_at)),
        (_("Lead department"), ticket.lead_department.name if ticket.lead_department_id else "—"),
        (_("Co-handling departments"), "、".join(d.name for d in ticket.co_departments.all()) or "—"),
        (_("Reply due"), _when(ticket.reply_due)),
        (_("Supervision level"), str(ticket.supervision_level)),
        (_("Subject"), ticket.subject),
        (_("Description"), ticket.body),
    ]
    if ticket.reply:
        rows += [
            (_("Answer"), ticket.reply),
            (_("Rectification measures"), ticket.rectification_measures or "—"),
            (_("Answered at"), _when(ticket.replied_at)),
        ]
    if ticket.satisfaction:
        rows.append((_("Satisfaction"), f"{ticket.satisfaction}/5 {ticket.satisfaction_comment}".strip()))
    if ticket.closure_reason:
        rows.append((_("Reason"), ticket.closure_reason))
    trail = [[_p(_("Time")), _p(_("Step")), _p(_("By")), _p(_("Details"))]]
    for entry in sheet["trail"]:
        details = "; ".join(
            f"{label}: {_when(value) if hasattr(value, 'tzinfo') else value}" for label, value in entry.details
        )
        trail.append([_p(_when(entry.at), _SMALL), _p(entry.label), _p(entry.actor), _p(details, _SMALL)])
    trail_table = Table(trail, (30 * mm, 42 * mm, 32 * mm, 66 * mm), repeatRows=1)
    trail_table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [
        _p(_("Ticket handling sheet"), _TITLE),
        _p(f"{ticket.park.name} · {ticket.number}", ParagraphStyle("center", parent=_BASE, alignment=1)),
        Spacer(1, 5 * mm),
        _table(rows),
        _p(_("Trail"), _HEADING),
        trail_table,
        Spacer(1, 4 * mm),
        _p(_("Printed %(when)s") % {"when": _when(timezone.now())}, _SMALL),
    ]
    return _build(story, title=_("Ticket %(number)s") % {"number": ticket.number})


def qr_poster_pdf(*, qr, url, title, subtitle, lines):
    """An A4 poster: the title, the place, the QR code drawn as vector squares, the link and instructions.
    `qr` is a `segno` QR code of `url`."""
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(title)
    width, height = A4
    page.setFillColor(colors.HexColor("#a61b1b"))
    page.rect(0, height - 42 * mm, width, 42 * mm, stroke=0, fill=1)
    page.setFillColor(colors.white)
    page.setFont(FONT, 30)
    page.drawCentredString(width / 2, height - 24 * mm, title)
    page.setFont(FONT, 15)
    page.drawCentredString(width / 2, height - 35 * mm, subtitle)

    matrix = list(qr.matrix_iter(scale=1, border=4))
    size = 120 * mm
    cell = size / len(matrix)
    left = (width - size) / 2
    top = height - 60 * mm
    page.setFillColor(colors.black)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                page.rect(left + col_index * cell, top - (row_index + 1) * cell, cell, cell, stroke=0, fill=1)

    y = top - size - 12 * mm
    page.setFont(FONT, 13)
    for line in lines:
        page.drawCentredString(width / 2, y, line)
        y -= 8 * mm
    page.setFont("Courier", 8)
    page.drawCentredString(width / 2, 18 * mm, url)
    page.showPage()
    page.save()
    return buffer.getvalue()
