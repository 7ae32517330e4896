"""Pages of suppliers: the public directory of approved suppliers, registration and "my supplier status" for
enterprise users, and the procurement officers' review queue and supplier page with their decisions.

Reads go through `procurement.selectors.suppliers` (a supplier outside the user's scope is a 404), changes
through `procurement.services.suppliers` (POST only).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.attachments import attachments_for
from core.audit import events_for
from core.errors import DomainError
from parks.models import Enterprise
from procurement.filters import SupplierDirectoryFilterSet, SupplierFilterSet
from procurement.forms_tenders import QualificationForm, ReasonForm, RequiredReasonForm, SupplierRegisterForm
from procurement.selectors import suppliers as selectors
from procurement.selectors.access import can_run_procurement, procurement_park_ids, supplier_enterprise_ids
from procurement.services import suppliers as services

PER_PAGE = 25
DECISIONS = {
    "approve": services.supplier_approve,
    "reject": services.supplier_reject,
    "suspend": services.supplier_suspend,
    "blacklist": services.supplier_blacklist,
    "reinstate": services.supplier_reinstate,
}


def page_of(request, queryset):
    """The requested page and the query string without the page number (for the pager)."""
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def filtered(filterset):
    if filterset.is_bound and filterset.is_valid():
        return filterset.qs
    return filterset.queryset


def style_filters(form):
    from django import forms

    for field in form.fields.values():
        select = isinstance(field.widget, forms.Select | forms.SelectMultiple)
        field.widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"
    return form


def get_or_404(getter, *args):
    try:
        return getter(*args)
    except DomainError as error:
        if error.kind == "not_found":
            raise Http404(str(error.message)) from None
        raise


def supplier_directory(request):
    """The public directory of approved suppliers, filterable by park and text."""
    filterset = SupplierDirectoryFilterSet(request.GET or None, queryset=selectors.supplier_directory())
    page, query = page_of(request, filtered(filterset))
    style_filters(filterset.form)
    return render(
        request, "procurement/suppliers/directory.html", {"filterset": filterset, "page": page, "query": query}
    )


def _my_enterprises(user):
    return Enterprise.objects.filter(pk__in=supplier_enterprise_ids(user)).select_related("park").order_by("name")


@login_required
def my_suppliers(request):
    """The supplier registrations of the user's enterprises, their qualifications and reminders to renew."""
    if not supplier_enterprise_ids(request.user):
        raise Http404
    suppliers = list(selectors.suppliers_of_user(request.user))
    rows = [
        {
            "supplier": s,
            "can_bid": selectors.supplier_can_bid(s),
            "qualifications": [(q, list(attachments_for(q))) for q in s.qualifications.all()],
        }
        for s in suppliers
    ]
    return render(
        request,
        "procurement/suppliers/mine.html",
        {"rows": rows, "qualification_form": QualificationForm(), "can_register": True},
    )


@login_required
def supplier_register(request):
    """Register one of the user's verified enterprises as a supplier of a park, with a first qualification."""
    enterprises = _my_enterprises(request.user)
    if not enterprises.exists():
        raise Http404
    form = SupplierRegisterForm(request.POST or None, request.FILES or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = data["enterprise"]
        try:
            services.supplier_register(
                enterprise=enterprise,
                park=data.get("park") or enterprise.park,
                actor=request.user,
                business_scope=data["business_scope"],
                categories=data.get("categories", ""),
                qualifications=[form.service_values()],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Your application was sent to the park's procurement officers."))
            return redirect("procurement:my-suppliers")
    return render(request, "procurement/suppliers/register.html", {"form": form})


@login_required
@require_POST
def qualification_add(request, pk):
    """Add a qualification to one of the user's supplier registrations."""
    supplier = get_or_404(selectors.supplier_get_for, request.user, pk)
    form = QualificationForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("procurement:my-suppliers")
    try:
        services.qualification_add(supplier=supplier, actor=request.user, **form.service_values())
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The qualification was added."))
    return redirect("procurement:my-suppliers")


def _reader_or_404(user):
    if not procurement_park_ids(user):
        raise Http404


@login_required
def supplier_review(request):
    """The officers' queue: applications pending approval first, then every supplier of their parks."""
    _reader_or_404(request.user)
    queryset = selectors.supplier_list_for(request.user)
    filterset = SupplierFilterSet(request.GET or None, queryset=queryset.order_by("park__name", "enterprise__name"))
    page, query = page_of(request, filtered(filterset))
    style_filters(filterset.form)
    return render(
        request,
        "procurement/suppliers/review.html",
        {
            "pending": selectors.supplier_review_queue(request.user),
            "filterset": filterset,
            "page": page,
            "query": query,
        },
    )


@login_required
def supplier_detail(request, pk):
    """One supplier: its qualifications with their documents, its trail and (for the park's procurement
    officers) the decisions the status allows."""
    supplier = get_or_404(selectors.supplier_get_for, request.user, pk)
    can_decide = can_run_procurement(request.user, supplier.park_id)
    qualifications = [(q, list(attachments_for(q))) for q in supplier.qualifications.all()]
    context = {
        "supplier": supplier,
        "qualifications": qualifications,
        "can_bid": selectors.supplier_can_bid(supplier),
        "can_decide": can_decide,
        "decisions": _allowed_decisions(supplier) if can_decide else [],
        "reason_form": ReasonForm(),
        "required_reason_form": RequiredReasonForm(),
        "events": events_for(supplier) if procurement_park_ids(request.user) else [],
    }
    return render(request, "procurement/suppliers/detail.html", context)


def _allowed_decisions(supplier):
    from procurement.choices import SupplierStatus

    by_status = {
        SupplierStatus.PENDING: ["approve", "reject"],
        SupplierStatus.APPROVED: ["suspend", "blacklist"],
        SupplierStatus.SUSPENDED: ["reinstate", "blacklist"],
    }
    labels = {
        "approve": _("Approve"),
        "reject": _("Reject"),
        "suspend": _("Suspend"),
        "blacklist": _("Blacklist"),
        "reinstate": _("Reinstate"),
    }
    return [
        {"verb": verb, "label": labels[verb], "reason_required": verb != "approve"}
        for verb in by_status.get(supplier.status, [])
    ]


@login_required
@require_POST
def supplier_decide(request, pk, verb):
    """Approve, reject, suspend, blacklist or reinstate (POST, with the reason)."""
    service = DECISIONS.get(verb)
    if service is None:
        raise Http404
    supplier = get_or_404(selectors.supplier_get_for, request.user, pk)
    try:
        service(supplier=supplier, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The decision was recorded and the supplier told."))
    return redirect("procurement:supplier-detail", pk=supplier.pk)
