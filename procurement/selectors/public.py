"""The public record of procurement: which tenders are public and the public events of each, in date order.

One source for the public notices board (`procurement.views.public`), its API and the OCDS export
(`procurement.ocds`), so that the board and the open data always say the same thing.

A tender is public once a notice of it was published (the single-source justification or the tender notice);
a draft never is, even when it was cancelled before publication. Its public events are:

- ``justification`` — the single-source justification published (单一来源公示);
- ``tender`` — the tender notice published (采购公告);
- ``change`` — a change, clarification or deadline notice (更正公告 / 澄清);
- ``enquiry`` — a clarification question answered publicly (答疑; never who asked);
- ``opening`` — the bids opened (开标记录: how many tenderers and who; prices stay on the opening record);
- ``failure`` / ``cancellation`` — the failure (废标) or cancellation notice (the change notice of that kind
  when the service wrote one, else the tender's own failure time);
- ``award`` — the award publicity (中标/成交结果公告), only once announced: a decision not yet announced
  is not public;
- ``contract`` — the contract published (合同公告), only once published;
- ``amendment`` — a supplementary contract (补充合同) of a published contract.

Nothing sealed is ever read here: no ciphertext, key, commitment or price of a bid.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Prefetch, Q
from django.utils import timezone

from procurement.choices import BidStatus, TenderChangeKind, TenderStatus
from procurement.models import Bid, ClarificationQuestion, ContractAmendment, Tender, TenderChange

#: Event kinds shown on the public notices board (the OCDS export also has "enquiry" and "opening").
NOTICE_KINDS = ("justification", "tender", "change", "failure", "cancellation", "award", "contract", "amendment")
TENDERER_BID_STATUSES = (BidStatus.OPENED, BidStatus.TAMPERED)


@dataclass(frozen=True)
class PublicEvent:
    """One public event of a tender. `key` is stable and unique within the tender (used in release ids and
    anchors); `record` is the change, question, award, contract or amendment it is about (or None)."""

    kind: str
    at: datetime
    tender: Tender
    key: str
    record: object = None

    @property
    def change_kind(self):
        return getattr(self.record, "kind", "") if self.kind == "change" else ""


def related_or_none(obj, name):
    """A reverse one-to-one (``tender.award``, ``tender.contract``) or None when there is none."""
    try:
        return getattr(obj, name)
    except Exception:  # noqa: BLE001 — RelatedObjectDoesNotExist differs per relation; absent is the answer
        return None


def public_tenders(park=None):
    """Tenders with at least one public notice (never drafts), with what their public events need loaded.
    `park` narrows to one park (a Park or its pk)."""
    queryset = (
        Tender.objects.exclude(status=TenderStatus.DRAFT)
        .filter(Q(published_at__isnull=False) | Q(justification_published_at__isnull=False))
        .select_related(
            "park",
            "buyer_department",
            "award__supplier__enterprise",
            "contract__supplier__enterprise",
        )
        .prefetch_related(
            "invited_suppliers",
            Prefetch("changes", queryset=TenderChange.objects.order_by("published_at", "id")),
            Prefetch(
                "questions",
                queryset=ClarificationQuestion.objects.filter(answered_at__isnull=False).order_by("answered_at", "id"),
                to_attr="answered_questions",
            ),
            Prefetch(
                "bids",
                queryset=Bid.objects.filter(status__in=TENDERER_BID_STATUSES, opened_at__isnull=False)
                .select_related("supplier__enterprise")
                .order_by("alias", "id"),
                to_attr="opened_bids",
            ),
            Prefetch(
                "contract__amendments",
                queryset=ContractAmendment.objects.order_by("recorded_at", "id"),
            ),
        )
        .order_by("id")
    )
    if park is not None:
        queryset = queryset.filter(park=getattr(park, "pk", park))
    return queryset


def announced_award(tender):
    """The tender's award once announced (public), else None."""
    award = related_or_none(tender, "award")
    if award is None:
        return None
    if award.announced_at is None and tender.announced_at is None:
        return None
    return award


def award_announced_at(tender, award):
    return award.announced_at or tender.announced_at


def published_contract(tender):
    """The tender's contract once published, else None."""
    contract = related_or_none(tender, "contract")
    if contract is None or contract.published_at is None:
        return None
    return contract


def amendment_published_at(contract, amendment):
    """A supplementary contract is public from its recording, but never before its contract's publication."""
    return max(amendment.recorded_at, contract.published_at)


def tender_public_events(tender):
    """The public events of one tender (loaded through `public_tenders`), oldest first."""
    events = []
    if tender.justification_published_at:
        events.append(PublicEvent("justification", tender.justification_published_at, tender, "justification"))
    if tender.published_at:
        events.append(PublicEvent("tender", tender.published_at, tender, "tender"))
    closing_notice = False
    for change in tender.changes.all():
        if change.kind == TenderChangeKind.FAILURE:
            kind = "failure"
            closing_notice = True
        elif change.kind == TenderChangeKind.CANCELLATION:
            kind = "cancellation"
            closing_notice = True
        else:
            kind = "change"
        events.append(PublicEvent(kind, change.published_at, tender, f"change-{change.pk}", change))
    for question in getattr(tender, "answered_questions", ()):
        events.append(PublicEvent("enquiry", question.answered_at, tender, f"enquiry-{question.pk}", question))
    if tender.opened_at:
        events.append(PublicEvent("opening", tender.opened_at, tender, "opening"))
    if tender.status in (TenderStatus.FAILED, TenderStatus.CANCELLED) and not closing_notice:
        kind = "failure" if tender.status == TenderStatus.FAILED else "cancellation"
        at = tender.failed_at or tender.updated_at
        events.append(PublicEvent(kind, at, tender, kind))
    award = announced_award(tender)
    if award is not None:
        events.append(PublicEvent("award", award_announced_at(tender, award), tender, "award", award))
    contract = published_contract(tender)
    if contract is not None:
        events.append(PublicEvent("contract", contract.published_at, tender, "contract", contract))
        for amendment in contract.amendments.all():
            at = amendment_published_at(contract, amendment)
            events.append(PublicEvent("amendment", at, tender, f"amendment-{amendment.pk}", amendment))
    order = {key: n for n, key in enumerate(("justification", "tender"))}
    events.sort(key=lambda e: (e.at, order.get(e.kind, 2)))
    return events


def _day_bounds(date_from, date_to):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date_from, time.min), tz) if date_from else None
    end = timezone.make_aware(datetime.combine(date_to, time.max), tz) if date_to else None
    return start, end


def public_events(*, park=None, date_from=None, date_to=None, kinds=None, newest_first=False):
    """Every public event of the public tenders of `park` (or of all active parks), narrowed to the local
    dates `date_from` … `date_to` (inclusive) and to `kinds`."""
    start, end = _day_bounds(date_from, date_to)
    tenders = public_tenders(park)
    if park is None:
        tenders = tenders.filter(park__is_active=True)
    if end is not None:  # nothing of a tender can be public before its first notice
        tenders = tenders.filter(Q(published_at__lte=end) | Q(justification_published_at__lte=end))
    found = []
    for tender in tenders:
        for event in tender_public_events(tender):
            if kinds is not None and event.kind not in kinds:
                continue
            if (start is not None and event.at < start) or (end is not None and event.at > end):
                continue
            found.append(event)
    found.sort(key=lambda e: (e.at, e.tender.pk, e.key), reverse=newest_first)
    return found


def public_tender_get(pk):
    """One public tender with its public events loaded; raises Tender.DoesNotExist."""
    return public_tenders().get(pk=pk)
