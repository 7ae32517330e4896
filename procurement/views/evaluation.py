"""Pages of the evaluation, award, objection and contract stages.

- `evaluations`: the user's committee seats, and for procurement staff the tenders from opening to contract.
- `evaluator_pool`: a park's pool (procurement officers and administrators add and remove evaluators).
- `tender_evaluation`: the procurement officer's workspace for one tender (draw, start, report, award,
  announcement, objections, contract, supplementary contracts); auditors and discipline officers read it.
- `evaluation_panel`: one evaluator's seat — the pledge, the bids as A, B, C… (double-blind until the report),
  their marks.
- `award_publicity`: the public award page (中选公示) with the evaluators' names; bidders file objections
  there and the awarded supplier signs the integrity contract.
- `contract_detail`: a contract, public once published.

Every POST calls one service; a refused action comes back as a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from parks.models import Park
from procurement import forms_evaluation as forms
from procurement.choices import CommitteeMemberStatus, ContractStatus, TenderStatus
from procurement.models import Award, Bid, CommitteeMember, Contract, EvaluatorPoolMember, Objection, Tender
from procurement.selectors import evaluation as sel
from procurement.selectors.access import can_read_procurement_files, can_run_procurement, procurement_park_ids
from procurement.services import award as award_services
from procurement.services import contracts as contract_services
from procurement.services import evaluation as services


def _error(request, error):
    messages.error(request, str(error.message))


def _form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- lists --------------------------------------------------------------------------------------------------


@login_required
def evaluations(request):
    """The user's committee seats and, for procurement staff, tenders at the evaluation stages."""
    seats = list(sel.seats_of(request.user))
    tenders = list(sel.evaluation_tenders_for(request.user)[:200]) if procurement_park_ids(request.user) else []
    if not seats and not procurement_park_ids(request.user):
        raise Http404
    parks = [p for p in Park.objects.filter(is_active=True).order_by("name") if can_run_procurement(request.user, p)]
    return render(
        request, "procurement/evaluation/evaluations.html", {"seats": seats, "tenders": tenders, "pool_parks": parks}
    )


@login_required
def evaluator_pool(request, park_id):
    """A park's evaluator pool; procurement officers and administrators add (POST) and remove evaluators."""
    park = get_object_or_404(Park, pk=park_id)
    if not can_read_procurement_files(request.user, park):
        raise Http404
    form = forms.PoolAddForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.evaluator_pool_add(
                    park=park,
                    user=data["username"],
                    kind=data["kind"],
                    actor=request.user,
                    specialty=data["specialty"],
                    employer=data["employer"],
                    employer_credit_code=data["employer_credit_code"],
                )
            except DomainError as error:
                _error(request, error)
            else:
                messages.success(request, _("The evaluator is in the pool."))
                return redirect("procurement:evaluator-pool", park_id=park.pk)
        else:
            _form_errors(request, form)
    members = EvaluatorPoolMember.objects.filter(park=park).select_related("user").order_by("-is_active", "kind", "id")
    return render(
        request,
        "procurement/evaluation/pool.html",
        {"park": park, "members": members, "form": form, "can_manage": can_run_procurement(request.user, park)},
    )


@login_required
@require_POST
def evaluator_pool_remove(request, pk):
    member = get_object_or_404(EvaluatorPoolMember, pk=pk)
    try:
        services.evaluator_pool_deactivate(member=member, actor=request.user)
        messages.success(request, _("The evaluator is out of the pool."))
    except DomainError as error:
        _error(request, error)
    return redirect("procurement:evaluator-pool", park_id=member.park_id)


# --- the officer's workspace --------------------------------------------------------------------------------


def _tender_for_reader(request, pk):
    tender = get_object_or_404(Tender.objects.select_related("park"), pk=pk)
    if not can_read_procurement_files(request.user, tender.park_id):
        raise Http404
    return tender


