"""Officials' and enterprises' pages of the 吐槽区: the ticket lists and queues (with `TicketFilterSet`),
the ticket page with the actions the user may take, the printable handling sheet (处理单) and the Excel
export of any list.

Lists start from a `complaints.selectors` queryset, so every page, export and count holds exactly what the
user may see; a ticket outside it is a 404. Actions are POST forms calling one service each; a
`DomainError` comes back on the form, and nothing has changed.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from complaints import forms as f
from complaints.choices import OPEN_STATUSES, RequestStatus, ReturnStatus, Status, SuggestionStatus
from complaints.exports import XLSX_CONTENT_TYPE, tickets_workbook
from complaints.filters import TicketFilterSet
from complaints.models import DuplicateSuggestion, ExtensionRequest, ReturnRequest
from complaints.pdf import ticket_sheet_pdf
from complaints.selectors import (
    OFFICIAL_WRITER_ROLES,
    duplicate_suggestions_for,
    is_intake_officer,
    pending_extensions_for,
    pending_returns_for,
    ticket_actions_for,
    ticket_department_queue,
    ticket_dispatcher_queue,
    ticket_get_for,
    ticket_identity_visible_to,
    ticket_is_awaiting_followup,
    ticket_list_for,
    ticket_messages_for,
    ticket_mine_for,
    ticket_overdue_for,
    ticket_scope_for,
    ticket_trail,
    tickets_awaiting_followup,
)
from complaints.services import (
    duplicate_suggestion_dismiss,
    ticket_accept,
    ticket_confirm,
    ticket_dispatch,
    ticket_extension_decide,
    ticket_extension_request,
    ticket_followup_record,
    ticket_merge,
    ticket_message_post,
    ticket_reject,
    ticket_reject_answer,
    ticket_reply,
    ticket_return,
    ticket_return_decide,
    ticket_sign,
    ticket_supervise,
)
from complaints.trail import trail_entries
from complaints.views.common import get_ticket_or_404, is_htmx, paginate, private, query_without_page
from core.attachments import attachments_for
from core.errors import DomainError
from core.roles import (
    DISCIPLINE,
    DISPATCHER,
    ENTERPRISE,
    HANDLER,
    PARK_ADMIN,
    PLATFORM_ADMIN,
    STAFF_ROLES,
    has_role,
    user_roles,
)
from core.scoping import enterprise_ids_for

# --- lists and queues ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListKind:
    title: str
    roles: tuple  # empty: every signed-in user
    description: str = ""


def _supervision(user):
    """The discipline office's list: open tickets under supervision and open confidential reports."""
    return (
        ticket_list_for(user)
        .filter(Q(supervision_level__gt=0) | Q(is_confidential=True), status__in=OPEN_STATUSES)
        .order_by("-supervision_level", "reply_due", "id")
    )


LISTS = {
    "all": (
        ListKind(gettext_lazy("All tickets"), ()),
        ticket_list_for,
    ),
    "dispatch": (
        ListKind(
            gettext_lazy("Intake queue"),
            (PLATFORM_ADMIN, PARK_ADMIN, DISPATCHER, DISCIPLINE),
            gettext_lazy("Submitted tickets to accept, accepted ones to dispatch, returns and extension requests."),
        ),
        ticket_dispatcher_queue,
    ),
    "department": (
        ListKind(
            gettext_lazy("My department's tickets"),
            (HANDLER, DISCIPLINE),
            gettext_lazy("Tickets your department leads or co-handles (联合处置)."),
        ),
        ticket_department_queue,
    ),
    "supervision": (
        ListKind(
            gettext_lazy("Supervision"),
            (PLATFORM_ADMIN, PARK_ADMIN, DISCIPLINE),
            gettext_lazy("Open tickets under supervision (督办) and open confidential reports."),
        ),
        _supervision,
    ),
    "overdue": (
        ListKind(gettext_lazy("Overdue"), STAFF_ROLES, gettext_lazy("Open tickets past a deadline.")),
        ticket_overdue_for,
    ),
    "followup": (
        ListKind(
            gettext_lazy("Follow-up calls"),
            (PLATFORM_ADMIN, DISPATCHER, DISCIPLINE),
            gettext_lazy("Answered tickets the filer has not rated in time: call them (回访)."),
        ),
        tickets_awaiting_followup,
    ),
    "mine": (
        ListKind(gettext_lazy("My demands"), (), gettext_lazy("What you and your enterprise have filed.")),
        ticket_mine_for,
    ),
}


