"""Procurement's links into the integrity app, registered from `ProcurementConfig.ready()`:

- an open-business provider (`integrity.business`): a gift from an enterprise that has a live bid in one of the
  park's tenders (sealed or opened, in a tender not yet contracted, failed or cancelled) or a contract in
  performance with the park is flagged on the gift declaration;
- a spending source of the 三重一大 register (`integrity.decisions_spending`): the park's contracts, so that a
  contract at or over the threshold without a collective decision is flagged there.

Choices where the text is silent: the declarant of a gift sees the flag's description, so a bid that is still
sealed is described without its tender (before opening, nobody learns who bids in which tender); an opened
bid names its tender (the opening record is public to the bidders). A contract is "in performance" while it
is signed or published, not terminated, and its performance period has not ended. A contract's spending is
its original value plus its supplementary contracts, dated on signature; works contracts count as major
projects (重大项目安排), goods and services as large-sum fund operations (大额度资金运作).
"""

from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from procurement.choices import OPEN_TENDER_STATUSES, BidStatus, ContractStatus

LIVE_BID_STATUSES = (BidStatus.SEALED, BidStatus.OPENED, BidStatus.TAMPERED)
SHOWN = 5


def open_procurement_business(enterprise, park):
    """`integrity.business` provider: the enterprise's live bids and contracts in performance with `park`."""
    from procurement.models import Bid, Contract

    found = []
    bids = (
        Bid.objects.filter(
            supplier__enterprise=enterprise,
            tender__park=park,
            status__in=LIVE_BID_STATUSES,
            tender__status__in=OPEN_TENDER_STATUSES,
        )
        .select_related("tender")
        .order_by("submitted_at", "id")[:SHOWN]
    )
    for bid in bids:
        if bid.status == BidStatus.SEALED:
            found.append(_("A sealed bid in a tender of the park"))
        else:
            found.append(_("Bid in tender %(number)s") % {"number": bid.tender.number})
    today = timezone.localdate()
    contracts = (
        Contract.objects.filter(supplier__enterprise=enterprise, park=park)
        .filter(status__in=(ContractStatus.SIGNED, ContractStatus.PUBLISHED))
        .filter(Q(period_end__isnull=True) | Q(period_end__gte=today))
        .order_by("signed_on", "id")[:SHOWN]
    )
    found.extend(_("Contract %(number)s") % {"number": contract.number} for contract in contracts)
    return found


def _tender_url(tender):
    # The tender page belongs to the tenders stage; a missing route must not break the 三重一大 register.
    try:
        return reverse("procurement:tender-detail", kwargs={"pk": tender.pk})
    except NoReverseMatch:
        return ""


def _decision_kind(contract):
    from integrity.choices_decisions import DecisionKind

    return DecisionKind.MAJOR_PROJECT if contract.tender.category == "works" else DecisionKind.LARGE_FUNDS


def contract_spending_items(park, since, until):
    """`integrity.decisions_spending` source: the park's contracts signed in ``[since, until]``."""
    from integrity.decisions_spending import SpendingItem
    from procurement.models import Contract

    contracts = (
        Contract.objects.filter(park=park, signed_on__gte=since, signed_on__lte=until)
        .exclude(status=ContractStatus.TERMINATED)
        .select_related("tender", "supplier__enterprise")
        .annotate(amended=Sum("amendments__value_change"))
        .order_by("signed_on", "id")
    )
    return [
        SpendingItem(
            kind_label=_("Contract"),
            reference=contract.number,
            description=f"{contract.supplier.enterprise.name} · {contract.title}",
            amount=contract.value + (contract.amended or Decimal(0)),
            date=contract.signed_on,
            # The integrator adds Contract.decision (FK to integrity.CollectiveDecision); None until then.
            decision_id=getattr(contract, "decision_id", None),
            url=_tender_url(contract.tender),
            decision_kind=_decision_kind(contract),
        )
        for contract in contracts
    ]


def register_all():
    from integrity.business import register_open_business_provider
    from integrity.decisions_spending import register_spending_source

    register_open_business_provider(open_procurement_business)
    register_spending_source(contract_spending_items)
