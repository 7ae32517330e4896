"""Pages of tenders: the public list and page of each published tender (budget, needs, requirements,
periods, change notices, answered clarifications — never who asked), and the officials' list, drafting form
and the actions of the tender page (publish, justification, change notices, answers, close, fail, cancel,
re-tender). The tender page has a block where the later stages (bids, evaluation, red flags) add their
sections.

Reads go through `procurement.selectors.tenders` (drafts are seen only by the park's procurement readers; a
tender outside the user's scope is a 404), changes through `procurement.services.tenders` (POST only).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import events_for
from core.errors import DomainError
from parks.models import Park
from procurement.choices import Method, TenderStatus
from procurement.filters import TenderFilterSet
from procurement.forms_tenders import (
    AnswerForm,
    QuestionForm,
    RequiredReasonForm,
    TenderChangeForm,
    TenderForm,
    TenderPublishForm,
)
from procurement.models import ClarificationQuestion
from procurement.rules import method_rule
from procurement.selectors import tenders as selectors
from procurement.selectors.access import (
    can_read_procurement_files,
    can_run_procurement,
    is_discipline_officer,
    procurement_park_ids,
    supplier_enterprise_ids,
)
from procurement.services import tenders as services
from procurement.views.suppliers import filtered, get_or_404, page_of, style_filters


def tender_list(request):
    """Published tenders of every park, newest first, filterable (park, method, status, text, deadline)."""
    filterset = TenderFilterSet(request.GET or None, queryset=selectors.tender_public_list())
    page, query = page_of(request, filtered(filterset))
    style_filters(filterset.form)
    return render(
        request,
        "procurement/tenders/list.html",
        {"filterset": filterset, "page": page, "query": query, "now": timezone.now()},
    )


def tender_detail(request, pk):
    """A tender as the public sees it; the park's procurement readers also see drafts, the questions with
    who asked (officers only), the trail, and the actions their role allows."""
    tender = get_or_404(selectors.tender_get_for, request.user, pk)
    user = request.user
    can_manage = can_run_procurement(user, tender.park_id)
    is_reader = tender.park_id in procurement_park_ids(user) if getattr(user, "is_authenticated", False) else False
    now = timezone.now()
    rule = method_rule(tender.park, tender.method)
    context = {
        "tender": tender,
        "user": user,
        "now": now,
        "rule": rule,
        "can_manage": can_manage,
        "can_read_file": can_read_procurement_files(user, tender.park_id),
        "is_supplier_user": bool(supplier_enterprise_ids(user)),
        "is_park_discipline": is_discipline_officer(user, tender.park_id),
        "is_reader": is_reader,
        "changes": selectors.tender_changes(tender),
        "clarifications": selectors.public_clarifications(tender),
        "my_questions": selectors.questions_of_user(tender, user),
        "officer_questions": selectors.questions_for_officer(tender) if can_manage else [],
        "can_ask": bool(supplier_enterprise_ids(user)) and selectors.tender_accepts_questions(tender, now),
        "accepts_bids": selectors.tender_accepts_bids(tender, now),
        "question_form": QuestionForm(),
        "invited": tender.invited_suppliers.select_related("enterprise"),
        "retenders": tender.retenders.all(),
    }
    if can_manage:
        earliest = selectors.earliest_bid_deadline(rule, now)
        context.update(
            {
                "earliest_deadline": earliest,
                "publish_form": TenderPublishForm(
                    # Proposed: the earliest allowed deadline rounded up to the next full hour, so that the
                    # proposal is still allowed when the form comes back a few minutes later.
                    initial={"bid_deadline": _next_full_hour(earliest).strftime("%Y-%m-%dT%H:%M")}
                ),
                "change_form": TenderChangeForm(),
                "answer_form": AnswerForm(),
                "reason_form": RequiredReasonForm(),
                "actions": _actions(tender, now),
            }
        )
    if is_reader:
        context["events"] = events_for(tender)
    return render(request, "procurement/tenders/detail.html", context)


def _actions(tender, now):
    status = tender.status
    single = tender.method == Method.SINGLE_SOURCE
    return {
        "edit": status == TenderStatus.DRAFT,
        "justify": single and status == TenderStatus.DRAFT,
        "publish": (status == TenderStatus.DRAFT and not single) or status == TenderStatus.JUSTIFICATION,
        "change": status == TenderStatus.PUBLISHED and tender.bid_deadline and now < tender.bid_deadline,
        "close": status == TenderStatus.PUBLISHED and tender.bid_deadline and now >= tender.bid_deadline,
        "fail": status in {TenderStatus.CLOSED, TenderStatus.OPENED, TenderStatus.EVALUATION, TenderStatus.EVALUATED},
        "cancel": status
        in {TenderStatus.DRAFT, TenderStatus.JUSTIFICATION, TenderStatus.PUBLISHED, TenderStatus.CLOSED},
        "retender": status in {TenderStatus.FAILED, TenderStatus.CANCELLED}
        and not tender.retenders.exclude(status=TenderStatus.CANCELLED).exists(),
    }


@login_required
def tender_manage(request):
    """Every tender of the user's parks, drafts included (procurement officers, park administrators,
    discipline officers, auditors)."""
    if not procurement_park_ids(request.user):
        raise Http404
    filterset = TenderFilterSet(request.GET or None, queryset=selectors.tender_manage_list_for(request.user))
    page, query = page_of(request, filtered(filterset))
    style_filters(filterset.form)
    return render(
        request,
        "procurement/tenders/manage.html",
        {"filterset": filterset, "page": page, "query": query, "parks": _runnable_parks(request.user)},
    )


def _runnable_parks(user):
    return [p for p in Park.objects.filter(is_active=True).order_by("name") if can_run_procurement(user, p)]


@login_required
def tender_create(request):
    """Draft a tender in one of the parks where the user runs procurement (``?park=`` picks it)."""
    parks = _runnable_parks(request.user)
    if not parks:
        raise Http404
    park = next((p for p in parks if str(p.pk) == request.GET.get("park", "")), parks[0])
    form = TenderForm(request.POST or None, park=park)
    if request.method == "POST" and form.is_valid():
        try:
            tender = services.tender_create(park=park, actor=request.user, **form.service_values())
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("procurement:tender-detail", pk=tender.pk)
    return render(request, "procurement/tenders/form.html", {"form": form, "park": park, "parks": parks})


@login_required
def tender_edit(request, pk):
    """Edit a draft."""
    tender = get_or_404(selectors.tender_get_for, request.user, pk)
    if not can_run_procurement(request.user, tender.park_id):
        raise Http404
    if tender.status != TenderStatus.DRAFT:
        messages.error(request, _("Only a draft can be edited: publish a change notice instead."))
        return redirect("procurement:tender-detail", pk=tender.pk)
    form = TenderForm(request.POST or None, instance=tender, park=tender.park)
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_update(tender=tender, actor=request.user, **form.service_values())
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("procurement:tender-detail", pk=tender.pk)
    return render(request, "procurement/tenders/form.html", {"form": form, "tender": tender, "park": tender.park})


def _post_action(request, pk, run, success):
    tender = get_or_404(selectors.tender_get_for, request.user, pk)
    try:
        result = run(tender)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("procurement:tender-detail", pk=tender.pk)
    messages.success(request, success)
    target = result if getattr(result, "_meta", None) and result._meta.model_name == "tender" else tender
    return redirect("procurement:tender-detail", pk=target.pk)


def _form_errors(request, form):
    for errors in form.errors.values():
        messages.error(request, errors[0])


@login_required
@require_POST
def tender_publish(request, pk):
    form = TenderPublishForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("procurement:tender-detail", pk=pk)
    return _post_action(
        request,
        pk,
        lambda t: services.tender_publish(tender=t, actor=request.user, **form.cleaned_data),
        _("The tender is published and open for bids."),
    )


@login_required
@require_POST
def tender_justify(request, pk):
    return _post_action(
        request,
        pk,
        lambda t: services.tender_justification_publish(tender=t, actor=request.user),
        _("The single-source justification is published."),
    )


@login_required
@require_POST
def tender_change(request, pk):
    form = TenderChangeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("procurement:tender-detail", pk=pk)
    return _post_action(
        request,
        pk,
        lambda t: services.tender_change_publish(tender=t, actor=request.user, **form.cleaned_data),
        _("The notice is published."),
    )


@login_required
@require_POST
def tender_close(request, pk):
    return _post_action(
        request,
        pk,
        lambda t: services.tender_close(tender=t, actor=request.user),
        _("Bidding is closed; the commitments are published."),
    )


def _reason_action(service, success):
    @login_required
    @require_POST
    def view(request, pk):
        return _post_action(
            request, pk, lambda t: service(tender=t, actor=request.user, reason=request.POST.get("reason", "")), success
        )

    return view


tender_fail = _reason_action(services.tender_fail, _("The tender failed; the notice is published."))
tender_cancel = _reason_action(services.tender_cancel, _("The tender is cancelled."))


@login_required
@require_POST
def tender_retender(request, pk):
    return _post_action(
        request,
        pk,
        lambda t: services.tender_retender(tender=t, actor=request.user),
        _("A new draft copies the tender: check it and publish it."),
    )


@login_required
@require_POST
def question_ask(request, pk):
    form = QuestionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("procurement:tender-detail", pk=pk)
    return _post_action(
        request,
        pk,
        lambda t: services.clarification_ask(tender=t, actor=request.user, question=form.cleaned_data["question"]),
        _("Your question was sent. The answer will be published without your name."),
    )


@login_required
@require_POST
def question_answer(request, pk, question_pk):
    form = AnswerForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("procurement:tender-detail", pk=pk)

    def run(tender):
        question = ClarificationQuestion.objects.filter(tender=tender, pk=question_pk).first()
        if question is None:
            raise Http404
        return services.clarification_answer(question=question, actor=request.user, answer=form.cleaned_data["answer"])

    return _post_action(request, pk, run, _("The answer is published."))


def _next_full_hour(moment):
    local = timezone.localtime(moment).replace(minute=0, second=0, microsecond=0)
    return local + dt.timedelta(hours=1)
