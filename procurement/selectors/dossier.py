"""The auditors' dossier (核查档案) of one tender: every stage's records, read-only, and the audit trail of the
tender and of every record attached to it. The page (`procurement.views.dossier`) and its Excel export show
the same sections.

Who: whoever may read the park's procurement files (`can_read_procurement_files`: the park's auditors,
discipline officers, procurement officers and park administrators, and platform administrators); anyone
else gets "not found", as for any record outside one's scope.

What is never in it: a bid's ciphertext, wrapped key or initialisation vector. What waits (choices where
the issue is silent, also in docs/ocds.md):

- until the bid deadline has passed (the tender is closed), the bids appear only as receipts with their
  times and commitments — not who bid, in line with 招标投标法 art. 22 (the number and names of bidders are
  not disclosed before the opening), and the bid events of the trail show neither actor nor data;
- prices, aliases and commitment checks appear once the tender is opened;
- the committee and its scores appear once the evaluation report is recorded (the evaluators' names are
  published with the result anyway).
"""

import json
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import filter_events_for
from core.errors import DomainError
from core.models import AuditEvent
from procurement.models import (
    Bid,
    BidDocument,
    ClarificationQuestion,
    CommitteeDraw,
    CommitteeMember,
    ContractAmendment,
    Objection,
    RedFlag,
    Score,
    Tender,
    TenderChange,
)
from procurement.selectors.access import can_read_procurement_files
from procurement.selectors.public import related_or_none


@dataclass
class Section:
    """One part of the dossier: a table (`headers` + `rows`), or field/value pairs when `headers` is empty.
    `note` says what is withheld at this stage."""

    key: str
    title: str
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    note: str = ""


def dossier_tender_for(user, pk):
    """The tender `pk` if `user` may read its file; raises DomainError(kind="not_found") otherwise."""
    tender = (
        Tender.objects.select_related("park", "buyer_department", "created_by", "opening_cosigned_by")
        .filter(pk=pk)
        .first()
    )
    if tender is None or not can_read_procurement_files(user, tender.park_id):
        raise DomainError(_("No such tender file."), code="not_found", kind="not_found")
    return tender


def bidders_disclosed(tender):
    return tender.closed_at is not None or tender.opened_at is not None


def _when(moment):
    if moment is None:
        return ""
    if hasattr(moment, "tzinfo"):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return moment.isoformat()


def _person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _yes_no(value):
    if value is None:
        return ""
    return str(_("yes")) if value else str(_("no"))


def _tender_section(tender):
    f = Tender._meta.get_field
    pairs = [
        (_("Number"), tender.number),
        (_("Title"), tender.title),
        (_("Park"), tender.park.name),
        (f("buyer_department").verbose_name, tender.buyer_department.name if tender.buyer_department else ""),
        (f("method").verbose_name, tender.get_method_display()),
        (f("status").verbose_name, tender.get_status_display()),
        (f("category").verbose_name, tender.get_category_display()),
        (f("budget").verbose_name, tender.budget),
        (f("price_weight").verbose_name, tender.price_weight),
        (f("needs").verbose_name, tender.needs),
        (f("qualification_requirements").verbose_name, tender.qualification_requirements),
        (f("justification").verbose_name, tender.justification),
        (f("created_by").verbose_name, _person(tender.created_by)),
        (f("created_at").verbose_name, _when(tender.created_at)),
    ]
    for name in (
        "justification_published_at",
        "justification_ends_at",
        "published_at",
        "clarification_deadline",
        "bid_deadline",
        "closed_at",
        "commitments_published_at",
        "opened_at",
        "evaluation_started_at",
        "evaluation_report_at",
        "award_due_at",
        "awarded_at",
        "announcement_due_at",
        "announced_at",
        "publicity_ends_at",
        "objection_deadline",
        "contract_due_at",
        "failed_at",
    ):
        pairs.append((f(name).verbose_name, _when(getattr(tender, name))))
    pairs.append((f("opening_cosigned_by").verbose_name, _person(tender.opening_cosigned_by)))
    pairs.append((f("failure_reason").verbose_name, tender.failure_reason))
    if tender.previous_tender_id:
        pairs.append((f("previous_tender").verbose_name, str(tender.previous_tender)))
    return Section("tender", _("Tender"), rows=[(str(label), value) for label, value in pairs])


