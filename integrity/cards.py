"""The printable service rating card (监督提醒卡) of an official: A6 PDF (reportlab) and PNG (Pillow + segno).

The card shows the official's name, post, department and park, the park's 正负清单 reminder lines, the
discipline office's phone when recorded, and a QR code of the public rating page. As with the 码上监督
posters (`complaints.qrcodes`), the link is built on ``settings.SITE_URL`` — a printed card must work for
anyone who scans it — and the QR code uses error correction level M.

Chinese text in the PDF uses reportlab's CID font STSong-Light, like `complaints.pdf` (PDF readers supply
the glyphs; no font file ships). A PNG has to carry its glyphs, so it is drawn with a CJK TrueType/OpenType
font found on the server: ``settings.RATING_CARD_FONT`` when set, else the usual places of Noto Sans CJK,
Source Han Sans, WenQuanYi or Droid Sans Fallback (Debian: ``apt install fonts-noto-cjk`` or
``fonts-wqy-microhei``). Without one, the PNG holds the QR code and the link only — never boxes in place of
characters — and the PDF stays the complete card.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib import colors
from reportlab.lib.pagesizes import A6
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from complaints.pdf import FONT
from integrity.selectors.ratings import discipline_phone, reminder_lines

ACCENT = "#a61b1b"
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/adobe-source-han-sans/SourceHanSansCN-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


@dataclass(frozen=True)
class CardFacts:
    """What a card shows, for the PDF, the PNG and the HTML preview alike."""

    name: str
    post: str
    department: str
    park: str
    url: str
    phone: str = ""
    lines: list = field(default_factory=list)


def card_url(card):
    """The public rating page of `card`, on the portal's public address."""
    return f"{settings.SITE_URL}{reverse('integrity:rate', args=[card.token])}"


def card_facts(card):
    official = card.official
    profile = getattr(official, "staff_profile", None)
    return CardFacts(
        name=official.get_full_name() or official.get_username(),
        post=(profile.position if profile else "") or "",
        department=profile.department.name if profile and profile.department_id else "",
        park=card.park.name,
        url=card_url(card),
        phone=discipline_phone(card.park),
        lines=reminder_lines(card.park),
    )


def qr_code(url):
    return segno.make(url, error="m", micro=False)


def _texts(facts):
    """The card's fixed wording (in the active language)."""
    return {
        "title": _("Supervision reminder card (监督提醒卡)"),
        "scan": _("Scan to rate my service: attitude, efficiency, integrity. No sign-in needed."),
        "report": _(
            "Asked for favours, gifts or money (吃拿卡要)? Tick the box on the page to tell the discipline office "
            "in confidence."
        ),
        "phone": _("Discipline office: %(phone)s") % {"phone": facts.phone} if facts.phone else "",
        "reminders": _("We do not:"),
    }


# --- PDF ------------------------------------------------------------------------------------------------

_BODY = ParagraphStyle("card", fontName=FONT, fontSize=7.5, leading=10, wordWrap="CJK")
_SMALL = ParagraphStyle("card-small", parent=_BODY, fontSize=6.5, leading=8.5, textColor=colors.HexColor("#444444"))


def _paragraph(page, text, style, x, y, width):
    """Draw `text` wrapped to `width` with its top at `y`; returns the y below it."""
    paragraph = Paragraph(escape(str(text)), style)
    _w, height = paragraph.wrapOn(page, width, 200 * mm)
    paragraph.drawOn(page, x, y - height)
    return y - height


def card_pdf(card):
    """The card as an A6 PDF page, for printing."""
    facts = card_facts(card)
    texts = _texts(facts)
    buffer = BytesIO()
    width, height = A6
    page = canvas.Canvas(buffer, pagesize=A6)
    page.setTitle(f"{texts['title']} · {facts.name}")
    margin = 8 * mm
    inner = width - 2 * margin

    page.setFillColor(colors.HexColor(ACCENT))
    page.rect(0, height - 16 * mm, width, 16 * mm, stroke=0, fill=1)
    page.setFillColor(colors.white)
    page.setFont(FONT, 12)
    page.drawCentredString(width / 2, height - 8 * mm, texts["title"])
    page.setFont(FONT, 8)
    page.drawCentredString(width / 2, height - 13 * mm, facts.park)

    page.setFillColor(colors.black)
    y = height - 23 * mm
    page.setFont(FONT, 14)
    page.drawString(margin, y, facts.name)
    page.setFont(FONT, 8)
    y -= 5 * mm
    page.drawString(margin, y, " · ".join(part for part in (facts.department, facts.post) if part) or " ")

    # The QR code as vector squares (sharp at any print size), on the right.
    matrix = list(qr_code(facts.url).matrix_iter(scale=1, border=2))
    size = 36 * mm
    cell = size / len(matrix)
    left, top = width - margin - size, height - 20 * mm
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                page.rect(left + col_index * cell, top - (row_index + 1) * cell, cell, cell, stroke=0, fill=1)

    y = min(y - 4 * mm, top - size - 2 * mm)
    y = _paragraph(page, texts["scan"], _BODY, margin, y, inner) - 2 * mm
    if facts.lines:
        y = _paragraph(page, texts["reminders"], _BODY, margin, y, inner) - 1 * mm
        for number, line in enumerate(facts.lines, start=1):
            if y < 28 * mm:
                break
            y = _paragraph(page, f"{number}. {line}", _SMALL, margin, y, inner) - 0.8 * mm
    y = max(y - 2 * mm, 24 * mm)
    y = _paragraph(page, texts["report"], _BODY, margin, y, inner) - 1 * mm
    if texts["phone"]:
        _paragraph(page, texts["phone"], _BODY, margin, y, inner)
    page.setFont("Courier", 5.5)
    page.drawCentredString(width / 2, 5 * mm, facts.url)
    page.showPage()
    page.save()
    return buffer.getvalue()


