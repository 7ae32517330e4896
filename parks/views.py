"""Pages of parks/: the public park profile, enterprise self-registration, and the enterprise lists and
review for officials. Reads go through `parks.selectors`, changes through `parks.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import events_for
from core.errors import DomainError
from core.roles import STAFF_ROLES, has_role
from parks.choices import STATISTIC_FIELDS, EnterpriseStatus
from parks.filters import EnterpriseFilterSet
from parks.forms import EnterpriseRegistrationForm, EnterpriseRejectForm
from parks.models import Park, ParkStatistic
from parks.selectors import (
    can_review_enterprises,
    enterprise_list_for,
    enterprises_pending_for,
    park_public_profile,
    park_statistics_with_growth,
    public_departments,
)
from parks.services import enterprise_register, enterprise_reject, enterprise_verify

ENTERPRISES_PER_PAGE = 25


def statistic_labels():
    """Translated names of the figures, in `STATISTIC_FIELDS` order (table headers and chart legend)."""
    return [str(ParkStatistic._meta.get_field(name).verbose_name) for name in STATISTIC_FIELDS]


def chart_data(rows):
    """What static/js/park_profile.js draws: one series per figure, one category per period."""
    labels = statistic_labels()
    series = []
    for index, name in enumerate(STATISTIC_FIELDS):
        values = [getattr(row.statistic, name) for row in rows]
        if all(v is None for v in values):
            continue
        series.append({"name": labels[index], "data": [float(v) if v is not None else None for v in values]})
    return {
        "periods": [str(row.label) for row in rows],
        "series": series,
        "unit": _("100 million yuan"),
    }


def park_profile(request, code):
    """Anyone: a park's description, departments, verified-enterprise count, key figures and statistics."""
    try:
        park = park_public_profile(code)
    except Park.DoesNotExist as exc:
        raise Http404(_("No such park.")) from exc
    rows = park_statistics_with_growth(park.statistics.all())
    sources = sorted({row.statistic.source for row in rows if row.statistic.source})
    return render(
        request,
        "parks/park_profile.html",
        {
            "park": park,
            "departments": public_departments(park),
            "figures": list(park.figures.all()),
            "rows": rows,
            "statistic_labels": statistic_labels(),
            "chart": chart_data(rows),
            "sources": sources,
        },
    )


def register(request):
    """Anyone: register an enterprise with an account for its first user; the park verifies it later."""
    form = EnterpriseRegistrationForm(request.POST or None, initial={"park": request.GET.get("park")})
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = enterprise_register(**form.service_kwargs())
        except DomainError as error:
            form.add_service_error(error)
        else:
            request.session["parks_registered"] = {"name": enterprise.name, "park": enterprise.park.name}
            return redirect("parks:register-done")
    return render(request, "parks/register.html", {"form": form})


def register_done(request):
    """Anyone: the confirmation after a registration, saying that the park will verify it."""
    registered = request.session.pop("parks_registered", None)
    if registered is None:
        return redirect("parks:register")
    return render(request, "parks/register_done.html", {"registered": registered})


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def _bootstrap_filter_form(form):
    for field in form.fields.values():
        css = "form-select" if getattr(field.widget, "input_type", "") == "select" else "form-control"
        field.widget.attrs["class"] = css
    return form


@login_required
def enterprise_list(request):
    """Officials and auditors: the enterprises of their parks; enterprise users: their own. Filterable; the
    table alone is returned to htmx requests."""
    filterset = EnterpriseFilterSet(request.GET or None, queryset=enterprise_list_for(request.user), request=request)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(queryset, ENTERPRISES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    _bootstrap_filter_form(filterset.form)
    context = {
        "filterset": filterset,
        "page": page,
        "query": query.urlencode(),
        "is_staff_view": has_role(request.user, *STAFF_ROLES),
        "can_review": can_review_enterprises(request.user),
    }
    template = "parks/partials/enterprise_table.html" if _is_htmx(request) else "parks/enterprise_list.html"
    return render(request, template, context)


@login_required
def enterprise_detail(request, pk):
    """Anyone who may see the enterprise (else 404): its details, members and history; review buttons for
    its park's administrators while it is pending."""
    enterprise = get_object_or_404(enterprise_list_for(request.user), pk=pk)
    is_staff_view = has_role(request.user, *STAFF_ROLES)
    return render(
        request,
        "parks/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "is_staff_view": is_staff_view,
            "members": enterprise.memberships.select_related("user").order_by("created_at"),
            "events": events_for(enterprise) if is_staff_view else (),
            "can_review": enterprise.status == EnterpriseStatus.PENDING
            and can_review_enterprises(request.user, enterprise.park),
            "reject_form": EnterpriseRejectForm(),
        },
    )


@login_required
def enterprise_pending(request):
    """Park administrators: the registrations of their parks waiting for review, oldest first."""
    if not can_review_enterprises(request.user):
        raise Http404
    page = Paginator(enterprises_pending_for(request.user), ENTERPRISES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "parks/enterprise_pending.html", {"page": page, "reject_form": EnterpriseRejectForm()})


def _back(request, enterprise):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("parks:enterprise-detail", pk=enterprise.pk)


@login_required
@require_POST
def enterprise_verify_view(request, pk):
    enterprise = get_object_or_404(enterprise_list_for(request.user), pk=pk)
    try:
        enterprise_verify(enterprise=enterprise, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(name)s is verified.") % {"name": enterprise.name})
    return _back(request, enterprise)


@login_required
@require_POST
def enterprise_reject_view(request, pk):
    enterprise = get_object_or_404(enterprise_list_for(request.user), pk=pk)
    form = EnterpriseRejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for the rejection."))
        return _back(request, enterprise)
    try:
        enterprise_reject(enterprise=enterprise, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The registration of %(name)s is rejected.") % {"name": enterprise.name})
    return _back(request, enterprise)