@login_required
def tender_evaluation(request, pk):
    """The procurement officer's workspace for one tender; read-only for the other readers of the park."""
    tender = _tender_for_reader(request, pk)
    award = Award.objects.filter(tender=tender).select_related("supplier__enterprise").first()
    contract = Contract.objects.filter(tender=tender).prefetch_related("amendments").first()
    cap = used = None
    if contract:
        cap, used = contract_services.amendment_room(contract)
    now = timezone.now()
    context = {
        "tender": tender,
        "can_manage": can_run_procurement(request.user, tender.park_id),
        "committee": tender.committee.select_related("user", "pledge").order_by("-is_chair", "status", "id"),
        "draws": tender.draws.order_by("drawn_at"),
        "bids": sel.ranked_bids(tender),
        "award": award,
        "award_late": bool(award and tender.award_due_at and award.decided_at > tender.award_due_at),
        "objections": tender.objections.select_related("supplier__enterprise").order_by("filed_at"),
        "contract": contract,
        "amendment_cap": cap,
        "amendment_used": used,
        "integrity_contracts": contract_services.integrity_contracts_for(tender),
        "objection_period_over": bool(tender.objection_deadline and now > tender.objection_deadline),
        "default_size": services.default_committee_size(tender.method),
        "draw_form": forms.DrawForm(initial={"size": services.default_committee_size(tender.method)}),
        "contract_form": forms.ContractForm(initial={"value": getattr(award, "amount", None), "signed_on": now.date()}),
        "amendment_form": forms.AmendmentForm(initial={"signed_on": now.date()}),
        "answer_form": forms.ObjectionAnswerForm(),
        "classify_form": forms.ObjectionClassifyForm(),
        "now": now,
    }
    return render(request, "procurement/evaluation/tender.html", context)


def _tender_action(request, pk, run, success):
    tender = get_object_or_404(Tender, pk=pk)
    try:
        run(tender)
        messages.success(request, success)
    except DomainError as error:
        _error(request, error)
    return redirect("procurement:tender-evaluation", pk=tender.pk)


@login_required
@require_POST
def committee_draw(request, pk):
    form = forms.DrawForm(request.POST)
    size = form.cleaned_data["size"] if form.is_valid() else None
    return _tender_action(
        request,
        pk,
        lambda tender: services.committee_draw(tender=tender, actor=request.user, size=size),
        _("The committee was drawn."),
    )


@login_required
@require_POST
def evaluation_start(request, pk):
    return _tender_action(
        request,
        pk,
        lambda tender: services.evaluation_start(tender=tender, actor=request.user),
        _("The evaluation has started."),
    )


@login_required
@require_POST
def evaluation_report(request, pk):
    return _tender_action(
        request,
        pk,
        lambda tender: services.evaluation_report_record(tender=tender, actor=request.user),
        _("The evaluation report is recorded."),
    )


@login_required
@require_POST
def award_decide(request, pk):
    form = forms.AwardForm(request.POST)
    if not form.is_valid():
        raise Http404

    def run(tender):
        bid = get_object_or_404(Bid, pk=form.cleaned_data["bid"], tender=tender)
        award_services.award_decide(tender=tender, actor=request.user, bid=bid, reason=form.cleaned_data["reason"])

    return _tender_action(request, pk, run, _("The award is decided."))


@login_required
@require_POST
def award_announce(request, pk):
    return _tender_action(
        request,
        pk,
        lambda tender: award_services.award_announce(tender=tender, actor=request.user),
        _("The result is announced."),
    )


@login_required
@require_POST
def objection_answer(request, pk):
    objection = get_object_or_404(Objection, pk=pk)
    form = forms.ObjectionAnswerForm(request.POST)
    if form.is_valid():
        try:
            award_services.objection_answer(
                objection=objection,
                actor=request.user,
                upheld=form.cleaned_data["upheld"],
                answer=form.cleaned_data["answer"],
            )
            messages.success(request, _("The answer was sent."))
        except DomainError as error:
            _error(request, error)
    else:
        _form_errors(request, form)
    return redirect("procurement:tender-evaluation", pk=objection.tender_id)


