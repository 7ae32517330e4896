"""An official's declarations: the list, the three forms, editing a returned one, submitting, and reporting a
required action; the detail page also carries the discipline officer's review buttons (views in
`integrity.views.review`). CONFIDENTIAL: every read goes through `integrity.selectors.declarations`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from core.audit import events_for
from core.errors import DomainError
from integrity import deadlines
from integrity.choices import (
    AWAITING_REVIEW_STATUSES,
    EDITABLE_STATUSES,
    DeclarationKind,
    DeclarationStatus,
)
from integrity.filters import DeclarationFilterSet
from integrity.forms import (
    DECLARATION_FORMS,
    AcceptForm,
    ReasonForm,
    ReportActionForm,
    RequireActionForm,
)
from integrity.models.declarations import KIND_MODELS
from integrity.selectors.access import can_review, official_parks
from integrity.selectors.declarations import declarations_for, own_declarations
from integrity.selectors.settings import settings_for
from integrity.services import declarations as services
from integrity.views.common import filtered, paginate, report_error, style_filter_form
from parks.models import Park

KIND_SLUGS = {
    "gift": DeclarationKind.GIFT,
    "family-event": DeclarationKind.FAMILY_EVENT,
    "interest": DeclarationKind.INTEREST,
}
CREATE_SERVICES = {
    DeclarationKind.GIFT: services.gift_declaration_create,
    DeclarationKind.FAMILY_EVENT: services.family_event_declaration_create,
    DeclarationKind.INTEREST: services.interest_declaration_create,
}
UPDATE_SERVICES = {
    DeclarationKind.GIFT: services.gift_declaration_update,
    DeclarationKind.FAMILY_EVENT: services.family_event_declaration_update,
    DeclarationKind.INTEREST: services.interest_declaration_update,
}
HIDDEN_DETAIL_FIELDS = {"id", "declaration_ptr"}
EVENT_LABELS = {
    "declaration.created": _lazy("Created"),
    "declaration.updated": _lazy("Changed by the declarant"),
    "declaration.submitted": _lazy("Submitted"),
    "declaration.accepted": _lazy("Accepted"),
    "declaration.returned": _lazy("Returned for correction"),
    "declaration.action_required": _lazy("Action required"),
    "declaration.action_reported": _lazy("Action reported"),
    "declaration.reminder_sent": _lazy("Reminder sent"),
}


def _official_parks_or_404(user):
    parks = list(Park.objects.filter(pk__in=official_parks(user)).order_by("name"))
    if not parks:
        raise Http404(_("Only officials of a park file declarations."))
    return parks


@login_required
def my_declarations(request):
    """Officials: their own declarations, filterable, with the links to file a new one."""
    parks = _official_parks_or_404(request.user)
    filterset = DeclarationFilterSet(request.GET or None, queryset=own_declarations(request.user), request=request)
    page, query = paginate(request, filtered(filterset))
    style_filter_form(filterset.form)
    return render(
        request,
        "integrity/my_declarations.html",
        {"filterset": filterset, "page": page, "query": query, "parks": parks, "kinds": KIND_SLUGS},
    )


def _save(request, form, *, kind, declaration=None, parks):
    """Create or update through the service, then submit if the official pressed “Submit”."""
    data = form.service_data()
    if declaration is None:
        park = form.cleaned_data.get("park") or parks[0]
        result = CREATE_SERVICES[kind](park=park, actor=request.user, data=data)
    else:
        result = UPDATE_SERVICES[kind](declaration=declaration, actor=request.user, data=data)
    if not request.POST.get("submit"):
        messages.success(request, _("Your draft was saved. Submit it before it is due."))
        return result
    try:
        result = services.declaration_submit(declaration=result, actor=request.user)
    except DomainError as error:
        # The content is saved; only the submission was refused (e.g. too early): say so on the draft.
        messages.warning(request, _("Your draft was saved but not submitted: %(reason)s") % {"reason": error})
    else:
        messages.success(request, _("Your declaration was submitted to the discipline office."))
    return result


@login_required
def declaration_create(request, kind_slug):
    """Officials: the form for a new gift, family event or relative's business declaration; saved as a
    draft, or saved and submitted."""
    kind = KIND_SLUGS.get(kind_slug)
    if kind is None:
        raise Http404
    parks = _official_parks_or_404(request.user)
    form_class = DECLARATION_FORMS[kind]
    form = form_class(request.POST or None, parks=parks)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = _save(request, form, kind=kind, parks=parks)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("integrity:declaration-detail", pk=declaration.pk)
    return render(
        request,
        "integrity/declaration_form.html",
        {"form": form, "kind": kind, "kind_label": DeclarationKind(kind).label, "rules": settings_for(parks[0])},
    )


@login_required
def declaration_edit(request, pk):
    """The declarant: change a draft or a declaration returned for correction, then save or submit."""
    declaration = get_object_or_404(declarations_for(request.user), pk=pk, declarant=request.user)
    if declaration.status not in EDITABLE_STATUSES:
        messages.error(request, _("This declaration can no longer be changed."))
        return redirect("integrity:declaration-detail", pk=pk)
    detail = KIND_MODELS[declaration.kind].objects.get(pk=pk)
    parks = [declaration.park]
    form = DECLARATION_FORMS[declaration.kind](request.POST or None, instance=detail, parks=parks)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, kind=declaration.kind, declaration=declaration, parks=parks)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("integrity:declaration-detail", pk=pk)
    return render(
        request,
        "integrity/declaration_form.html",
        {
            "form": form,
            "kind": declaration.kind,
            "kind_label": declaration.get_kind_display(),
            "declaration": declaration,
            "rules": settings_for(declaration.park),
        },
    )


def detail_rows(detail):
    """(label, value) of the kind-specific fields, as shown on the detail page and in the export."""
    rows = []
    for field in type(detail)._meta.get_fields(include_parents=False):
        if field.name in HIDDEN_DETAIL_FIELDS or field.auto_created or field.one_to_many:
            continue
        if field.many_to_many:
            value = "、".join(str(e) for e in getattr(detail, field.name).all())
        elif field.choices:
            value = getattr(detail, f"get_{field.name}_display")()
        else:
            value = getattr(detail, field.name)
        rows.append((field.verbose_name, value))
    return rows


@login_required
def declaration_detail(request, pk):
    """The declarant, the park's discipline officers and platform administrators (else 404): the
    declaration, its deadline and flags, its history from the audit trail, and the actions open to the
    viewer."""
    declaration = get_object_or_404(declarations_for(request.user), pk=pk)
    detail = declaration.detail
    is_declarant = declaration.declarant_id == request.user.pk
    reviewer = can_review(request.user, declaration)
    rules = settings_for(declaration.park)
    window_opens = None
    if declaration.kind == DeclarationKind.FAMILY_EVENT:
        window_opens = deadlines.family_event_window_opens(detail.event_kind, detail.event_date, rules)
    return render(
        request,
        "integrity/declaration_detail.html",
        {
            "declaration": declaration,
            "detail": detail,
            "rows": detail_rows(detail),
            "history": [
                (event, EVENT_LABELS.get(event.action, event.action))
                for event in events_for(("integrity.declaration", declaration.pk))
            ],
            "is_declarant": is_declarant,
            "can_edit": is_declarant and declaration.status in EDITABLE_STATUSES,
            "can_submit": is_declarant and declaration.status in EDITABLE_STATUSES,
            "can_report": is_declarant and declaration.status == DeclarationStatus.ACTION_REQUIRED,
            "can_review": reviewer and declaration.status in AWAITING_REVIEW_STATUSES,
            "can_return": reviewer and declaration.status == DeclarationStatus.SUBMITTED,
            "window_opens": window_opens,
            "accept_form": AcceptForm(),
            "return_form": ReasonForm(),
            "require_form": RequireActionForm(),
            "report_form": ReportActionForm(),
        },
    )


@login_required
@require_POST
def declaration_submit(request, pk):
    declaration = get_object_or_404(declarations_for(request.user), pk=pk)
    try:
        services.declaration_submit(declaration=declaration, actor=request.user)
    except DomainError as error:
        report_error(request, error)
    else:
        messages.success(request, _("Your declaration was submitted to the discipline office."))
    return redirect("integrity:declaration-detail", pk=pk)


@login_required
@require_POST
def declaration_report_action(request, pk):
    declaration = get_object_or_404(declarations_for(request.user), pk=pk)
    form = ReportActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Describe what you did."))
        return redirect("integrity:declaration-detail", pk=pk)
    try:
        services.declaration_report_action(
            declaration=declaration,
            actor=request.user,
            report=form.cleaned_data["report"],
            done_on=form.cleaned_data.get("done_on"),
        )
    except DomainError as error:
        report_error(request, error)
    else:
        messages.success(request, _("Your report was sent to the discipline office."))
    return redirect("integrity:declaration-detail", pk=pk)
