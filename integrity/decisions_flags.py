"""The rules of the 三重一大 register and the flags they raise. The rule constants live here and nowhere else.

Flags are computed from the register on every read (never stored), so correcting a record clears its flag:

- ``quorum_short`` — a meeting at which fewer than two thirds (`QUORUM`) of the members entitled to sit on
  its date were present. Exactly two thirds is enough.
- ``majority_short`` — an item recorded as adopted without votes in favour from MORE than half (`MAJORITY`)
  of the members entitled to sit (not of those present; recused members stay in the count, since the rule
  is about the body's members). Exactly half is not enough.
- ``extempore`` — an item that was not on the agenda notified in advance (临时动议).
- ``spending_without_decision`` — a contract or payment at or over the threshold with no linked decision.
- ``over_threshold_not_decided`` — a contract or payment at or over the threshold whose linked decision does
  not cover it: the item was not adopted, was decided only after the spending (事后补议), belongs to another
  park, or approved a smaller amount than the spending.

Thresholds: an amount "at or over" the threshold needs a collective decision (以上 includes the figure
itself). A park's threshold is its `DecisionThreshold` for the item's kind, else its general one, else
`DEFAULT_THRESHOLD` (500 000 yuan). Spending items are compared with the threshold of their
``decision_kind`` (large-sum fund operation unless the source says otherwise).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.choices_decisions import Attendance, Outcome, Position

QUORUM = Fraction(2, 3)  # at least this share of the entitled members present
MAJORITY = Fraction(1, 2)  # adopting needs MORE than this share of the entitled members in favour
DEFAULT_THRESHOLD = Decimal("500000")


class FlagKind(models.TextChoices):
    OVER_THRESHOLD_NOT_DECIDED = "over_threshold_not_decided", _("Over the threshold without a collective decision")
    QUORUM_SHORT = "quorum_short", _("Fewer than two thirds of the members present")
    MAJORITY_SHORT = "majority_short", _("Adopted without more than half of the members in favour")
    EXTEMPORE = "extempore", _("Raised without notice (not on the agenda)")
    SPENDING_WITHOUT_DECISION = (
        "spending_without_decision",
        _("Contract or payment over the threshold with no linked decision"),
    )


@dataclass(frozen=True)
class Flag:
    """One finding: its kind, park, date, what it is about (subject, link) and why (detail)."""

    kind: str
    park_id: int
    date: date
    subject: str
    url: str
    detail: str
    meeting_id: int | None = None
    decision_id: int | None = None
    reference: str = ""

    @property
    def label(self):
        return FlagKind(self.kind).label


def quorum_met(present, entitled):
    """At least two thirds of the entitled members present (a meeting with no roster never is)."""
    return entitled > 0 and Fraction(present, entitled) >= QUORUM


def majority_met(in_favour, entitled):
    """More than half of the entitled members in favour."""
    return entitled > 0 and Fraction(in_favour, entitled) > MAJORITY


def needed_present(entitled):
    """The fewest members present for a quorum of `entitled`."""
    return -(-entitled * QUORUM.numerator // QUORUM.denominator)


def needed_in_favour(entitled):
    """The fewest votes in favour that adopt an item with `entitled` members."""
    return entitled * MAJORITY.numerator // MAJORITY.denominator + 1


# --- facts of one meeting and one item ----------------------------------------------------------------------


@dataclass
class MeetingFacts:
    entitled: list = field(default_factory=list)  # the DecisionBodyMembers entitled to sit on the meeting's date
    present_ids: set = field(default_factory=set)
    absent: dict = field(default_factory=dict)  # member id -> reason
    unrecorded: list = field(default_factory=list)

    @property
    def entitled_count(self):
        return len(self.entitled)

    @property
    def present_count(self):
        return len(self.present_ids)

    @property
    def quorum_ok(self):
        return quorum_met(self.present_count, self.entitled_count)

    @property
    def needed(self):
        return needed_present(self.entitled_count)


def meeting_facts(meeting):
    """Who was entitled, present, absent, not recorded. Reads ``meeting.body.members`` and
    ``meeting.attendance`` (prefetch them for lists)."""
    entitled = [m for m in meeting.body.members.all() if m.is_entitled_on(meeting.held_on)]
    entitled_ids = {m.pk for m in entitled}
    facts = MeetingFacts(entitled=entitled)
    recorded = set()
    for row in meeting.attendance.all():
        if row.member_id not in entitled_ids:
            continue
        recorded.add(row.member_id)
        if row.status == Attendance.PRESENT:
            facts.present_ids.add(row.member_id)
        else:
            facts.absent[row.member_id] = row.reason
    facts.unrecorded = [m for m in entitled if m.pk not in recorded]
    return facts


@dataclass
class DecisionFacts:
    entitled_count: int
    counts: dict  # position -> number of entitled members

    @property
    def in_favour(self):
        return self.counts.get(Position.FOR, 0)

    @property
    def majority_ok(self):
        return majority_met(self.in_favour, self.entitled_count)

    @property
    def needed(self):
        return needed_in_favour(self.entitled_count)


def decision_facts(decision, facts=None):
    """Counts of the positions of the entitled members on one item. Reads ``decision.votes`` (prefetch)."""
    facts = facts or meeting_facts(decision.meeting)
    entitled_ids = {m.pk for m in facts.entitled}
    counts = {}
    for vote in decision.votes.all():
        if vote.member_id in entitled_ids:
            counts[vote.position] = counts.get(vote.position, 0) + 1
    return DecisionFacts(entitled_count=facts.entitled_count, counts=counts)


# --- flags --------------------------------------------------------------------------------------------------


def _meeting_url(meeting):
    from django.urls import reverse

    return reverse("integrity:meeting-detail", kwargs={"pk": meeting.pk})


def _decision_url(decision):
    from django.urls import reverse

    return reverse("integrity:decision-detail", kwargs={"pk": decision.pk})


def meeting_flags(meeting, facts=None):
    facts = facts or meeting_facts(meeting)
    if facts.quorum_ok:
        return []
    return [
        Flag(
            kind=FlagKind.QUORUM_SHORT,
            park_id=meeting.park_id,
            date=meeting.held_on,
            subject=str(meeting),
            url=_meeting_url(meeting),
            detail=str(
                _("%(present)s of %(entitled)s members present; %(needed)s needed.")
                % {"present": facts.present_count, "entitled": facts.entitled_count, "needed": facts.needed}
            ),
            meeting_id=meeting.pk,
        )
    ]


def decision_flags(decision, facts=None):
    """The flags of one item itself (its meeting's quorum is the meeting's flag)."""
    facts = facts or meeting_facts(decision.meeting)
    flags = []
    common = {
        "park_id": decision.park_id,
        "date": decision.meeting.held_on,
        "subject": decision.title,
        "url": _decision_url(decision),
        "meeting_id": decision.meeting_id,
        "decision_id": decision.pk,
    }
    if not decision.notified_in_advance:
        flags.append(
            Flag(
                kind=FlagKind.EXTEMPORE,
                detail=str(_("Raised at the meeting without being on the agenda sent to the members.")),
                **common,
            )
        )
    if decision.outcome == Outcome.ADOPTED:
        votes = decision_facts(decision, facts)
        if not votes.majority_ok:
            flags.append(
                Flag(
                    kind=FlagKind.MAJORITY_SHORT,
                    detail=str(
                        _("%(for)s of %(entitled)s members in favour; %(needed)s needed.")
                        % {"for": votes.in_favour, "entitled": votes.entitled_count, "needed": votes.needed}
                    ),
                    **common,
                )
            )
    return flags


class Thresholds:
    """A park's thresholds by kind, read once."""

    def __init__(self, park):
        from integrity.models import DecisionThreshold

        rows = dict(DecisionThreshold.objects.filter(park=park).values_list("kind", "amount"))
        self.general = rows.pop("", None) or DEFAULT_THRESHOLD
        self.by_kind = rows

    def for_kind(self, kind):
        return self.by_kind.get(kind) or self.general