def _changes_section(tender):
    rows = [
        (
            _when(change.published_at),
            change.get_kind_display(),
            change.text,
            _when(change.deadline_before),
            _when(change.deadline_after),
            _person(change.published_by),
        )
        for change in TenderChange.objects.filter(tender=tender).select_related("published_by")
    ]
    headers = [_("Published"), _("Kind"), _("Text"), _("Deadline before"), _("Deadline after"), _("By")]
    return Section("changes", _("Notices and changes"), headers, rows)


def _questions_section(tender):
    rows = [
        (
            _when(q.asked_at),
            _person(q.asked_by),
            q.question,
            q.answer,
            _when(q.answered_at),
            _person(q.answered_by),
        )
        for q in ClarificationQuestion.objects.filter(tender=tender).select_related("asked_by", "answered_by")
    ]
    headers = [_("Asked"), _("Asked by"), _("Question"), _("Answer"), _("Answered"), _("Answered by")]
    return Section("questions", _("Clarification questions"), headers, rows)


def _bids_section(tender):
    bids = list(
        Bid.objects.filter(tender=tender)
        .select_related("supplier__enterprise", "submitted_by")
        .order_by("submitted_at", "id")
    )
    disclosed = bidders_disclosed(tender)
    opened = tender.opened_at is not None
    headers = [_("Receipt"), _("Submitted"), _("Status"), _("Commitment (SHA-256)"), _("Ciphertext SHA-256")]
    if disclosed:
        headers += [_("Supplier"), _("Credit code"), _("Submitted by"), _("Withdrawn")]
    if opened:
        headers += [_("Alias"), _("Price"), _("Commitment matches"), _("Valid"), _("Why invalid"), _("Opening note")]
        headers += [_("Rank"), _("Total score")]
    rows = []
    for bid in bids:
        row = [bid.receipt, _when(bid.submitted_at), bid.get_status_display(), bid.commitment, bid.ciphertext_sha256]
        if disclosed:
            row += [
                bid.supplier.enterprise.name,
                bid.supplier.enterprise.credit_code,
                _person(bid.submitted_by),
                _when(bid.withdrawn_at),
            ]
        if opened:
            row += [
                bid.alias,
                bid.price if bid.opened_at else "",
                _yes_no(bid.commitment_ok),
                _yes_no(bid.is_valid),
                bid.invalid_reason,
                bid.opening_note,
                bid.rank or "",
                bid.total_score if bid.total_score is not None else "",
            ]
        rows.append(row)
    if not disclosed:
        note = _("Until the bid deadline only the receipts are shown: who bid stays sealed.")
    elif not opened:
        note = _("Prices are shown once the bids are opened.")
    else:
        note = ""
    return Section("bids", _("Bids"), headers, rows, note)


def _documents_section(tender):
    if tender.opened_at is None:
        return Section("documents", _("Bid documents"), note=_("Bid documents are shown once the bids are opened."))
    rows = [
        (doc.bid.alias, doc.name, doc.size, doc.sha256)
        for doc in BidDocument.objects.filter(bid__tender=tender).select_related("bid").order_by("bid__alias", "name")
    ]
    return Section("documents", _("Bid documents"), [_("Alias"), _("File name"), _("Size"), _("SHA-256")], rows)