def list_queryset(request, kind):
    """The unfiltered queryset of list `kind` for the user (403 when their roles do not use that list)."""
    if kind not in LISTS:
        raise Http404
    meta, selector = LISTS[kind]
    if meta.roles and not has_role(request.user, *meta.roles):
        raise PermissionDenied
    return meta, selector(request.user)


def filtered(request, queryset):
    filterset = TicketFilterSet(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and filterset.is_valid():
        return filterset, filterset.qs
    return filterset, queryset


def _style_filters(form):
    for name, field in form.fields.items():
        widget = field.widget
        if name in ("status", "channel"):
            widget.attrs["class"] = "form-select form-select-sm"
            widget.attrs["size"] = 3
        elif getattr(widget, "input_type", "") == "select" or widget.__class__.__name__.endswith("Select"):
            widget.attrs["class"] = "form-select form-select-sm"
        else:
            widget.attrs["class"] = "form-control form-control-sm"
        if name in ("created_after", "created_before"):
            widget.input_type = "date"
    return form


def list_tabs(user):
    tabs = []
    for key, (meta, _selector) in LISTS.items():
        if key == "mine" and ENTERPRISE not in user_roles(user):
            continue
        if key == "all" and not has_role(user, *STAFF_ROLES):
            continue
        if not meta.roles or has_role(user, *meta.roles):
            tabs.append((key, meta.title))
    return tabs


def rows_for(user, tickets, *, now):
    """Each ticket with what the list may show of its filer."""
    return [
        {
            "ticket": ticket,
            "identity_visible": ticket_identity_visible_to(user, ticket),
            "overdue": ticket.is_overdue(now),
        }
        for ticket in tickets
    ]


def _duplicates_by_ticket(user, tickets):
    """Open duplicate suggestions of the tickets on a page, in one query, keyed by ticket id (only
    candidates the user may see)."""
    ids = [t.pk for t in tickets]
    found = {}
    if not ids:
        return found
    suggestions = (
        DuplicateSuggestion.objects.filter(
            ticket_id__in=ids, status=SuggestionStatus.OPEN, candidate__in=ticket_scope_for(user)
        )
        .select_related("candidate")
        .order_by("-score", "id")
    )
    for suggestion in suggestions:
        found.setdefault(suggestion.ticket_id, []).append(suggestion)
    return found


@login_required
def ticket_list(request, kind="all"):
    """A list of tickets (all, or a queue), filtered and searchable; htmx requests get the table only."""
    meta, queryset = list_queryset(request, kind)
    filterset, queryset = filtered(request, queryset)
    page = paginate(request, queryset)
    now = timezone.now()
    rows = rows_for(request.user, page.object_list, now=now)
    context = {
        "kind": kind,
        "meta": meta,
        "filterset": filterset,
        "filter_form": _style_filters(filterset.form),
        "page": page,
        "rows": rows,
        "query": query_without_page(request),
        "tabs": list_tabs(request.user),
        "can_register": has_role(request.user, DISPATCHER, PLATFORM_ADMIN),
    }
    if kind == "dispatch":
        duplicates = _duplicates_by_ticket(request.user, page.object_list)
        for row in rows:
            row["duplicates"] = duplicates.get(row["ticket"].pk, [])
        context["returns"] = pending_returns_for(request.user)
        context["extensions"] = pending_extensions_for(request.user)
    if is_htmx(request) and request.headers.get("HX-Target") == "ticket-table":
        return render(request, "complaints/partials/ticket_table.html", context)
    return render(request, "complaints/ticket_list.html", context)


@login_required
def ticket_export(request, kind="all"):
    """The list `kind`, filtered as on the page, as an Excel file."""
    _meta, queryset = list_queryset(request, kind)
    _filterset, queryset = filtered(request, queryset)
    response = HttpResponse(tickets_workbook(request.user, queryset), content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="tickets-{kind}-{stamp}.xlsx"'
    return private(response)


# --- the ticket page ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    form: type
    label: str
    button: str = "btn-primary"
    done: str = ""


ACTIONS = {
    "accept": Action(f.AcceptForm, gettext_lazy("Accept (受理)"), done=gettext_lazy("The ticket is accepted.")),
    "reject": Action(
        f.ReasonForm, gettext_lazy("Do not accept (不予受理)"), "btn-outline-danger", gettext_lazy("Not accepted.")
    ),
    "merge": Action(
        f.MergeForm, gettext_lazy("Merge as a duplicate"), "btn-outline-secondary", gettext_lazy("Merged.")
    ),
    "dispatch": Action(f.DispatchForm, gettext_lazy("Dispatch (派单)"), done=gettext_lazy("Dispatched.")),
    "return_redispatch": Action(
        f.ReturnDecideForm, gettext_lazy("Decide the return"), done=gettext_lazy("The return is decided.")
    ),
    "return": Action(
        f.ReturnForm,
        gettext_lazy("Return to the intake desk (退单)"),
        "btn-outline-danger",
        gettext_lazy("Returned to the intake desk."),
    ),
    "sign": Action(f.EmptyForm, gettext_lazy("Sign for it and start (签收)"), done=gettext_lazy("Signed for.")),
    "extension_request": Action(
        f.ExtensionRequestForm,
        gettext_lazy("Request an extension (延期)"),
        "btn-outline-secondary",
        gettext_lazy("Extension requested."),
    ),
    "extension_decide": Action(
        f.ExtensionDecideForm, gettext_lazy("Decide the extension"), done=gettext_lazy("The extension is decided.")
    ),
    "reply": Action(f.ReplyForm, gettext_lazy("Answer (答复)"), done=gettext_lazy("The answer is sent.")),
    "confirm": Action(
        f.ConfirmForm, gettext_lazy("Rate the answer"), done=gettext_lazy("Thank you: the ticket is closed.")
    ),
    "followup": Action(
        f.FollowupForm, gettext_lazy("Record a follow-up call (回访)"), done=gettext_lazy("Follow-up recorded.")
    ),
    "reject_answer": Action(
        f.ReasonForm,
        gettext_lazy("Not satisfied: reopen (重办)"),
        "btn-outline-danger",
        gettext_lazy("The ticket is reopened."),
    ),
    "supervise": Action(
        f.SuperviseForm,
        gettext_lazy("Supervise (督办)"),
        "btn-outline-danger",
        gettext_lazy("The ticket is under supervision."),
    ),
    "message": Action(f.MessageForm, gettext_lazy("Send"), done=gettext_lazy("Message sent.")),
}


def _pending_return(ticket):
    return (
        ReturnRequest.objects.filter(ticket=ticket, status=ReturnStatus.PENDING)
        .select_related("department", "requested_by", "suggested_department")
        .first()
    )


def _pending_extension(ticket):
    return (
        ExtensionRequest.objects.filter(ticket=ticket, status=RequestStatus.PENDING)
        .select_related("requested_by")
        .first()
    )


def _run(action, user, ticket, data, pending):
    """Call the service behind `action`; raises `DomainError` when it refuses."""
    if action == "accept":
        ticket_accept(
            ticket=ticket, actor=user, priority=data.get("priority") or None, apply_suggestion=data["apply_suggestion"]
        )
    elif action == "reject":
        ticket_reject(ticket=ticket, actor=user, reason=data["reason"])
    elif action == "merge":
        into = ticket_get_for(user, number=data["into"].strip().upper(), park=ticket.park)
        ticket_merge(ticket=ticket, into=into, actor=user, reason=data.get("reason", ""))
    elif action == "dispatch":
        ticket_dispatch(
            ticket=ticket, actor=user, department=data["department"], co_departments=list(data["co_departments"])
        )
    elif action == "return_redispatch":
        if pending["return"] is None:
            raise DomainError(_("There is no return waiting for a decision."))
        ticket_return_decide(
            return_request=pending["return"],
            actor=user,
            redispatch_to=data.get("department"),
            reason=data.get("reason", ""),
        )
    elif action == "return":
        ticket_return(
            ticket=ticket, actor=user, reason=data["reason"], suggested_department=data.get("suggested_department")
        )
    elif action == "sign":
        ticket_sign(ticket=ticket, actor=user)
    elif action == "extension_request":
        ticket_extension_request(ticket=ticket, actor=user, reason=data["reason"], requested_due=data["requested_due"])
    elif action == "extension_decide":
        if pending["extension"] is None:
            raise DomainError(_("There is no extension request waiting for a decision."))
        ticket_extension_decide(
            extension=pending["extension"], actor=user, approve=data["approve"], reason=data.get("reason", "")
        )
    elif action == "reply":
        ticket_reply(
            ticket=ticket,
            actor=user,
            reply=data["reply"],
            rectification_measures=data.get("rectification_measures", ""),
            finding=data.get("finding", ""),
        )
    elif action == "confirm":
        ticket_confirm(
            ticket=ticket,
            actor=user,
            satisfaction=data["satisfaction"],
            comment=data.get("comment", ""),
            consent_to_publish=data.get("consent_to_publish"),
        )
    elif action == "followup":
        ticket_followup_record(
            ticket=ticket,
            actor=user,
            channel=data["channel"],
            reachable=data.get("reachable", False),
            satisfaction=data.get("satisfaction"),
            comment=data.get("comment", ""),
        )
    elif action == "reject_answer":
        ticket_reject_answer(ticket=ticket, actor=user, reason=data["reason"])
    elif action == "supervise":
        ticket_supervise(ticket=ticket, actor=user, note=data["note"])
    elif action == "message":
        ticket_message_post(ticket=ticket, actor=user, body=data["body"], internal=data.get("internal", False))


def _can_succeed(action, ticket, pending, *, reporter):
    """False for an action the table allows but that would be refused now (nothing pending to decide, a
    filer who may still rate the answer themselves …)."""
    if action == "return_redispatch":
        return pending["return"] is not None
    if action == "dispatch":
        return pending["return"] is None
    if action == "extension_decide":
        return pending["extension"] is not None
    if action == "extension_request":
        return pending["extension"] is None
    if action == "confirm":
        return reporter
    if action == "followup" and (ticket.submitter_id or ticket.is_anonymous):
        return ticket_is_awaiting_followup(ticket)
    return True


def visible_actions(user, ticket, pending):
    """The actions to offer: what `ticket_actions_for` allows, narrowed to what can succeed now. Refusing
    and re-dispatching a return are one form (an empty department refuses)."""
    reporter = ticket.submitter_id is not None and ticket.submitter_id == user.pk
    shown = []
    for action in ticket_actions_for(user, ticket):
        action = "return_redispatch" if action == "return_refuse" else action
        if action in ACTIONS and action not in shown and _can_succeed(action, ticket, pending, reporter=reporter):
            shown.append(action)
    return shown


def filer_text(ticket, identity_visible, *, masked):
    """Who filed the ticket, as the viewer may see it."""
    if ticket.is_anonymous:
        return _("Anonymous reporter")
    if not identity_visible:
        return _("Protected (保密)")
    parts = []
    if ticket.enterprise_id:
        parts.append(ticket.enterprise.name)
    name = ticket.contact_name_masked if masked else ticket.contact_name
    if name:
        parts.append(name)
    elif ticket.submitter_id:
        parts.append(ticket.submitter.get_full_name())
    if ticket.registered_by_id and not ticket.submitter_id and not parts:
        parts.append(_("Registered by the intake desk"))
    return " · ".join(parts) or "—"


def contact_text(ticket, identity_visible, *, masked):
    if ticket.is_anonymous or not identity_visible:
        return "—"
    phone = ticket.contact_phone_masked if masked else ticket.contact_phone
    return phone or "—"


def detail_context(request, ticket, *, bound=None):
    user = request.user
    pending = {"return": _pending_return(ticket), "extension": _pending_extension(ticket)}
    identity_visible = ticket_identity_visible_to(user, ticket)
    staff = has_role(user, *STAFF_ROLES)
    actions = visible_actions(user, ticket, pending)
    action_forms = []
    for action in actions:
        spec = ACTIONS[action]
        form = bound[1] if bound and bound[0] == action else spec.form(ticket=ticket)
        action_forms.append({"action": action, "spec": spec, "form": form})
    filer_side = ticket.submitter_id == user.pk or (
        ticket.enterprise_id is not None and ticket.enterprise_id in enterprise_ids_for(user)
    )
    official_writer = bool(user_roles(user) & OFFICIAL_WRITER_ROLES)
    message_form = bound[1] if bound and bound[0] == "message" else f.MessageForm(ticket=ticket)
    if not official_writer:
        message_form.fields.pop("internal", None)
    return {
        "ticket": ticket,
        "identity_visible": identity_visible,
        "filer": filer_text(ticket, identity_visible, masked=not staff and not filer_side),
        "contact": contact_text(ticket, identity_visible, masked=False),
        "is_staff": staff,
        "action_forms": action_forms,
        "pending_return": pending["return"],
        "pending_extension": pending["extension"],
        "duplicates": duplicate_suggestions_for(user, ticket) if "merge" in actions else (),
        "is_intake": is_intake_officer(user, ticket),
        "messages_list": [
            {
                "message": m,
                "author": _message_author(m, ticket, identity_visible),
            }
            for m in ticket_messages_for(user, ticket)
        ],
        "message_form": message_form if (official_writer or filer_side) and ticket.status != Status.MERGED else None,
        "attachments": attachments_for(ticket),
        "trail": trail_entries(ticket, ticket_trail(ticket), identity_visible=identity_visible),
        "follow_ups": ticket.follow_ups.select_related("by").all() if staff else (),
        "now": timezone.now(),
        "overdue": ticket.is_overdue(timezone.now()),
        "can_raise_risk": _can_raise_risk(user, ticket),
    }


def _can_raise_risk(user, ticket):
    """Discipline officers and park administrators may raise an integrity risk from a ticket (DESIGN §7)."""
    from integrity.selectors.risks import can_manage_risks

    return can_manage_risks(user, ticket.park)


def _message_author(message, ticket, identity_visible):
    if message.author_id is None:
        return _("Anonymous reporter") if message.author_kind == "reporter" else _("System")
    if not identity_visible and message.author_id == ticket.submitter_id:
        return _("The filer (identity protected)")
    return message.author.get_full_name()


@login_required
def ticket_detail(request, pk):
    """Whoever may see the ticket: its facts, the actions they may take, messages, files and the trail."""
    ticket = get_ticket_or_404(request.user, pk)
    return render(request, "complaints/ticket_detail.html", detail_context(request, ticket))


def _next_url(request, ticket):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("complaints:ticket-detail", kwargs={"pk": ticket.pk})


@login_required
@require_POST
def ticket_action(request, pk, action):
    """POST one action on a ticket: the form validates the input, the service decides. On success back to
    the ticket (or ``next``); on an error the ticket page again with the error on the form, nothing changed."""
    if action not in ACTIONS:
        raise Http404
    ticket = get_ticket_or_404(request.user, pk)
    spec = ACTIONS[action]
    form = spec.form(request.POST, ticket=ticket)
    if form.is_valid():
        pending = {"return": _pending_return(ticket), "extension": _pending_extension(ticket)}
        try:
            _run(action, request.user, ticket, form.cleaned_data, pending)
        except DomainError as error:
            form.add_service_error(error)
            messages.error(request, str(error.message))
        else:
            messages.success(request, str(spec.done))
            # A ticket merged away or dispatched elsewhere may be out of the user's sight now.
            try:
                ticket_get_for(request.user, pk=ticket.pk)
            except DomainError:
                return redirect("complaints:ticket-list")
            return redirect(_next_url(request, ticket))
    else:
        messages.error(request, _("Nothing was changed: please check the form."))
    ticket = get_ticket_or_404(request.user, pk)
    context = detail_context(request, ticket, bound=(action, form))
    context["open_action"] = action
    return render(request, "complaints/ticket_detail.html", context, status=400)


@login_required
@require_POST
def duplicate_dismiss(request, pk, suggestion):
    """The intake desk: a suggested duplicate is not one."""
    ticket = get_ticket_or_404(request.user, pk)
    found = DuplicateSuggestion.objects.filter(pk=suggestion, ticket=ticket).first()
    if found is None:
        raise Http404
    try:
        duplicate_suggestion_dismiss(suggestion=found, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The suggestion is dismissed."))
    return redirect(_next_url(request, ticket))


# --- the handling sheet (处理单) ------------------------------------------------------------------------


def sheet_context(request, ticket):
    identity_visible = ticket_identity_visible_to(request.user, ticket)
    return {
        "ticket": ticket,
        "filer": filer_text(ticket, identity_visible, masked=True),
        "contact": contact_text(ticket, identity_visible, masked=True),
        "trail": trail_entries(ticket, ticket_trail(ticket), identity_visible=identity_visible),
        "follow_ups": list(ticket.follow_ups.all()),
        "printed_at": timezone.now(),
    }


@login_required
def ticket_print(request, pk):
    """Officials and auditors who may see the ticket: the 处理单 as a print-ready page."""
    if not has_role(request.user, *STAFF_ROLES):
        raise PermissionDenied
    ticket = get_ticket_or_404(request.user, pk)
    return private(render(request, "complaints/ticket_print.html", sheet_context(request, ticket)))


@login_required
def ticket_print_pdf(request, pk):
    """The 处理单 as a PDF."""
    if not has_role(request.user, *STAFF_ROLES):
        raise PermissionDenied
    ticket = get_ticket_or_404(request.user, pk)
    response = HttpResponse(ticket_sheet_pdf(sheet_context(request, ticket)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ticket-{ticket.number}.pdf"'
    return private(response)
