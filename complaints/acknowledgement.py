"""The acknowledgement (回执) of a submission: its number, the moment it was received and a digest of what
was submitted, so the filer can later prove what they sent and when.

The digest is SHA-256 over the subject and the description exactly as stored (UTF-8, joined by a line
feed); anyone holding the text can recompute it, and neither the subject nor the description ever changes
after submission.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime


def content_digest(ticket):
    """Hex SHA-256 of ``subject + "\\n" + body``."""
    return hashlib.sha256(f"{ticket.subject}\n{ticket.body}".encode()).hexdigest()


@dataclass(frozen=True)
class Acknowledgement:
    number: str
    park: str
    received_at: datetime
    channel: str
    category: str
    subject: str
    digest: str
    accept_due: datetime | None
    filer: str


def acknowledgement_for(ticket, *, identity_visible=True):
    """What the page and the PDF show. The filer line is empty for anonymous reports."""
    filer = ""
    if identity_visible and not ticket.is_anonymous:
        if ticket.enterprise_id:
            filer = ticket.enterprise.name
        elif ticket.contact_name:
            filer = ticket.contact_name
        elif ticket.submitter_id:
            filer = ticket.submitter.get_full_name()
    return Acknowledgement(
        number=ticket.number,
        park=ticket.park.name,
        received_at=ticket.created_at,
        channel=ticket.get_channel_display(),
        category=str(ticket.category),
        subject=ticket.subject,
        digest=content_digest(ticket),
        accept_due=ticket.accept_due,
        filer=filer,
    )
