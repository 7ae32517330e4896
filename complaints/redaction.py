"""Removing personal data from ticket texts before anything about a ticket is made public (the published
answer lists and Open311's public request list).

What goes: the names of the people a ticket knows (contact, submitter, accused official, handlers), the
filing enterprise's name (and the same name without its legal-form suffix), any other company name
recognised by its legal form (…有限公司, …集团), mobile and landline numbers, e-mail addresses, and 18-character
identity-card numbers and unified social credit codes. Text-based removal cannot catch a name nobody
recorded, which is why publishing stays an official's decision with a preview (see the disclosure pages).
"""

import re

PERSON = "某某"
ENTERPRISE = "某企业"
HIDDEN = "***"

_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团")
_COMPANY = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9（）()]{2,30}?(?:股份有限公司|有限责任公司|有限公司|集团公司|集团)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Credit codes and identity-card numbers: 18 characters of digits and capitals (a check character at the end).
_CODE18 = re.compile(r"(?<![0-9A-Za-z])[0-9A-Z]{17}[0-9A-Z](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
# Landlines only with their area code, so amounts and dates (20250609) stay.
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")


def _variants(enterprise_name):
    name = (enterprise_name or "").strip()
    if not name:
        return []
    variants = [name]
    for suffix in _LEGAL_FORMS:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            variants.append(name[: -len(suffix)])
            break
    return variants


def redact(text, *, people=(), enterprises=()):
    """`text` without personal data; `people` and `enterprises` are names known to appear in it."""
    text = text or ""
    for name in sorted({n for e in enterprises for n in _variants(e)}, key=len, reverse=True):
        text = text.replace(name, ENTERPRISE)
    text = _COMPANY.sub(ENTERPRISE, text)
    for name in sorted({(p or "").strip() for p in people if p and len(p.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, PERSON)
    text = _EMAIL.sub(HIDDEN, text)
    text = _CODE18.sub(HIDDEN, text)
    text = _MOBILE.sub(HIDDEN, text)
    text = _LANDLINE.sub(HIDDEN, text)
    return text


def _full_name(user):
    return user.get_full_name() if user is not None else ""


def ticket_redactor(ticket):
    """A one-argument `redact` for the texts of `ticket`, knowing its people and its enterprise."""
    people = [
        ticket.contact_name,
        _full_name(ticket.submitter),
        _full_name(ticket.accused_official),
        _full_name(ticket.assignee),
        _full_name(getattr(ticket, "replied_by", None)),
    ]
    enterprises = [ticket.enterprise.name] if ticket.enterprise_id else []

    def _redact(text):
        return redact(text, people=people, enterprises=enterprises)

    return _redact
