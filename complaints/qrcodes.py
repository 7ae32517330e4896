"""QR posters (码上监督): one per park and one per department, whose code opens the public form with the
channel (``qr``), the park and the place already filled in.

The link is built on ``settings.SITE_URL`` — the portal's public address — not on the host the poster was
downloaded from, because a printed poster must work for anyone who scans it.
"""

from io import BytesIO
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from complaints.choices import Channel
from complaints.pdf import qr_poster_pdf


def poster_place(park, department=None):
    return department.name if department is not None else park.name


def poster_url(park, department=None):
    """The public form's address with ``channel=qr``, the park's code and the place."""
    query = urlencode({"park": park.code, "channel": Channel.QR.value, "place": poster_place(park, department)})
    return f"{settings.SITE_URL}{reverse('complaints:new')}?{query}"


def qr_code(url):
    # Level M survives a poster that is a little dirty or creased.
    return segno.make(url, error="m", micro=False)


def poster_png(park, department=None, *, scale=12):
    """The QR code as a PNG image (with its quiet zone), for slides, flyers and screens."""
    buffer = BytesIO()
    qr_code(poster_url(park, department)).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def poster_pdf(park, department=None):
    """The A4 poster as a PDF, for printing."""
    url = poster_url(park, department)
    subtitle = park.name if department is None else f"{park.name} · {department.name}"
    return qr_poster_pdf(
        qr=qr_code(url),
        url=url,
        title=_("QR-code supervision (码上监督)"),
        subtitle=subtitle,
        lines=[
            _("Scan to tell the park what gets in your way."),
            _("By name or anonymously: every demand gets a number, a time limit and an answer."),
            _("Reports about officials' conduct go to the discipline office only."),
        ],
    )
