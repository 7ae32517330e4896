"""The discipline office's side of the declarations: the review queue (filters shared with the API), the
review actions (POST) and the Excel export. Only discipline officers of a park (and platform
administrators, who see but do not review) reach these pages; everyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from integrity.exports import declarations_workbook
from integrity.filters import DeclarationFilterSet
from integrity.forms import AcceptForm, ReasonForm, RequireActionForm
from integrity.selectors.access import discipline_park_ids
from integrity.selectors.declarations import review_queue_for
from integrity.services import declarations as services
from integrity.views.common import filtered, is_htmx, paginate, report_error, style_filter_form

EXPORT_LIMIT = 10000


def _reviewer_or_404(user):
    if not discipline_park_ids(user):
        raise Http404


def _queue_filterset(request):
    data = request.GET.copy()
    if not data:
        # The queue opens on what waits for a decision.
        data["awaiting_review"] = "true"
    return DeclarationFilterSet(data, queryset=review_queue_for(request.user), request=request)


@login_required
def review_queue(request):
    """Discipline officers: the declarations of their parks, awaiting review first; filterable by park,
    kind, status, lateness, flags, period and declarant. htmx requests get the table alone."""
    _reviewer_or_404(request.user)
    filterset = _queue_filterset(request)
    page, query = paginate(request, filtered(filterset))
    style_filter_form(filterset.form)
    context = {"filterset": filterset, "page": page, "query": query, "export_query": request.GET.urlencode()}
    template = "integrity/partials/review_table.html" if is_htmx(request) else "integrity/review_queue.html"
    return render(request, template, context)


@login_required
def review_export(request):
    """Discipline officers: the filtered queue as an Excel workbook (everything matching, not one page)."""
    _reviewer_or_404(request.user)
    filterset = DeclarationFilterSet(request.GET or None, queryset=review_queue_for(request.user), request=request)
    rows = filtered(filterset)[:EXPORT_LIMIT]
    content = declarations_workbook(rows)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="declarations-{stamp}.xlsx"'
    return response


def _decide(request, pk, form_class, act, done_message):
    declaration = get_object_or_404(review_queue_for(request.user), pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please fill in the form: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("integrity:declaration-detail", pk=pk)
    try:
        act(declaration, form.cleaned_data)
    except DomainError as error:
        report_error(request, error)
        return redirect("integrity:declaration-detail", pk=pk)
    messages.success(request, done_message)
    return redirect("integrity:review-queue")


@login_required
@require_POST
def declaration_accept(request, pk):
    return _decide(
        request,
        pk,
        AcceptForm,
        lambda d, data: services.declaration_accept(declaration=d, actor=request.user, note=data["note"]),
        _("The declaration was accepted."),
    )


@login_required
@require_POST
def declaration_return(request, pk):
    return _decide(
        request,
        pk,
        ReasonForm,
        lambda d, data: services.declaration_return(declaration=d, actor=request.user, reason=data["reason"]),
        _("The declaration was returned to the declarant for correction."),
    )


@login_required
@require_POST
def declaration_require_action(request, pk):
    return _decide(
        request,
        pk,
        RequireActionForm,
        lambda d, data: services.declaration_require_action(
            declaration=d, actor=request.user, action=data["action"], reason=data["reason"]
        ),
        _("The declarant was asked to act."),
    )
