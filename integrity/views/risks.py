"""Pages of the integrity-risk register (廉政风险台账): the register with its filters and Excel export, a risk
with its controls, reviews and trail, the forms that call the services, the matrix, and the screening
campaigns (排查) with their completion view and each department's answer.

Reads go through `integrity.selectors.risks` (which decides who sees what: a risk outside the user's scope
is a 404), changes through `integrity.services.risks` / `.screening` (POST only).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.attachments import attachments_for
from core.audit import events_for
from core.errors import DomainError
from core.roles import DISCIPLINE, OFFICIAL_ROLES, has_role, is_platform_admin
from core.scoping import ALL, park_ids_for
from integrity.choices_risk import (
    ACTIVE_STATUSES,
    IMPACT_LABELS,
    LIKELIHOOD_LABELS,
    CampaignStatus,
    ControlStatus,
    RiskLevel,
    RiskStatus,
    RiskTransition,
    allowed_risk_transitions,
)
from integrity.exports_risk import register_workbook
from integrity.filters_risk import RiskFilterSet
from integrity.forms_risk import (
    CampaignForm,
    ControlCompleteForm,
    ControlForm,
    EvidenceForm,
    MatrixForm,
    NoteForm,
    PullForwardForm,
    ReasonForm,
    ResponseForm,
    ReviewForm,
    RiskForm,
)
from integrity.models import RiskControl
from integrity.risk_matrix import MatrixRules
from integrity.selectors import risks as selectors
from integrity.services import risks as services
from integrity.services import screening as screening_services
from parks.models import Park

PER_PAGE = 25
EXPORT_LIMIT = 10000


# --- helpers ------------------------------------------------------------------------------------------------


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def _page(request, queryset):
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _filtered(filterset):
    if filterset.is_bound and filterset.is_valid():
        return filterset.qs
    return filterset.queryset


def _style_filters(form):
    from django import forms

    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        select = isinstance(widget, forms.Select | forms.SelectMultiple)
        widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"
    return form


def _error(request, error):
    messages.error(request, str(error.message))


def _get_or_404(getter, *args):
    try:
        return getter(*args)
    except DomainError as error:
        if error.kind == "not_found":
            raise Http404(str(error.message)) from None
        raise


def _register_reader_or_404(user):
    """Pages of the register: anyone who sees at least part of it (not enterprise users, not the public)."""
    if not has_role(user, DISCIPLINE, "park_admin", "auditor", "platform_admin", *OFFICIAL_ROLES):
        raise Http404


def _managed_parks(user):
    parks = Park.objects.filter(is_active=True).order_by("name")
    if is_platform_admin(user):
        return parks
    ids = park_ids_for(user)
    return parks.filter(pk__in=[pk for pk in ids if selectors.can_manage_risks(user, pk)]) if ids is not ALL else parks


def _can_export(user):
    """The Excel export: whoever sees the register (scoped like the page)."""
    return has_role(user, DISCIPLINE, "park_admin", "auditor", "platform_admin", *OFFICIAL_ROLES)


# --- the register -------------------------------------------------------------------------------------------


@login_required
def risk_list(request):
    """The register the user may see, in 台账 order, filterable (park, department, area, status, levels,
    overdue reviews and controls, text); htmx requests get the table alone."""
    _register_reader_or_404(request.user)
    filterset = RiskFilterSet(request.GET or None, queryset=selectors.risk_list_for(request.user), request=request)
    page, query = _page(request, _filtered(filterset))
    _style_filters(filterset.form)
    context = {
        "filterset": filterset,
        "page": page,
        "query": query,
        "export_query": request.GET.urlencode(),
        "today": timezone.localdate(),
        "can_register": bool(_reporting_departments(request.user)),
        "can_manage": _managed_parks(request.user).exists(),
    }
    template = "integrity/risks/partials/risk_table.html" if _is_htmx(request) else "integrity/risks/list.html"
    return render(request, template, context)


def _reporting_departments(user):
    from integrity.forms_risk import departments_for_reporting

    return departments_for_reporting(user)


@login_required
def risk_export(request):
    """The filtered register as an Excel workbook (台账 columns), everything matching, not one page."""
    if not _can_export(request.user):
        raise Http404
    filterset = RiskFilterSet(request.GET or None, queryset=selectors.risk_list_for(request.user), request=request)
    content = register_workbook(_filtered(filterset)[:EXPORT_LIMIT])
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="risk-register-{stamp}.xlsx"'
    return response


def _ticket_for_prefill(request):
    """The ticket named by ``?ticket=`` when the user may raise a risk from it (a discipline officer who sees
    it); None otherwise."""
    ticket_id = request.GET.get("ticket") or request.POST.get("ticket")
    if not ticket_id:
        return None
    from complaints.selectors import ticket_get_for

    if not has_role(request.user, DISCIPLINE):
        raise Http404
    try:
        return ticket_get_for(request.user, pk=int(ticket_id))
    except (DomainError, ValueError):
        raise Http404 from None


def _response_for_prefill(request):
    response_id = request.GET.get("response") or request.POST.get("response")
    if not response_id:
        return None
    try:
        return selectors.response_get_for(request.user, int(response_id))
    except (DomainError, ValueError):
        raise Http404 from None


@login_required
def risk_create(request):
    """Register a risk. ``?ticket=<id>`` (discipline officers) prefills it from a complaint or report and
    links it; ``?response=<id>`` registers it in answer to a screening campaign for that department."""
    user = request.user
    departments = _reporting_departments(user)
    if not departments.exists():
        raise Http404
    ticket = _ticket_for_prefill(request)
    response = _response_for_prefill(request)
    initial = {"inherent_likelihood": 3, "inherent_impact": 3, "residual_likelihood": 3, "residual_impact": 3}
    if ticket is not None:
        prefill = selectors.risk_prefill_from_ticket(ticket)
        initial.update(
            title=prefill["title"],
            area=prefill["area"],
            description=prefill["description"],
            department=prefill["department"].pk if prefill["department"] else None,
        )
    if response is not None:
        initial["department"] = response.department_id
    form = RiskForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        department = data.pop("department")
        try:
            if ticket is not None:
                risk = services.risk_raise_from_ticket(ticket=ticket, actor=user, department=department, **data)
            else:
                risk = services.risk_create(
                    park=department.park, department=department, actor=user, screening_response=response, **data
                )
        except DomainError as error:
            _add_form_error(form, error)
        else:
            messages.success(request, _("The risk was registered."))
            if response is not None:
                return redirect("integrity:screening-response", pk=response.pk)
            return redirect("integrity:risk-detail", pk=risk.pk)
    return render(
        request,
        "integrity/risks/form.html",
        {"form": form, "ticket": ticket, "response": response, "risk": None, "scales": _scales()},
    )


def _add_form_error(form, error):
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def _scales():
    return {"likelihood": LIKELIHOOD_LABELS, "impact": IMPACT_LABELS}


@login_required
def risk_edit(request, pk):
    """Change what a risk says (the register's managers and the department's officials); residual scores
    change through a review."""
    risk = _get_or_404(selectors.risk_get_for, request.user, pk)
    if not (
        selectors.can_manage_risks(request.user, risk.park_id)
        or selectors.is_department_staff(request.user, risk.department_id)
    ):
        raise Http404
    initial = {
        "department": risk.department_id,
        "post": risk.post,
        "post_holder": risk.post_holder_id,
        "area": risk.area,
        "title": risk.title,
        "description": risk.description,
        "manifestations": risk.manifestations,
        "owner": risk.owner_id,
        "inherent_likelihood": risk.inherent_likelihood,
        "inherent_impact": risk.inherent_impact,
    }
    form = RiskForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if initial.get(k) != getattr(v, "pk", v)}
        try:
            services.risk_update(risk=risk, actor=request.user, **changes)
        except DomainError as error:
            _add_form_error(form, error)
        else:
            messages.success(request, _("The risk was updated."))
            return redirect("integrity:risk-detail", pk=risk.pk)
    return render(request, "integrity/risks/form.html", {"form": form, "risk": risk, "scales": _scales()})


@login_required
def risk_detail(request, pk):
    """One risk: what it is, its levels on the matrix, controls with evidence, reviews, the trail, and the
    actions the user may take."""
    user = request.user
    risk = _get_or_404(selectors.risk_get_for, user, pk)
    today = timezone.localdate()
    manager = selectors.can_manage_risks(user, risk.park_id)
    controls = list(risk.controls.all())
    evidence = {c.pk: list(attachments_for(c)) for c in controls}
    rules = MatrixRules.from_version(risk.matrix_version)
    context = {
        "risk": risk,
        "today": today,
        "controls": [
            {
                "control": c,
                "overdue": c.is_overdue(today),
                "evidence": evidence[c.pk],
                "can_complete": c.status == ControlStatus.OPEN and selectors.can_complete_control(user, c),
                "can_add_evidence": c.status != ControlStatus.CANCELLED and selectors.can_complete_control(user, c),
                "can_cancel": c.status == ControlStatus.OPEN and manager,
            }
            for c in controls
        ],
        "reviews": list(selectors.risk_reviews_of(risk)),
        "trail": list(events_for(risk)),
        "grid": _grid_rows(rules, marks={"inherent": risk, "residual": risk}),
        "interval": services.review_interval(risk),
        "transitions": allowed_risk_transitions(risk.status) if manager else [],
        "needs_head": risk.residual_level in ("high", "major"),
        "is_head": selectors.is_discipline_office_head(user, risk.park_id),
        "can_edit": risk.status != RiskStatus.CLOSED
        and (manager or selectors.is_department_staff(user, risk.department_id)),
        "can_add_control": risk.status != RiskStatus.CLOSED and selectors.can_work_on_controls(user, risk),
        "can_review": risk.status in ACTIVE_STATUSES and selectors.can_review_risk(user, risk),
        "can_pull_forward": risk.status in ACTIVE_STATUSES
        and (is_platform_admin(user) or has_role(user, *OFFICIAL_ROLES)),
        "control_form": ControlForm(user=user, initial={"due_date": today}),
        "complete_form": ControlCompleteForm(),
        "evidence_form": EvidenceForm(),
        "reason_form": ReasonForm(),
        "note_form": NoteForm(),
        "review_form": ReviewForm(
            initial={"residual_likelihood": risk.residual_likelihood, "residual_impact": risk.residual_impact}
        ),
        "pull_form": PullForwardForm(),
        "transition_labels": {t.value: t.label for t in RiskTransition},
    }
    return render(request, "integrity/risks/detail.html", context)


def _grid_rows(rules, marks=None):
    """Rows of the matrix for templates: impact 5 at the top, likelihood 1 … 5 left to right."""
    marks = marks or {}
    inherent = marks.get("inherent")
    residual = marks.get("residual")
    rows = []
    for impact in range(5, 0, -1):
        cells = []
        for likelihood in range(1, 6):
            cells.append(
                {
                    "likelihood": likelihood,
                    "impact": impact,
                    "score": likelihood * impact,
                    "level": rules.level(likelihood, impact),
                    "inherent": inherent is not None
                    and (inherent.inherent_likelihood, inherent.inherent_impact) == (likelihood, impact),
                    "residual": residual is not None
                    and (residual.residual_likelihood, residual.residual_impact) == (likelihood, impact),
                }
            )
        rows.append({"impact": impact, "label": IMPACT_LABELS[impact], "cells": cells})
    return rows


def _act(request, pk, act, done):
    """Run one POST action on a risk the user sees, then back to its page with a message."""
    risk = _get_or_404(selectors.risk_get_for, request.user, pk)
    try:
        act(risk)
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, done)
    return redirect("integrity:risk-detail", pk=risk.pk)


TRANSITION_SERVICES = {
    RiskTransition.MARK_CONTROLLED: (services.risk_mark_controlled, _("The risk is marked as controlled.")),
    RiskTransition.ACCEPT: (services.risk_accept, _("The risk was accepted.")),
    RiskTransition.CLOSE: (services.risk_close, _("The risk was closed.")),
    RiskTransition.REOPEN: (services.risk_reopen, _("The risk was reopened.")),
}


@login_required
@require_POST
def risk_transition(request, pk, action):
    if action not in TRANSITION_SERVICES:
        raise Http404
    service, done = TRANSITION_SERVICES[action]
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _act(request, pk, lambda risk: service(risk=risk, actor=request.user, note=note), str(done))


@login_required
@require_POST
def risk_review(request, pk):
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please fill in the review: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("integrity:risk-detail", pk=pk)
    data = form.cleaned_data
    return _act(
        request,
        pk,
        lambda risk: services.risk_review_record(risk=risk, actor=request.user, **data),
        _("The review was recorded."),
    )


@login_required
@require_POST
def risk_pull_forward(request, pk):
    form = PullForwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please fill in the form: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("integrity:risk-detail", pk=pk)
    data = form.cleaned_data
    return _act(
        request,
        pk,
        lambda risk: services.risk_pull_review_forward(
            risk=risk, actor=request.user, reason=data["reason"], note=data["note"], due_date=data["due_date"]
        ),
        _("The review was brought forward."),
    )


@login_required
@require_POST
def risk_control_add(request, pk):
    form = ControlForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Please fill in the control: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("integrity:risk-detail", pk=pk)
    data = form.cleaned_data
    return _act(
        request,
        pk,
        lambda risk: services.risk_control_add(risk=risk, actor=request.user, **data),
        _("The control was added."),
    )


def _control_or_404(user, pk):
    try:
        return selectors.control_list_for(user).get(pk=pk)
    except RiskControl.DoesNotExist:
        raise Http404 from None


def _control_act(request, pk, form, act, done):
    control = _control_or_404(request.user, pk)
    if not form.is_valid():
        messages.error(request, _("Please fill in the form: %(errors)s") % {"errors": form.errors.as_text()})
    else:
        try:
            act(control, form.cleaned_data)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, done)
    return redirect("integrity:risk-detail", pk=control.risk_id)


@login_required
@require_POST
def risk_control_complete(request, pk):
    def act(control, data):
        files = [data["evidence"]] if data.get("evidence") else []
        services.risk_control_complete(control=control, actor=request.user, note=data["note"], evidence=files)

    form = ControlCompleteForm(request.POST, request.FILES)
    return _control_act(request, pk, form, act, _("The control is done."))


@login_required
@require_POST
def risk_control_evidence(request, pk):
    def act(control, data):
        services.risk_control_add_evidence(control=control, actor=request.user, evidence=[data["evidence"]])

    return _control_act(request, pk, EvidenceForm(request.POST, request.FILES), act, _("The evidence was added."))


@login_required
@require_POST
def risk_control_cancel(request, pk):
    def act(control, data):
        services.risk_control_cancel(control=control, actor=request.user, reason=data["reason"])

    return _control_act(request, pk, ReasonForm(request.POST), act, _("The control was cancelled."))


# --- the matrix ------------------------------------------------------------------------------------------


@login_required
def risk_matrix(request):
    """The matrix in force for each park the user sees (grid, thresholds, cadence) and its versions; the
    register's managers publish a new version here."""
    user = request.user
    _register_reader_or_404(user)
    parks = Park.objects.filter(is_active=True).order_by("name")
    ids = park_ids_for(user)
    if ids is not ALL:
        parks = parks.filter(pk__in=ids)
    managed = _managed_parks(user)
    form = None
    if managed.exists() or is_platform_admin(user):
        current = selectors.risk_matrix_for(managed.first() if managed.exists() else None)
        form = MatrixForm(request.POST or None, parks=managed, initial=MatrixForm.initial_from(current))
        if request.method == "POST" and form.is_valid():
            try:
                version = services.risk_matrix_publish(actor=user, **form.service_arguments())
            except DomainError as error:
                _add_form_error(form, error)
            else:
                messages.success(request, _("Version %(v)s of the matrix was published.") % {"v": version.version})
                return redirect("integrity:risk-matrix")
    matrices = []
    for park in parks:
        version = selectors.risk_matrix_for(park)
        matrices.append({"park": park, "version": version, "grid": _grid_rows(version.rules)})
    if not matrices:
        version = selectors.risk_matrix_for(None)
        matrices.append({"park": None, "version": version, "grid": _grid_rows(version.rules)})
    versions = selectors.matrix_versions_for(user).order_by("park__name", "-version")[:50]
    return render(
        request,
        "integrity/risks/matrix.html",
        {
            "matrices": matrices,
            "versions": versions,
            "form": form,
            "likelihood_labels": LIKELIHOOD_LABELS,
            "levels": [RiskLevel.MAJOR, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW],
        },
    )


