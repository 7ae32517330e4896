"""Pages of red flags: the park's list with its filters (the API's FilterSet), one flag with its evidence, its
trail and the discipline officer's confirm / dismiss forms, and the section of the tender page.

Reads go through `procurement.selectors.flags` (a flag outside the user's parks is a 404; enterprise users and
experts see no flag at all), changes through `procurement.services.flags` (POST only). Restricted evidence
(declared interests) is redacted for everyone but discipline officers and platform administrators.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.audit import events_for
from core.errors import DomainError
from core.scoping import ALL
from procurement.choices import FlagStatus
from procurement.filters_flags import RedFlagFilterSet
from procurement.forms_flags import FlagConfirmForm, FlagDismissForm
from procurement.selectors import flags as selectors
from procurement.selectors.access import procurement_park_ids
from procurement.services import flags as services

PER_PAGE = 25

EVIDENCE_LABELS = {
    "bids": gettext_lazy("Bids received"),
    "bidder": gettext_lazy("Bidder"),
    "method": gettext_lazy("Method"),
    "published_at": gettext_lazy("Published at"),
    "bid_deadline": gettext_lazy("Bid deadline"),
    "days": gettext_lazy("Days"),
    "minimum_days": gettext_lazy("Minimum days"),
    "working_days": gettext_lazy("Counted in working days"),
    "threshold": gettext_lazy("Threshold"),
    "pairs": gettext_lazy("Pairs"),
    "shared": gettext_lazy("Shared"),
    "enterprise": gettext_lazy("Enterprise"),
    "credit_code": gettext_lazy("Unified social credit code"),
    "official": gettext_lazy("Official who declared the interest"),
    "evaluator": gettext_lazy("Evaluator"),
    "links": gettext_lazy("Links"),
    "declared_interest": gettext_lazy("Declared an interest in the bidder"),
    "amount": gettext_lazy("Awarded amount"),
    "budget": gettext_lazy("Budget"),
    "share": gettext_lazy("Share"),
    "awarded_bid": gettext_lazy("Awarded bid"),
    "awarded_price": gettext_lazy("Awarded price"),
    "lowest_bid": gettext_lazy("Lowest valid bid"),
    "lowest_price": gettext_lazy("Lowest valid price"),
    "reason": gettext_lazy("Reason given"),
    "since": gettext_lazy("From"),
    "until": gettext_lazy("Until"),
    "park_total": gettext_lazy("Park's awarded value"),
    "supplier_total": gettext_lazy("Supplier's awarded value"),
    "awards": gettext_lazy("Awards"),
    "window_days": gettext_lazy("Window (days)"),
    "total": gettext_lazy("Total"),
    "original_value": gettext_lazy("Original value"),
    "total_change": gettext_lazy("Total change"),
    "amendments": gettext_lazy("Supplementary contracts"),
}
LINK_LABELS = {
    "employer": gettext_lazy("works for the bidder (employer's credit code)"),
    "membership": gettext_lazy("acts for the bidder's enterprise in the portal"),
    "contact_phone": gettext_lazy("phone"),
    "contact_email": gettext_lazy("e-mail"),
    "address": gettext_lazy("address"),
    "legal_representative": gettext_lazy("legal representative"),
}


def _item_text(item):
    """One element of a list in the evidence, as a line of text."""
    if not isinstance(item, dict):
        return str(LINK_LABELS.get(item, item))
    if "bids" in item and "shared" in item:
        return f"{' / '.join(item['bids'])}: {', '.join(str(LINK_LABELS.get(s, s)) for s in item['shared'])}"
    if "bids" in item and "prices" in item:
        same = _(" (identical)") if item.get("identical") else ""
        return f"{item['bids'][0]} {item['prices'][0]} · {item['bids'][1]} {item['prices'][1]}{same}"
    if "sha256" in item:
        docs = "; ".join(f"{d['bid']}: {d['name']}" for d in item["documents"])
        return f"{item['sha256'][:16]}… — {docs}"
    if "tender" in item and "amount" in item:
        return f"{item['tender']} · {item['amount']} · {item['decided_at']}"
    if "value_change" in item:
        return f"{item['signed_on']} · {item['value_change']} · {item['reason']}"
    return ", ".join(f"{key}: {value}" for key, value in item.items())


def evidence_rows(evidence):
    """The evidence as labelled rows for the page: ``{"key", "label", "value" (text) or "items" (lines)}``."""
    rows = []
    for key, value in evidence.items():
        if key in ("redacted", "restricted"):
            continue
        row = {"key": key, "label": EVIDENCE_LABELS.get(key, key)}
        if isinstance(value, list):
            row["items"] = [_item_text(item) for item in value]
        elif isinstance(value, bool):
            row["value"] = _("yes") if value else _("no")
        else:
            row["value"] = str(value)
        rows.append(row)
    return rows


def _reader_or_404(user):
    parks = procurement_park_ids(user)
    if parks is not ALL and not parks:
        raise Http404


def _get_or_404(user, pk):
    try:
        return selectors.flag_get_for(user, pk)
    except DomainError as error:
        raise Http404(str(error.message)) from None


def _filtered(filterset):
    if filterset.is_bound and filterset.is_valid():
        return filterset.qs
    return filterset.queryset


def _style_filters(form):
    from django import forms

    for field in form.fields.values():
        widget = field.widget
        select = isinstance(widget, forms.Select | forms.SelectMultiple)
        widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"
    return form


@login_required
def flag_list(request):
    """The red flags of the user's parks, filterable (park, status, kind, blocking, tender, dates, text);
    htmx requests get the table alone."""
    _reader_or_404(request.user)
    filterset = RedFlagFilterSet(request.GET or None, queryset=selectors.flag_list_for(request.user), request=request)
    page = Paginator(_filtered(filterset), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    _style_filters(filterset.form)
    context = {"filterset": filterset, "page": page, "query": query.urlencode()}
    is_htmx = request.headers.get("HX-Request") == "true"
    template = "procurement/flags/partials/flag_table.html" if is_htmx else "procurement/flags/list.html"
    return render(request, template, context)


def _needs_department(flag):
    return services.flag_risk_department(flag) is None


@login_required
def flag_detail(request, pk, confirm_form=None, dismiss_form=None):
    """One flag: summary, evidence (redacted where restricted), decision, linked risk, trail, and the forms."""
    user = request.user
    flag = _get_or_404(user, pk)
    can_decide = flag.status == FlagStatus.OPEN and selectors.can_decide_flag(user, flag)
    evidence = selectors.evidence_for(user, flag)
    context = {
        "flag": flag,
        "evidence": evidence_rows(evidence),
        "redacted": bool(evidence.get("redacted")),
        "trail": list(events_for(flag)),
        "can_decide": can_decide,
    }
    if can_decide:
        needs_department = _needs_department(flag)
        context["confirm_form"] = confirm_form or FlagConfirmForm(park=flag.park, needs_department=needs_department)
        context["dismiss_form"] = dismiss_form or FlagDismissForm()
    return render(request, "procurement/flags/detail.html", context)


def _add_error(form, error):
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


@login_required
@require_POST
def flag_confirm(request, pk):
    flag = _get_or_404(request.user, pk)
    form = FlagConfirmForm(request.POST, park=flag.park, needs_department=_needs_department(flag))
    if form.is_valid():
        try:
            services.flag_confirm(
                flag=flag,
                actor=request.user,
                note=form.cleaned_data["note"],
                department=form.cleaned_data.get("department"),
            )
        except DomainError as error:
            if error.kind in ("forbidden", "conflict"):
                messages.error(request, str(error.message))
                return redirect("procurement:flag-detail", pk=flag.pk)
            _add_error(form, error)
        else:
            messages.success(request, _("The red flag was confirmed and the integrity-risk register updated."))
            return redirect("procurement:flag-detail", pk=flag.pk)
    return flag_detail(request, pk, confirm_form=form)


@login_required
@require_POST
def flag_dismiss(request, pk):
    flag = _get_or_404(request.user, pk)
    form = FlagDismissForm(request.POST)
    if form.is_valid():
        try:
            services.flag_dismiss(flag=flag, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            if error.kind in ("forbidden", "conflict"):
                messages.error(request, str(error.message))
                return redirect("procurement:flag-detail", pk=flag.pk)
            _add_error(form, error)
        else:
            messages.success(request, _("The red flag was dismissed."))
            return redirect("procurement:flag-detail", pk=flag.pk)
    return flag_detail(request, pk, dismiss_form=form)