def _committee_section(tender):
    if tender.evaluation_report_at is None:
        return Section(
            "committee",
            _("Evaluation committee"),
            note=_("The committee and its scores are shown once the evaluation report is recorded."),
        )
    draws = [
        (_when(d.drawn_at), _person(d.drawn_by), d.size, d.seed, len(d.pool_snapshot or []))
        for d in CommitteeDraw.objects.filter(tender=tender).select_related("drawn_by")
    ]
    members = [
        (
            _person(m.user),
            m.get_kind_display(),
            _yes_no(m.is_chair),
            m.get_status_display(),
            _yes_no(m.pledge_id is not None),
            m.recusal_reason,
        )
        for m in CommitteeMember.objects.filter(tender=tender).select_related("user")
    ]
    rows = [(str(_("Draw")), *draw) for draw in draws] + [(str(_("Member")), *member) for member in members]
    headers = [_("Row"), _("Evaluator / drawn"), _("Kind / by"), _("Chair / size"), _("Status / seed")]
    headers += [_("Pledge signed / pool size"), _("Reason for recusal")]
    return Section("committee", _("Evaluation committee"), headers, rows)


def _scores_section(tender):
    if tender.evaluation_report_at is None:
        return Section("scores", _("Scores"), note=_("Scores are shown once the evaluation report is recorded."))
    rows = [
        (
            _person(s.member.user),
            s.bid.alias,
            s.bid.supplier.enterprise.name,
            s.technical_score if s.technical_score is not None else "",
            _yes_no(s.passes_qualification),
            s.comment,
            _when(s.scored_at),
        )
        for s in Score.objects.filter(member__tender=tender)
        .select_related("member__user", "bid__supplier__enterprise")
        .order_by("bid__alias", "member_id")
    ]
    headers = [_("Evaluator"), _("Alias"), _("Supplier"), _("Technical score"), _("Qualified"), _("Comment")]
    headers.append(_("Scored"))
    return Section("scores", _("Scores"), headers, rows)


def _award_section(tender):
    award = related_or_none(tender, "award")
    if award is None:
        return Section("award", _("Award"), note=_("No award decided."))
    rows = [
        (str(_("Supplier")), award.supplier.enterprise.name),
        (str(_("Winning bid")), award.bid.alias or award.bid.receipt),
        (str(_("Amount")), award.amount),
        (str(_("Reason")), award.reason),
        (str(_("Decided by")), _person(award.decided_by)),
        (str(_("Decided")), _when(award.decided_at)),
        (str(_("Announced")), _when(award.announced_at)),
    ]
    return Section("award", _("Award"), rows=rows)


def _objections_section(tender):
    rows = [
        (
            _when(o.filed_at),
            o.supplier.enterprise.name,
            _person(o.filed_by),
            o.text,
            _yes_no(o.may_affect_result),
            o.get_status_display(),
            _when(o.answer_due_at),
            o.answer,
            _when(o.answered_at),
            _person(o.answered_by),
        )
        for o in Objection.objects.filter(tender=tender).select_related(
            "supplier__enterprise", "filed_by", "answered_by"
        )
    ]
    headers = [_("Filed"), _("Supplier"), _("Filed by"), _("Objection"), _("May affect the result"), _("Status")]
    headers += [_("Answer due"), _("Answer"), _("Answered"), _("Answered by")]
    return Section("objections", _("Objections"), headers, rows)


def _contract_section(tender):
    contract = related_or_none(tender, "contract")
    if contract is None:
        return Section("contract", _("Contract"), note=_("No contract signed."))
    rows = [
        (str(_("Number")), contract.number),
        (str(_("Title")), contract.title),
        (str(_("Supplier")), contract.supplier.enterprise.name),
        (str(_("Original value")), contract.value),
        (str(_("Signed on")), _when(contract.signed_on)),
        (str(_("Performance")), f"{_when(contract.period_start)} – {_when(contract.period_end)}"),
        (str(_("Status")), contract.get_status_display()),
        (str(_("Published")), _when(contract.published_at)),
        (str(_("Integrity contract")), str(contract.integrity_pledge)),
        (str(_("Recorded by")), _person(contract.recorded_by)),
    ]
    for amendment in ContractAmendment.objects.filter(contract=contract).select_related("recorded_by"):
        rows.append(
            (
                str(_("Supplementary contract")),
                f"{amendment.signed_on.isoformat()} · {amendment.value_change:+} · {amendment.reason} · "
                f"{_person(amendment.recorded_by)}",
            )
        )
    return Section("contract", _("Contract"), rows=rows)