@login_required
@require_POST
def objection_classify(request, pk):
    objection = get_object_or_404(Objection, pk=pk)
    form = forms.ObjectionClassifyForm(request.POST)
    if form.is_valid():
        try:
            award_services.objection_classify(
                objection=objection,
                actor=request.user,
                may_affect_result=form.cleaned_data["may_affect_result"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The assessment is recorded."))
        except DomainError as error:
            _error(request, error)
    else:
        _form_errors(request, form)
    return redirect("procurement:tender-evaluation", pk=objection.tender_id)


@login_required
@require_POST
def contract_sign(request, pk):
    form = forms.ContractForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("procurement:tender-evaluation", pk=pk)

    def run(tender):
        pledge = contract_services.integrity_contracts_for(tender).first()
        contract_services.contract_sign(tender=tender, actor=request.user, integrity_pledge=pledge, **form.cleaned_data)

    return _tender_action(request, pk, run, _("The contract is recorded."))


@login_required
@require_POST
def contract_publish(request, pk):
    contract = get_object_or_404(Contract, pk=pk)
    try:
        contract_services.contract_publish(contract=contract, actor=request.user)
        messages.success(request, _("The contract is published."))
    except DomainError as error:
        _error(request, error)
    return redirect("procurement:tender-evaluation", pk=contract.tender_id)


@login_required
@require_POST
def contract_amend(request, pk):
    contract = get_object_or_404(Contract, pk=pk)
    form = forms.AmendmentForm(request.POST)
    if form.is_valid():
        try:
            contract_services.contract_amend(contract=contract, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The supplementary contract is recorded."))
        except DomainError as error:
            _error(request, error)
    else:
        _form_errors(request, form)
    return redirect("procurement:tender-evaluation", pk=contract.tender_id)


# --- the evaluator's panel ----------------------------------------------------------------------------------


def _own_seat(request, pk):
    member = get_object_or_404(CommitteeMember.objects.select_related("tender", "tender__park", "pledge"), pk=pk)
    if member.user_id != request.user.pk:
        raise Http404
    return member


@login_required
def evaluation_panel(request, pk):
    """One evaluator's seat. Bids appear as aliases with prices and documents once the evaluation started
    and the pledge is signed; supplier names only after the evaluation report."""
    from integrity.choices import SignerKind
    from integrity.selectors.pledges import current_templates

    member = _own_seat(request, pk)
    tender = member.tender
    template = None
    items = []
    if member.status == CommitteeMemberStatus.DRAWN:
        template = current_templates(tender.park).filter(signer_kind=SignerKind.EVALUATOR).first()
        items = list(template.cited_items.all()) if template else []
    revealed = sel.identities_revealed(tender)
    bids = list(sel.evaluator_bids(member))
    if revealed:
        names = dict(Bid.objects.filter(pk__in=[b.pk for b in bids]).values_list("pk", "supplier__enterprise__name"))
        for bid in bids:
            bid.revealed_name = names.get(bid.pk)
    mine = {score.bid_id: score for score in member.scores.all()}
    rows = []
    for bid in bids:
        score = mine.get(bid.pk)
        initial = {}
        if score is not None:
            initial = {
                "technical_score": score.technical_score,
                "passes_qualification": "1" if score.passes_qualification else "0",
                "comment": score.comment,
            }
        form = forms.ScoreForm(auto_id=f"id_bid{bid.pk}_%s", initial=initial)
        rows.append({"bid": bid, "score": score, "form": form})
    return render(
        request,
        "procurement/evaluation/panel.html",
        {
            "member": member,
            "tender": tender,
            "template": template,
            "items": items,
            "sha256": template.document_sha256(items) if template else "",
            "rows": rows,
            "revealed": revealed,
            "can_score": member.status == CommitteeMemberStatus.PLEDGED and tender.status == TenderStatus.EVALUATION,
        },
    )


def _panel_action(request, pk, run, success):
    member = _own_seat(request, pk)
    try:
        run(member)
        messages.success(request, success)
    except DomainError as error:
        _error(request, error)
    return redirect("procurement:evaluation-panel", pk=member.pk)


@login_required
@require_POST
def panel_pledge(request, pk):
    if not request.POST.get("agree"):
        messages.error(request, _("Tick the box to confirm that you have read the pledge and agree to it."))
        return redirect("procurement:evaluation-panel", pk=pk)
    return _panel_action(
        request,
        pk,
        lambda member: services.evaluator_pledge_sign(
            member=member, actor=request.user, expected_sha256=request.POST.get("sha256") or None
        ),
        _("You signed the evaluator's pledge."),
    )


@login_required
@require_POST
def panel_score(request, pk, bid_id):
    form = forms.ScoreForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("procurement:evaluation-panel", pk=pk)

    def run(member):
        bid = get_object_or_404(Bid, pk=bid_id, tender_id=member.tender_id)
        services.score_submit(member=member, bid=bid, actor=request.user, **form.cleaned_data)

    return _panel_action(request, pk, run, _("Your marks are saved."))


@login_required
@require_POST
def panel_submit(request, pk):
    return _panel_action(
        request,
        pk,
        lambda member: services.committee_member_submit(member=member, actor=request.user),
        _("Your marks are handed in."),
    )


@login_required
@require_POST
def panel_recuse(request, pk):
    form = forms.ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _panel_action(
        request,
        pk,
        lambda member: services.committee_member_recuse(member=member, actor=request.user, reason=reason),
        _("You withdrew from this committee."),
    )


# --- public pages -------------------------------------------------------------------------------------------


def award_publicity(request, pk):
    """The public award page (中选公示): winner, amount, evaluators' names, the periods and answered
    objections. A bidder files an objection here; the awarded supplier signs the integrity contract."""
    tender = get_object_or_404(sel.public_award_tenders(), pk=pk)
    award = tender.award
    supplier = sel.bidder_supplier_for(request.user, tender) if request.user.is_authenticated else None
    is_winner = supplier is not None and supplier.pk == award.supplier_id
    template = contract_services.current_contract_template(tender.park) if is_winner else None
    items = list(template.cited_items.all()) if template else []
    now = timezone.now()
    return render(
        request,
        "procurement/evaluation/award_publicity.html",
        {
            "tender": tender,
            "award": award,
            "award_late": bool(tender.award_due_at and award.decided_at > tender.award_due_at),
            "evaluators": sel.publicity_evaluators(tender),
            "objections": tender.objections.exclude(status="filed").order_by("filed_at"),
            "bidder": supplier,
            "can_object": supplier is not None
            and tender.status == TenderStatus.ANNOUNCED
            and tender.objection_deadline
            and now <= tender.objection_deadline,
            "my_objections": tender.objections.filter(supplier=supplier).order_by("filed_at") if supplier else [],
            "objection_form": forms.ObjectionForm(),
            "is_winner": is_winner,
            "contract_template": template,
            "contract_items": items,
            "contract_sha256": template.document_sha256(items) if template else "",
            "integrity_contract": contract_services.integrity_contracts_for(tender).first() if is_winner else None,
            "contract": Contract.objects.filter(tender=tender, status=ContractStatus.PUBLISHED).first(),
            "now": now,
        },
    )


@login_required
@require_POST
def objection_file(request, pk):
    tender = get_object_or_404(Tender, pk=pk)
    supplier = sel.bidder_supplier_for(request.user, tender)
    if supplier is None:
        raise Http404
    form = forms.ObjectionForm(request.POST)
    if form.is_valid():
        try:
            award_services.objection_file(
                tender=tender, supplier=supplier, actor=request.user, text=form.cleaned_data["text"]
            )
            messages.success(request, _("Your objection is filed. You will get a written answer."))
        except DomainError as error:
            _error(request, error)
    else:
        _form_errors(request, form)
    return redirect("procurement:award-publicity", pk=tender.pk)


@login_required
@require_POST
def integrity_contract_sign(request, pk):
    tender = get_object_or_404(Tender, pk=pk)
    if not request.POST.get("agree"):
        messages.error(request, _("Tick the box to confirm that you have read the integrity contract."))
        return redirect("procurement:award-publicity", pk=tender.pk)
    try:
        contract_services.integrity_contract_sign(
            tender=tender, actor=request.user, expected_sha256=request.POST.get("sha256") or None
        )
        messages.success(request, _("You signed the integrity contract."))
    except DomainError as error:
        _error(request, error)
    return redirect("procurement:award-publicity", pk=tender.pk)


def contract_detail(request, pk):
    """A contract: public once published; before that, for the park's procurement files readers and the
    supplier."""
    contract = get_object_or_404(Contract.objects.select_related("tender", "park", "supplier__enterprise"), pk=pk)
    if contract.status != ContractStatus.PUBLISHED and not sel.contracts_for(request.user).filter(pk=pk).exists():
        raise Http404
    return render(
        request,
        "procurement/evaluation/contract.html",
        {"contract": contract, "amendments": contract.amendments.order_by("signed_on", "id")},
    )
