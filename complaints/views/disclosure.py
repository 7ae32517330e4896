"""Published answer lists (第N批企业诉求解答清单及整改措施): public pages and their Excel files, and the
officials' page that selects answered demands, previews them with personal data removed and publishes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from complaints.exports import XLSX_CONTENT_TYPE, batch_workbook
from complaints.forms import PublishForm
from complaints.models import AnswerBatch
from complaints.redaction import ticket_redactor
from complaints.selectors_disclosure import answer_batch_public, answer_batches_public, publishable_tickets_for
from complaints.services.disclosure import TEXT_FIELDS, answer_batch_publish, can_publish_answers
from core.errors import DomainError
from core.roles import DISPATCHER, PARK_ADMIN, PLATFORM_ADMIN, has_role
from core.scoping import park_ids_for
from parks.models import Park
from parks.selectors import public_parks


def batch_list(request):
    """Anyone: the published answer lists, newest first, optionally of one park (``?park=<code>``)."""
    park = None
    if request.GET.get("park"):
        park = public_parks().filter(code=request.GET["park"]).first()
    batches = answer_batches_public(park)
    publish_parks = []
    if request.user.is_authenticated and has_role(request.user, PLATFORM_ADMIN, PARK_ADMIN, DISPATCHER):
        publish_parks = [p for p in _parks_of(request.user) if can_publish_answers(request.user, p)]
    return render(
        request,
        "complaints/batch_list.html",
        {"batches": batches, "park": park, "parks": public_parks(), "publish_parks": publish_parks},
    )


def _batch(pk):
    try:
        return answer_batch_public(pk)
    except AnswerBatch.DoesNotExist as exc:
        raise Http404 from exc


def batch_detail(request, pk):
    """Anyone: one answer list — subjects, demands, answers and measures, departments and dates; no names."""
    return render(request, "complaints/batch_detail.html", {"batch": _batch(pk)})


def batch_export(request, pk):
    """Anyone: one answer list as an Excel file."""
    batch = _batch(pk)
    response = HttpResponse(batch_workbook(batch), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="answer-list-{batch.park.code}-{batch.number}.xlsx"'
    return response


def _parks_of(user):
    ids = park_ids_for(user)
    parks = Park.objects.filter(is_active=True).order_by("name")
    return parks if has_role(user, PLATFORM_ADMIN) else parks.filter(pk__in=ids)


def _texts_from(post, tickets):
    """The edited texts of the preview, keyed by ticket id."""
    texts = {}
    for ticket in tickets:
        values = {name: post.get(f"{name}-{ticket.pk}", "") for name in TEXT_FIELDS}
        if any(values.values()):
            texts[ticket.pk] = values
    return texts


@login_required
def batch_publish(request, code):
    """Park administrators and dispatchers: choose closed, consented demands of a park; the preview shows
    them with personal data removed and lets the texts be edited; publishing makes the list public."""
    park = get_object_or_404(Park, code=code, is_active=True)
    if not can_publish_answers(request.user, park):
        raise PermissionDenied
    queryset = publishable_tickets_for(request.user, park)
    form = PublishForm(request.POST or None, queryset=queryset)
    preview = None
    if request.method == "POST" and form.is_valid():
        tickets = list(form.cleaned_data["tickets"].select_related("replied_by"))
        if request.POST.get("step") == "publish":
            try:
                batch = answer_batch_publish(
                    park=park,
                    tickets=tickets,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    introduction=form.cleaned_data["introduction"],
                    texts=_texts_from(request.POST, tickets),
                )
            except DomainError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("%(title)s is published.") % {"title": batch.title})
                return redirect("complaints:batch-detail", pk=batch.pk)
        preview = []
        for ticket in tickets:
            redact = ticket_redactor(ticket)
            preview.append(
                {
                    "ticket": ticket,
                    "subject": redact(ticket.subject),
                    "demand": redact(ticket.body),
                    "reply": redact(ticket.reply),
                    "rectification_measures": redact(ticket.rectification_measures),
                }
            )
    return render(
        request,
        "complaints/batch_publish.html",
        {"park": park, "form": form, "preview": preview, "available": queryset.exists()},
    )