def _format_amount(amount):
    return f"{amount:,.2f}"


def spending_flags(park, items, decisions, thresholds=None):
    """Flags of spending items of `park`; `decisions` maps the linked decisions' ids to loaded decisions (with
    ``meeting``)."""
    thresholds = thresholds or Thresholds(park)
    flags = []
    for item in items:
        threshold = thresholds.for_kind(item.decision_kind)
        if item.amount < threshold:
            continue
        common = {
            "park_id": park.pk,
            "date": item.date,
            "subject": f"{item.kind_label} {item.reference}",
            "url": item.url,
            "reference": item.reference,
        }
        amounts = {"amount": _format_amount(item.amount), "threshold": _format_amount(threshold)}
        if item.decision_id is None:
            flags.append(
                Flag(
                    kind=FlagKind.SPENDING_WITHOUT_DECISION,
                    detail=str(
                        _(
                            "%(amount)s yuan, at or over the threshold of %(threshold)s yuan, "
                            "with no collective decision."
                        )
                        % amounts
                    ),
                    **common,
                )
            )
            continue
        decision = decisions.get(item.decision_id)
        reason = _uncovered_reason(park, item, decision)
        if reason:
            flags.append(
                Flag(
                    kind=FlagKind.OVER_THRESHOLD_NOT_DECIDED,
                    detail=f"{item.description} · {reason}",
                    decision_id=item.decision_id,
                    meeting_id=getattr(decision, "meeting_id", None),
                    **common,
                )
            )
    return flags


def _uncovered_reason(park, item, decision):
    if decision is None or decision.park_id != park.pk:
        return str(_("the linked decision is not one of this park's."))
    if decision.outcome != Outcome.ADOPTED:
        return str(_("the linked item was not adopted (%(outcome)s).") % {"outcome": decision.get_outcome_display()})
    if decision.meeting.held_on > item.date:
        return str(
            _("the decision was taken on %(decided)s, after the spending (%(spent)s).")
            % {"decided": decision.meeting.held_on.isoformat(), "spent": item.date.isoformat()}
        )
    if decision.amount is not None and item.amount > decision.amount:
        return str(
            _("%(amount)s yuan is more than the %(approved)s yuan decided.")
            % {"amount": _format_amount(item.amount), "approved": _format_amount(decision.amount)}
        )
    return ""
