"""Large spending that must rest on a collective decision, from wherever it is recorded.

Apps register a source with `register_spending_source(fn)`; ``fn(park, since, until)`` returns the park's
spending items dated within ``[since, until]`` (dates, both included) as `SpendingItem`s. The 三重一大 flags
(`integrity.decisions_flags`) read every source: an item at or over the park's threshold with no linked
decision, or with a decision that does not cover it, is flagged. Procurement registers its contracts (their
nullable ``decision`` foreign key to `integrity.CollectiveDecision`); this app registers its own register of
fund payments (`FundPayment`), so the flag works without procurement.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from integrity.choices_decisions import DecisionKind


@dataclass(frozen=True)
class SpendingItem:
    """One contract, payment or commitment. `kind_label` says what it is (translated, e.g. “Contract”);
    `reference` its number; `decision_id` the `CollectiveDecision` it rests on, or None; `url` its page.
    `decision_kind` picks the threshold it is compared with (large-sum fund operation unless said)."""

    kind_label: str
    reference: str
    description: str
    amount: Decimal
    date: date
    decision_id: int | None
    url: str
    decision_kind: str = DecisionKind.LARGE_FUNDS


_SOURCES: list[Callable] = []


def register_spending_source(fn):
    """Add a source of spending items (idempotent: registering the same function twice keeps one)."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)
    return fn


def spending_items(park, since, until):
    """Every registered source's items of `park` dated in ``[since, until]``, oldest first."""
    items = []
    for source in _SOURCES:
        items.extend(source(park, since, until))
    return sorted(items, key=lambda item: (item.date, item.reference))


def fund_payment_items(park, since, until):
    """The spending source of this app's own register of large fund payments."""
    from integrity.models import FundPayment

    payments = FundPayment.objects.filter(park=park, paid_on__gte=since, paid_on__lte=until).order_by("paid_on", "id")
    return [fund_payment_item(payment) for payment in payments]


def fund_payment_item(payment):
    """One `FundPayment` as a spending item."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    return SpendingItem(
        kind_label=_("Fund payment"),
        reference=payment.reference or f"FP-{payment.pk}",
        description=f"{payment.payee} · {payment.purpose}",
        amount=payment.amount,
        date=payment.paid_on,
        decision_id=payment.decision_id,
        url=reverse("integrity:fund-payment-list") + f"#payment-{payment.pk}",
    )
