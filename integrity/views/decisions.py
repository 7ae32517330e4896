"""Pages of the 三重一大 register: the items decided (the register itself), meetings with attendance,
items, positions and minutes, decision bodies with their rosters and the park's thresholds, the fund
payments, and the flag list.

Reads go through `integrity.selectors.decisions` (a record outside the user's parks is a 404; enterprise
users, dispatchers, handlers and the public see nothing), changes through `integrity.services.decisions`
(POST only); a refused change comes back as a message or a form error and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.attachments import attachments_for
from core.audit import events_for
from core.errors import DomainError
from integrity.choices_decisions import DecisionKind
from integrity.decisions_flags import (
    FlagKind,
    Thresholds,
    decision_facts,
    decision_flags,
    meeting_facts,
    meeting_flags,
    spending_flags,
)
from integrity.decisions_spending import fund_payment_item
from integrity.filters_decisions import (
    CollectiveDecisionFilterSet,
    DecisionFlagFilterSet,
    FundPaymentFilterSet,
    MeetingFilterSet,
)
from integrity.forms_decisions import (
    AttendanceForm,
    BodyForm,
    DecisionForm,
    LinkForm,
    MeetingForm,
    MemberEndForm,
    MemberForm,
    MinutesForm,
    PaymentForm,
    ThresholdForm,
    VotesForm,
)
from integrity.selectors import decisions as selectors
from integrity.services import decisions as services
from integrity.views.risks import _add_form_error, _error, _filtered, _get_or_404, _is_htmx, _page, _style_filters


def _reader_or_404(user):
    if selectors.readable_park_ids(user) == frozenset():
        raise Http404


def _recorder_or_404(user, park_id):
    if not selectors.can_record_decisions(user, park_id):
        raise Http404


def _form_errors(form):
    return "; ".join(
        f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}".strip() for f, e in form.errors.items()
    )


def _can_record_anywhere(user):
    return selectors.recordable_parks(user).exists()


# --- the register of items ------------------------------------------------------------------------------------


def _item_flags(decision):
    facts = meeting_facts(decision.meeting)
    return meeting_flags(decision.meeting, facts) + decision_flags(decision, facts)


@login_required
def decision_list(request):
    """Items decided in the parks the user reads, newest meeting first, with their flags; htmx gets the
    table alone."""
    _reader_or_404(request.user)
    filterset = CollectiveDecisionFilterSet(
        request.GET or None, queryset=selectors.decision_list_for(request.user), request=request
    )
    page, query = _page(request, _filtered(filterset))
    rows = [{"decision": d, "flags": _item_flags(d)} for d in page.object_list]
    _style_filters(filterset.form)
    context = {
        "filterset": filterset,
        "page": page,
        "rows": rows,
        "query": query,
        "can_record": _can_record_anywhere(request.user),
    }
    template = (
        "integrity/decisions/partials/decision_table.html" if _is_htmx(request) else "integrity/decisions/list.html"
    )
    return render(request, template, context)


@login_required
def decision_detail(request, pk):
    """One item: its meeting, each member's position (recusals and dissent), its flags and its trail; the
    recorders correct it and record positions here."""
    user = request.user
    decision = _get_or_404(selectors.decision_get_for, user, pk)
    facts = meeting_facts(decision.meeting)
    votes = {v.member_id: v for v in decision.votes.all()}
    can_record = selectors.can_record_decisions(user, decision.park_id)
    context = {
        "decision": decision,
        "meeting": decision.meeting,
        "facts": facts,
        "tally": decision_facts(decision, facts),
        "roster": [
            {"member": m, "present": m.pk in facts.present_ids, "vote": votes.get(m.pk)} for m in facts.entitled
        ],
        "flags": selectors.flags_of_decision(decision),
        "payments": list(decision.fund_payments.order_by("paid_on")),
        "trail": list(events_for(decision)),
        "can_record": can_record,
        "thresholds": Thresholds(decision.park),
    }
    if can_record:
        context["votes_form"] = VotesForm(
            members=facts.entitled, initial_values={m: (v.position, v.statement) for m, v in votes.items()}
        )
        context["edit_form"] = DecisionForm(
            initial={
                "item_number": decision.item_number,
                "kind": decision.kind,
                "title": decision.title,
                "summary": decision.summary,
                "amount": decision.amount,
                "notified_in_advance": decision.notified_in_advance,
                "outcome": decision.outcome,
            }
        )
    return render(request, "integrity/decisions/detail.html", context)


@login_required
@require_POST
def decision_votes(request, pk):
    decision = _get_or_404(selectors.decision_get_for, request.user, pk)
    _recorder_or_404(request.user, decision.park_id)
    facts = meeting_facts(decision.meeting)
    form = VotesForm(request.POST, members=facts.entitled)
    if not form.is_valid():
        messages.error(request, _("Please fill in the positions: %(errors)s") % {"errors": _form_errors(form)})
    else:
        try:
            services.decision_record_votes(
                decision=decision, actor=request.user, votes=form.entries("position", "statement")
            )
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("The positions were recorded."))
    return redirect("integrity:decision-detail", pk=decision.pk)


@login_required
@require_POST
def decision_edit(request, pk):
    decision = _get_or_404(selectors.decision_get_for, request.user, pk)
    _recorder_or_404(request.user, decision.park_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please fill in the item: %(errors)s") % {"errors": _form_errors(form)})
    else:
        try:
            services.decision_update(decision=decision, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("The item was updated."))
    return redirect("integrity:decision-detail", pk=decision.pk)


# --- meetings -------------------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    _reader_or_404(request.user)
    filterset = MeetingFilterSet(
        request.GET or None, queryset=selectors.meeting_list_for(request.user), request=request
    )
    page, query = _page(request, _filtered(filterset))
    rows = []
    for meeting in page.object_list:
        facts = meeting_facts(meeting)
        rows.append({"meeting": meeting, "facts": facts, "flags": selectors.flags_of_meeting(meeting)})
    _style_filters(filterset.form)
    return render(
        request,
        "integrity/decisions/meetings.html",
        {
            "filterset": filterset,
            "page": page,
            "rows": rows,
            "query": query,
            "can_record": _can_record_anywhere(request.user),
        },
    )


@login_required
def meeting_create(request):
    user = request.user
    if not _can_record_anywhere(user):
        raise Http404
    form = MeetingForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=user, **form.cleaned_data)
        except DomainError as error:
            _add_form_error(form, error)
        else:
            messages.success(request, _("The meeting was recorded: now record the attendance and the items."))
            return redirect("integrity:meeting-detail", pk=meeting.pk)
    return render(request, "integrity/decisions/meeting_form.html", {"form": form})


@login_required
def meeting_detail(request, pk):
    """A meeting: the roster entitled that day and who was present, the items with their tallies and flags,
    the minutes, the trail; the recorders fill it in here."""
    user = request.user
    meeting = _get_or_404(selectors.meeting_get_for, user, pk)
    facts = meeting_facts(meeting)
    decisions = list(meeting.decisions.all())
    for decision in decisions:
        decision.meeting = meeting
    attendance = {row.member_id: row for row in meeting.attendance.all()}
    can_record = selectors.can_record_decisions(user, meeting.park_id)
    context = {
        "meeting": meeting,
        "facts": facts,
        "roster": [{"member": m, "row": attendance.get(m.pk)} for m in facts.entitled],
        "items": [
            {"decision": d, "tally": decision_facts(d, facts), "flags": decision_flags(d, facts)} for d in decisions
        ],
        "flags": meeting_flags(meeting, facts),
        "minutes": list(attachments_for(meeting)),
        "trail": list(events_for(meeting)),
        "can_record": can_record,
    }
    if can_record:
        context.update(
            attendance_form=AttendanceForm(
                members=facts.entitled,
                initial_values={k: (r.status, r.reason) for k, r in attendance.items()},
            ),
            decision_form=DecisionForm(initial={"item_number": len(decisions) + 1}),
            minutes_form=MinutesForm(),
            edit_form=MeetingForm(
                meeting=meeting,
                initial={
                    "meeting_type": meeting.meeting_type,
                    "held_on": meeting.held_on,
                    "number": meeting.number,
                    "location": meeting.location,
                    "agenda_notified_on": meeting.agenda_notified_on,
                    "chair": meeting.chair_id,
                },
            ),
        )
    return render(request, "integrity/decisions/meeting_detail.html", context)


def _meeting_post(request, pk, form_factory, act, done):
    meeting = _get_or_404(selectors.meeting_get_for, request.user, pk)
    _recorder_or_404(request.user, meeting.park_id)
    form = form_factory(meeting)
    if not form.is_valid():
        messages.error(request, _("Please fill in the form: %(errors)s") % {"errors": _form_errors(form)})
    else:
        try:
            act(meeting, form)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, done)
    return redirect("integrity:meeting-detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_edit(request, pk):
    return _meeting_post(
        request,
        pk,
        lambda meeting: MeetingForm(request.POST, meeting=meeting),
        lambda meeting, form: services.meeting_update(meeting=meeting, actor=request.user, **form.cleaned_data),
        _("The meeting was updated."),
    )


@login_required
@require_POST
def meeting_attendance(request, pk):
    return _meeting_post(
        request,
        pk,
        lambda meeting: AttendanceForm(request.POST, members=meeting_facts(meeting).entitled),
        lambda meeting, form: services.meeting_record_attendance(
            meeting=meeting, actor=request.user, entries=form.entries("status", "reason")
        ),
        _("The attendance was recorded."),
    )


@login_required
@require_POST
def meeting_minutes(request, pk):
    return _meeting_post(
        request,
        pk,
        lambda meeting: MinutesForm(request.POST, request.FILES),
        lambda meeting, form: services.meeting_attach_minutes(
            meeting=meeting, actor=request.user, files=[form.cleaned_data["minutes"]]
        ),
        _("The minutes were attached."),
    )


@login_required
@require_POST
def meeting_decision_add(request, pk):
    return _meeting_post(
        request,
        pk,
        lambda meeting: DecisionForm(request.POST),
        lambda meeting, form: services.decision_record(meeting=meeting, actor=request.user, **form.cleaned_data),
        _("The item was recorded: now record the members' positions."),
    )


# --- bodies, rosters and thresholds ----------------------------------------------------------------------------


@login_required
def body_list(request):
    """Decision bodies with their current rosters, and the parks' thresholds; recorders add bodies and set
    thresholds here."""
    user = request.user
    _reader_or_404(user)
    can_record = _can_record_anywhere(user)
    body_form = BodyForm(request.POST or None, user=user) if can_record else None
    if request.method == "POST":
        if body_form is None:
            raise Http404
        if body_form.is_valid():
            try:
                body = services.decision_body_create(actor=user, **body_form.cleaned_data)
            except DomainError as error:
                _add_form_error(body_form, error)
            else:
                messages.success(request, _("The body was created: now add its members."))
                return redirect("integrity:decision-body-detail", pk=body.pk)
    parks = list(selectors.readable_parks(user))
    thresholds = []
    for park in parks:
        park_thresholds = Thresholds(park)
        thresholds.append(
            {
                "park": park,
                "general": park_thresholds.general,
                "by_kind": [
                    {"kind": kind, "label": label, "amount": park_thresholds.by_kind.get(kind)}
                    for kind, label in DecisionKind.choices
                ],
            }
        )
    return render(
        request,
        "integrity/decisions/bodies.html",
        {
            "bodies": list(selectors.body_list_for(user)),
            "thresholds": thresholds,
            "body_form": body_form,
            "threshold_form": ThresholdForm(user=user) if can_record else None,
            "can_record": can_record,
        },
    )


@login_required
@require_POST
def threshold_set(request):
    user = request.user
    if not _can_record_anywhere(user):
        raise Http404
    form = ThresholdForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, _("Please fill in the threshold: %(errors)s") % {"errors": _form_errors(form)})
    else:
        try:
            services.decision_threshold_set(actor=user, **form.cleaned_data)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("The threshold was set."))
    return redirect("integrity:decision-body-list")


@login_required
def body_detail(request, pk):
    user = request.user
    body = _get_or_404(selectors.body_get_for, user, pk)
    can_record = selectors.can_record_decisions(user, body.park_id)
    context = {
        "body": body,
        "members": list(body.members.all()),
        "meetings": list(body.meetings.order_by("-held_on")[:20]),
        "trail": list(events_for(body)),
        "can_record": can_record,
    }
    if can_record:
        context.update(
            member_form=MemberForm(park=body.park),
            end_form=MemberEndForm(),
            edit_form=BodyForm(
                user=user,
                editing=True,
                initial={"name": body.name, "kind": body.kind, "description": body.description, "active": body.active},
            ),
        )
    return render(request, "integrity/decisions/body_detail.html", context)


def _body_post(request, pk, form_factory, act, done):
    body = _get_or_404(selectors.body_get_for, request.user, pk)
    _recorder_or_404(request.user, body.park_id)
    form = form_factory(body)
    if not form.is_valid():
        messages.error(request, _("Please fill in the form: %(errors)s") % {"errors": _form_errors(form)})
    else:
        try:
            act(body, form)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, done)
    return redirect("integrity:decision-body-detail", pk=body.pk)


@login_required
@require_POST
def body_edit(request, pk):
    return _body_post(
        request,
        pk,
        lambda body: BodyForm(request.POST, user=request.user, editing=True),
        lambda body, form: services.decision_body_update(body=body, actor=request.user, **form.cleaned_data),
        _("The body was updated."),
    )


@login_required
@require_POST
def member_add(request, pk):
    return _body_post(
        request,
        pk,
        lambda body: MemberForm(request.POST, park=body.park),
        lambda body, form: services.body_member_add(body=body, actor=request.user, **form.cleaned_data),
        _("The member was added."),
    )


@login_required
@require_POST
def member_end(request, pk):
    member = _get_or_404(selectors.member_get_for, request.user, pk)
    _recorder_or_404(request.user, member.body.park_id)
    form = MemberEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please fill in the form: %(errors)s") % {"errors": _form_errors(form)})
    else:
        try:
            services.body_member_end(member=member, actor=request.user, to_date=form.cleaned_data["to_date"])
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("The seat was ended."))
    return redirect("integrity:decision-body-detail", pk=member.body_id)


# --- fund payments ------------------------------------------------------------------------------------------


@login_required
def payment_list(request):
    """Large fund payments with the decision each rests on and its flags; recorders enter payments here."""
    user = request.user
    _reader_or_404(user)
    can_record = _can_record_anywhere(user)
    form = PaymentForm(request.POST or None, user=user) if can_record else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.fund_payment_record(actor=user, **form.cleaned_data)
            except DomainError as error:
                _add_form_error(form, error)
            else:
                messages.success(request, _("The payment was recorded."))
                return redirect("integrity:fund-payment-list")
    filterset = FundPaymentFilterSet(request.GET or None, queryset=selectors.payment_list_for(user), request=request)
    page, query = _page(request, _filtered(filterset))
    thresholds, rows = {}, []
    for payment in page.object_list:
        park_thresholds = thresholds.setdefault(payment.park_id, Thresholds(payment.park))
        decisions = {payment.decision_id: payment.decision} if payment.decision_id else {}
        rows.append(
            {
                "payment": payment,
                "flags": spending_flags(payment.park, [fund_payment_item(payment)], decisions, park_thresholds),
                "link_form": LinkForm(user=user, park=payment.park, initial={"decision": payment.decision_id})
                if can_record
                else None,
            }
        )
    _style_filters(filterset.form)
    return render(
        request,
        "integrity/decisions/payments.html",
        {"filterset": filterset, "page": page, "rows": rows, "query": query, "form": form, "can_record": can_record},
    )


@login_required
@require_POST
def payment_link(request, pk):
    payment = _get_or_404(selectors.payment_get_for, request.user, pk)
    _recorder_or_404(request.user, payment.park_id)
    form = LinkForm(request.POST, user=request.user, park=payment.park)
    if not form.is_valid():
        messages.error(request, _("Please fill in the form: %(errors)s") % {"errors": _form_errors(form)})
    else:
        try:
            services.fund_payment_link_decision(
                payment=payment, actor=request.user, decision=form.cleaned_data["decision"]
            )
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("The payment's decision was updated."))
    return redirect("integrity:fund-payment-list")


# --- flags ----------------------------------------------------------------------------------------------------


@login_required
def flag_list(request):
    """Every flag of the parks the user reads over a period (the last twelve months by default)."""
    user = request.user
    _reader_or_404(user)
    filterset = DecisionFlagFilterSet(
        request.GET or None, queryset=selectors.decision_list_for(user).none(), request=request
    )
    arguments = filterset.flag_arguments()
    since, until = selectors.default_period()
    since, until = arguments["since"] or since, arguments["until"] or until
    flags = selectors.flags_for(user, since=since, until=until, park=arguments["park"], kind=arguments["kind"])
    counts = dict.fromkeys(FlagKind.values, 0)
    for flag in flags:
        counts[flag.kind] += 1
    _style_filters(filterset.form)
    page, query = _page(request, flags)
    return render(
        request,
        "integrity/decisions/flags.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query,
            "since": since,
            "until": until,
            "counts": [{"kind": k, "label": label, "count": counts[k]} for k, label in FlagKind.choices],
            "parks": {p.pk: p for p in selectors.readable_parks(user)},
        },
    )
