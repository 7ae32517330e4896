"""Open business between an enterprise and a park (a ticket, a bid, a contract), asked when a gift's giver is
an enterprise: a gift from an enterprise with a matter pending before the park is flagged.

Apps that own such business register a provider in their AppConfig.ready():
``register_open_business_provider(fn)`` where ``fn(enterprise, park) -> iterable of short descriptions``
(e.g. "Ticket YZW-2026-0012"). With no provider registered the answer is empty.
"""

_PROVIDERS = []


def register_open_business_provider(provider):
    """`provider(enterprise, park)` returns descriptions of the enterprise's open business with the park."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def open_business_with(enterprise, park):
    """Descriptions of every open matter between `enterprise` and `park`, from every provider."""
    if enterprise is None or park is None:
        return []
    found = []
    for provider in _PROVIDERS:
        found.extend(str(item) for item in provider(enterprise, park))
    return found


def complaints_open_tickets(enterprise, park):
    """Open tickets filed by or for the enterprise in the park. Confidential tickets (misconduct reports)
    are left out: the declarant sees the flag, and must never learn of a report that may concern them."""
    from complaints.models import Ticket

    tickets = (
        Ticket.objects.open()
        .filter(park=park, enterprise=enterprise, is_confidential=False)
        .order_by("created_at")
        .values_list("number", flat=True)[:5]
    )
    return [f"{_ticket_label()} {number}" for number in tickets]


def _ticket_label():
    from django.utils.translation import gettext

    return gettext("Ticket")