def _flags_section(tender):
    rows = [
        (
            _when(flag.raised_at),
            flag.get_kind_display(),
            flag.summary,
            _yes_no(flag.blocking),
            flag.get_status_display(),
            json.dumps(flag.evidence, ensure_ascii=False, default=str),
            _person(flag.decided_by),
            flag.decision_reason,
        )
        for flag in RedFlag.objects.filter(Q(tender=tender) | Q(contract__tender=tender)).select_related("decided_by")
    ]
    headers = [_("Raised"), _("Kind"), _("Summary"), _("Blocking"), _("Status"), _("Evidence"), _("Decided by")]
    headers.append(_("Reason"))
    return Section("flags", _("Red flags"), headers, rows)


def dossier_sections(tender):
    """Every section of the tender's file, in the order of the stages."""
    return [
        _tender_section(tender),
        _changes_section(tender),
        _questions_section(tender),
        _bids_section(tender),
        _documents_section(tender),
        _committee_section(tender),
        _scores_section(tender),
        _award_section(tender),
        _objections_section(tender),
        _contract_section(tender),
        _flags_section(tender),
    ]


# --- the trail --------------------------------------------------------------------------------------------


def _ids(queryset):
    return [str(pk) for pk in queryset.values_list("pk", flat=True)]


def related_targets(tender):
    """(target type, ids) of the tender and every record attached to it, for the audit trail."""
    targets = {
        "procurement.tender": [str(tender.pk)],
        "procurement.tenderchange": _ids(TenderChange.objects.filter(tender=tender)),
        "procurement.clarificationquestion": _ids(ClarificationQuestion.objects.filter(tender=tender)),
        "procurement.bid": _ids(Bid.objects.filter(tender=tender)),
        "procurement.biddocument": _ids(BidDocument.objects.filter(bid__tender=tender)),
        "procurement.committeedraw": _ids(CommitteeDraw.objects.filter(tender=tender)),
        "procurement.committeemember": _ids(CommitteeMember.objects.filter(tender=tender)),
        "procurement.score": _ids(Score.objects.filter(member__tender=tender)),
        "procurement.award": [],
        "procurement.objection": _ids(Objection.objects.filter(tender=tender)),
        "procurement.contract": [],
        "procurement.contractamendment": _ids(ContractAmendment.objects.filter(contract__tender=tender)),
        "procurement.redflag": _ids(RedFlag.objects.filter(Q(tender=tender) | Q(contract__tender=tender))),
    }
    award = related_or_none(tender, "award")
    if award is not None:
        targets["procurement.award"] = [str(award.pk)]
    contract = related_or_none(tender, "contract")
    if contract is not None:
        targets["procurement.contract"] = [str(contract.pk)]
    return {kind: ids for kind, ids in targets.items() if ids}


@dataclass
class TrailRow:
    at: object
    action: str
    target: str
    actor: str
    data: str


def dossier_trail(tender, user):
    """The audit events of the tender and its records, oldest first, as rows (bid events before the deadline
    without actor and data)."""
    condition = Q()
    for target_type, ids in related_targets(tender).items():
        condition |= Q(target_type=target_type, target_id__in=ids)
    events = filter_events_for(user, AuditEvent.objects.filter(condition)).order_by("created_at", "chain", "seq")
    hide_bidders = not bidders_disclosed(tender)
    rows = []
    for event in events:
        target = f"{event.target_type.split('.', 1)[-1]} #{event.target_id}"
        if hide_bidders and event.target_type in ("procurement.bid", "procurement.biddocument"):
            actor, data = str(_("(sealed until the deadline)")), ""
        else:
            actor = event.actor_label or event.get_actor_kind_display()
            data = json.dumps(event.data, ensure_ascii=False, sort_keys=True, default=str) if event.data else ""
        rows.append(TrailRow(event.created_at, event.action, target, actor, data))
    return rows
