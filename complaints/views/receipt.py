"""The anonymous reporter's receipt page (DESIGN §6, issue point 6).

The reporter types the 16-digit code and sees the status, the public trail, the officials' messages and a
reply box; once the ticket is answered they rate the answer or reject it. Every action sends the code
again (it is in a hidden field of the page the reporter already holds) and goes through the services
with ``receipt_code=`` — there is no session, so nothing on the server links the reporter to the ticket.

Failed codes are rate-limited per client (`complaints.ratelimit`); unknown and wrong codes get the same
answer. Nothing about the request (address, user agent, headers) is stored.
"""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from complaints import ratelimit
from complaints.choices import Status
from complaints.forms import ConfirmForm, ReasonForm, ReceiptForm, ReceiptMessageForm
from complaints.selectors import ticket_messages_for, ticket_trail
from complaints.services import (
    receipt_lookup,
    ticket_confirm,
    ticket_message_post,
    ticket_reject_answer,
)
from complaints.trail import trail_entries
from complaints.views.common import private
from core.attachments import attachments_for
from core.errors import DomainError

ACTIONS = ("message", "confirm", "reject_answer", "file")


def _blocked(request, form):
    form.add_error("code", _("Too many attempts. Try again in 10 minutes."))
    return private(render(request, "complaints/receipt.html", {"form": form}, status=429))


def _run_action(request, ticket, code):
    """Perform the reporter's action, if any; returns ``(forms, done_message)``, forms keyed by action, with
    errors where the input or the service refused."""
    action = request.POST.get("action", "")
    forms = {
        "message": ReceiptMessageForm(request.POST if action == "message" else None),
        "confirm": ConfirmForm(request.POST if action == "confirm" else None, ticket=ticket),
        "reject_answer": ReasonForm(request.POST if action == "reject_answer" else None, ticket=ticket),
    }
    form = forms.get(action)
    if form is None or not form.is_valid():
        return forms, ""
    data = form.cleaned_data
    try:
        if action == "message":
            ticket_message_post(ticket=ticket, body=data["body"], receipt_code=code)
            done = _("Your message was sent.")
        elif action == "confirm":
            ticket_confirm(
                ticket=ticket,
                satisfaction=data["satisfaction"],
                comment=data.get("comment", ""),
                consent_to_publish=data.get("consent_to_publish"),
                receipt_code=code,
            )
            done = _("Thank you: your rating is recorded and the report is closed.")
        else:
            ticket_reject_answer(ticket=ticket, reason=data["reason"], receipt_code=code)
            done = _("The report is reopened and goes back to the department.")
    except DomainError as error:
        form.add_service_error(error)
        return forms, ""
    forms[action] = type(form)(ticket=ticket) if action != "message" else ReceiptMessageForm()
    return forms, done


@require_http_methods(["GET", "POST"])
def receipt(request):
    """Anyone holding a receipt code: follow an anonymous report and answer the officials."""
    form = ReceiptForm(request.POST or None)
    if request.method != "POST":
        return private(render(request, "complaints/receipt.html", {"form": form}))
    if ratelimit.is_blocked(request):
        return _blocked(request, form)
    if not form.is_valid():
        return private(render(request, "complaints/receipt.html", {"form": form}))
    code = form.cleaned_data["code"]
    try:
        ticket = receipt_lookup(code=code)
    except DomainError as error:
        ratelimit.record_failure(request)
        form.add_error("code", str(error.message))
        return private(render(request, "complaints/receipt.html", {"form": form}))

    if request.POST.get("action") == "file":
        return _file(ticket, request.POST.get("token", ""))
    forms, done = _run_action(request, ticket, code)
    ticket.refresh_from_db()
    context = {
        "form": form,
        "ticket": ticket,
        "code": code,
        "trail": trail_entries(ticket, ticket_trail(ticket), identity_visible=False, public=True),
        "messages_list": ticket_messages_for(None, ticket, reporter=True),
        "attachments": attachments_for(ticket),
        "forms": forms,
        "done": done,
        "can_rate": ticket.status == Status.REPLIED,
        "can_write": ticket.status != Status.MERGED,
    }
    return private(render(request, "complaints/receipt_status.html", context))


def _file(ticket, token):
    """A file of the report, for the holder of its receipt (the download view asks for a signed-in user)."""
    attachment = attachments_for(ticket).filter(token=token).first()
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return private(response)