# --- PNG ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _font_path(configured):
    for candidate in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def cjk_font_path():
    """The CJK font the PNG is drawn with, or None."""
    return _font_path(getattr(settings, "RATING_CARD_FONT", "") or "")


_TOKENS = re.compile(r"[0-9A-Za-z_\-/:.,;!?()'’%]+\s*|\s+|.")


def _wrap(draw, text, font, width):
    """Split `text` into lines no wider than `width`: between any two Chinese characters, but between words
    only for Latin text."""
    lines, current = [], ""
    for token in _TOKENS.findall(str(text)):
        if current and draw.textlength(current + token.rstrip(), font=font) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    if current.strip():
        lines.append(current.rstrip())
    return lines


def card_png(card, *, width=840):
    """The card as a PNG (A6 proportions, `width` pixels wide), for phones, screens and chat groups."""
    facts = card_facts(card)
    texts = _texts(facts)
    height = round(width * 148 / 105)
    unit = width / 105  # pixels per millimetre
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    qr = qr_code(facts.url)
    path = cjk_font_path()

    def font(size_mm):
        return ImageFont.truetype(path, round(size_mm * unit)) if path else ImageFont.load_default(size_mm * unit)

    if path is None:
        # No CJK font: the QR code, centred, and the link in Latin letters.
        qr_image = _qr_image(qr, 70 * unit)
        image.paste(qr_image, ((width - qr_image.width) // 2, round(25 * unit)))
        link_font = font(2.6)
        y = round(30 * unit) + qr_image.height
        for line in _wrap(draw, facts.url, link_font, width - 16 * unit):
            draw.text((width / 2, y), line, fill="black", font=link_font, anchor="ma")
            y += round(4 * unit)
        return _png_bytes(image)

    margin = 8 * unit
    inner = width - 2 * margin
    draw.rectangle([0, 0, width, 16 * unit], fill=ACCENT)
    draw.text((width / 2, 8 * unit), texts["title"], fill="white", font=font(4.2), anchor="mm")
    draw.text((width / 2, 13 * unit), facts.park, fill="white", font=font(2.8), anchor="mm")
    draw.text((margin, 20 * unit), facts.name, fill="black", font=font(5.2))
    subtitle = " · ".join(part for part in (facts.department, facts.post) if part)
    draw.text((margin, 28 * unit), subtitle, fill="#333333", font=font(2.8))

    qr_image = _qr_image(qr, 36 * unit)
    image.paste(qr_image, (round(width - margin - qr_image.width), round(19 * unit)))
    y = max(34 * unit, 19 * unit + qr_image.height + 2 * unit)

    def paragraph(text, size_mm, fill="black", gap=1.0):
        nonlocal y
        face = font(size_mm)
        for line in _wrap(draw, text, face, inner):
            draw.text((margin, y), line, fill=fill, font=face)
            y += size_mm * 1.35 * unit
        y += gap * unit

    paragraph(texts["scan"], 2.7, gap=2)
    if facts.lines:
        paragraph(texts["reminders"], 2.7)
        for number, line in enumerate(facts.lines, start=1):
            if y > height - 40 * unit:
                break
            paragraph(f"{number}. {line}", 2.4, fill="#444444", gap=0.5)
    y = max(y + 1 * unit, height - 34 * unit) if y < height - 34 * unit else y + unit
    paragraph(texts["report"], 2.7)
    if texts["phone"]:
        paragraph(texts["phone"], 2.7)
    draw.text((width / 2, height - 5 * unit), facts.url, fill="#555555", font=font(2.0), anchor="ms")
    return _png_bytes(image)


def _qr_image(qr, size):
    """The QR code as a Pillow image about `size` pixels wide (whole pixels per module, quiet zone of 2)."""
    scale = max(1, round(size / qr.symbol_size(border=2)[0]))
    buffer = BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=2)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def _png_bytes(image):
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