# --- screening campaigns -------------------------------------------------------------------------------------


@login_required
def screening_list(request):
    """Screening campaigns the user may see with their completion figures; managers launch one here."""
    user = request.user
    _register_reader_or_404(user)
    campaigns = selectors.campaign_list_for(user)
    page, query = _page(request, campaigns)
    managed = _managed_parks(user)
    own = selectors.staff_department(user)
    own_responses = {}
    if own is not None:
        own_responses = {
            r.campaign_id: r for r in own.risk_screening_responses.filter(campaign__in=[c.pk for c in page.object_list])
        }
    return render(
        request,
        "integrity/risks/screening_list.html",
        {
            "page": page,
            "query": query,
            "can_launch": managed.exists(),
            "own_responses": own_responses,
        },
    )


@login_required
def screening_create(request):
    user = request.user
    managed = _managed_parks(user)
    if not managed.exists():
        raise Http404
    form = CampaignForm(request.POST or None, parks=managed, initial={"park": managed.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = screening_services.screening_campaign_launch(
                park=data["park"],
                actor=user,
                title=data["title"],
                deadline=data["deadline"],
                instructions=data["instructions"],
                areas=data["areas"],
            )
        except DomainError as error:
            _add_form_error(form, error)
        else:
            messages.success(request, _("The screening campaign was launched."))
            return redirect("integrity:screening-detail", pk=campaign.pk)
    return render(request, "integrity/risks/screening_form.html", {"form": form})


@login_required
def screening_detail(request, pk):
    """The completion view: per department answered / nil / missing, late or not, the risks reported."""
    user = request.user
    campaign = _get_or_404(selectors.campaign_get_for, user, pk)
    reader = selectors.can_read_register(user, campaign.park_id)
    completion = selectors.campaign_completion(campaign) if reader else None
    responses = list(selectors.campaign_responses_for(user, campaign))
    return render(
        request,
        "integrity/risks/screening_detail.html",
        {
            "campaign": campaign,
            "completion": completion,
            "responses": responses,
            "can_close": campaign.status == CampaignStatus.OPEN and selectors.can_manage_risks(user, campaign.park_id),
        },
    )


@login_required
@require_POST
def screening_close(request, pk):
    campaign = _get_or_404(selectors.campaign_get_for, request.user, pk)
    try:
        screening_services.screening_campaign_close(campaign=campaign, actor=request.user)
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("The screening campaign was closed."))
    return redirect("integrity:screening-detail", pk=campaign.pk)


@login_required
def screening_response(request, pk):
    """One department's answer: the risks reported so far (registered from here), and the answer itself —
    the reported risks, or a nil response."""
    user = request.user
    response = _get_or_404(selectors.response_get_for, user, pk)
    campaign = response.campaign
    answerer = selectors.can_manage_risks(user, campaign.park_id) or selectors.is_department_staff(
        user, response.department_id
    )
    can_answer = campaign.status == CampaignStatus.OPEN and answerer
    form = ResponseForm(request.POST or None, initial={"note": response.note})
    if request.method == "POST":
        if not can_answer:
            raise Http404
        if form.is_valid():
            try:
                screening_services.screening_response_submit(
                    response=response, actor=user, nil=form.cleaned_data["nil"], note=form.cleaned_data["note"]
                )
            except DomainError as error:
                _add_form_error(form, error)
            else:
                messages.success(request, _("Your department's answer was recorded."))
                return redirect("integrity:screening-response", pk=response.pk)
    return render(
        request,
        "integrity/risks/screening_response.html",
        {
            "response": response,
            "campaign": campaign,
            "risks": list(response.risks.select_related("department").order_by("id")),
            "form": form,
            "can_answer": can_answer,
            "today": timezone.localdate(),
        },
    )
