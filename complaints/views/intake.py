"""Intake pages (统一受理): the public form, the intake desk's registration form, the acknowledgement (回执)
as a page and a PDF, and the QR posters (码上监督)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from complaints.acknowledgement import acknowledgement_for
from complaints.choices import PUBLIC_CHANNELS, Channel
from complaints.forms import PublicTicketForm, RegistrationForm
from complaints.pdf import acknowledgement_pdf
from complaints.qrcodes import poster_pdf, poster_png, poster_url
from complaints.selectors import ticket_identity_visible_to
from complaints.services import format_receipt_code, ticket_submit
from complaints.views.common import get_ticket_or_404, private
from core.errors import DomainError
from core.roles import DISCIPLINE, DISPATCHER, PARK_ADMIN, PLATFORM_ADMIN, has_role, is_official
from core.scoping import can_see_park, enterprise_ids_for, park_ids_for
from parks.models import Department, Enterprise, Park
from parks.selectors import public_parks

FORM_CHANNELS = frozenset(c.value for c in PUBLIC_CHANNELS if c != Channel.OPEN311)
POSTER_ROLES = (PLATFORM_ADMIN, PARK_ADMIN, DISPATCHER, DISCIPLINE)


def _my_enterprises(user):
    ids = enterprise_ids_for(user)
    if not ids:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(pk__in=ids).select_related("park").order_by("name")


def _chosen_park(request, candidates, *, preferred=None):
    """The park named by ``?park=<code>`` (or the POSTed one) among `candidates`; without a code, the only
    park of `preferred` (default: `candidates`); else None (the page asks)."""
    code = (request.POST.get("park") or request.GET.get("park") or "").strip()
    if code:
        return candidates.filter(code__iexact=code).first()
    only = list((preferred if preferred is not None else candidates)[:2])
    return only[0] if len(only) == 1 else None


def _park_choice(request, parks, target, passthrough):
    choices = [(park, f"{reverse(target)}?{urlencode({'park': park.code, **passthrough})}") for park in parks]
    return render(request, "complaints/park_choice.html", {"choices": choices})


def _passthrough(request):
    """Query parameters the park chooser keeps (channel and place from a QR code)."""
    return {key: request.GET[key] for key in ("channel", "place") if request.GET.get(key)}


def ticket_new(request):
    """Anyone: file a demand or complaint. Signed-in enterprise users file for their enterprise (保密
    optional); anybody else, and anyone who ticks "anonymously", files an anonymous report and is shown its
    receipt code once. ``?channel=qr&place=…&park=…`` comes from a QR poster."""
    enterprises = _my_enterprises(request.user)
    candidates = public_parks()
    # An enterprise user is asked about their enterprises' parks first; a QR code of any park still works.
    preferred = candidates.filter(pk__in={e.park_id for e in enterprises}) if enterprises else None
    park = _chosen_park(request, candidates, preferred=preferred)
    if park is None:
        return _park_choice(request, preferred or candidates, "complaints:new", _passthrough(request))
    my_enterprises = enterprises.filter(park=park)
    channel = request.GET.get("channel", Channel.WEB.value)
    initial = {
        "channel": channel if channel in FORM_CHANNELS else Channel.WEB.value,
        "place": request.GET.get("place", "")[:200],
    }
    if my_enterprises:
        first = my_enterprises[0]
        initial.update(enterprise=first.pk, contact_name=first.contact_name, contact_phone=first.contact_phone)
    form = PublicTicketForm(
        request.POST or None,
        request.FILES or None,
        park=park,
        user=request.user,
        enterprises=my_enterprises,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        actor = request.user if request.user.is_authenticated else None
        try:
            submission = ticket_submit(actor=actor, **form.service_kwargs())
        except DomainError as error:
            form.add_service_error(error)
        else:
            if submission.receipt_code:
                # Shown once, in this response only: the code is in no session, log or redirect.
                context = {
                    "ticket": submission.ticket,
                    "ack": acknowledgement_for(submission.ticket, identity_visible=False),
                    "receipt_code": format_receipt_code(submission.receipt_code),
                }
                return private(render(request, "complaints/anonymous_done.html", context))
            return redirect("complaints:acknowledgement", pk=submission.ticket.pk)
    return render(
        request,
        "complaints/ticket_new.html",
        {"form": form, "park": park, "is_qr": initial["channel"] == Channel.QR.value},
    )


@login_required
def ticket_register(request):
    """The intake desk (dispatchers; any official for a liaison visit): register a demand received by phone,
    on the 12345 line, in person, by mail or e-mail."""
    if not is_official(request.user):
        raise Http404
    ids = park_ids_for(request.user)
    candidates = Park.objects.filter(is_active=True).order_by("name")
    if ids is not None and not has_role(request.user, PLATFORM_ADMIN):
        candidates = candidates.filter(pk__in=ids)
    park = _chosen_park(request, candidates)
    if park is None:
        return _park_choice(request, candidates, "complaints:register", {})
    form = RegistrationForm(request.POST or None, request.FILES or None, park=park)
    if request.method == "POST" and form.is_valid():
        try:
            submission = ticket_submit(actor=request.user, **form.service_kwargs())
        except DomainError as error:
            form.add_service_error(error)
        else:
            return redirect("complaints:acknowledgement", pk=submission.ticket.pk)
    return render(request, "complaints/ticket_register.html", {"form": form, "park": park})


@login_required
def acknowledgement(request, pk):
    """Whoever may see the ticket: its 回执 — number, time received and content digest — with a PDF link."""
    ticket = get_ticket_or_404(request.user, pk)
    ack = acknowledgement_for(ticket, identity_visible=ticket_identity_visible_to(request.user, ticket))
    return render(request, "complaints/acknowledgement.html", {"ticket": ticket, "ack": ack})


@login_required
def acknowledgement_download(request, pk):
    """The 回执 as a PDF."""
    ticket = get_ticket_or_404(request.user, pk)
    ack = acknowledgement_for(ticket, identity_visible=ticket_identity_visible_to(request.user, ticket))
    response = HttpResponse(acknowledgement_pdf(ack), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{ticket.number}.pdf"'
    return private(response)


# --- QR posters -----------------------------------------------------------------------------------------


def _poster_park(request, code):
    if not has_role(request.user, *POSTER_ROLES):
        raise Http404
    park = get_object_or_404(Park, code=code, is_active=True)
    if not can_see_park(request.user, park):
        raise Http404
    return park


def _poster_department(park, department_id):
    if department_id is None:
        return None
    return get_object_or_404(Department, pk=department_id, park=park, is_active=True)


@login_required
def qr_posters(request):
    """Park administrators, dispatchers and discipline officers: the QR posters of their parks, one per park
    and one per department, to download as PNG or PDF."""
    if not has_role(request.user, *POSTER_ROLES):
        raise Http404
    ids = park_ids_for(request.user)
    parks = Park.objects.filter(is_active=True).prefetch_related("departments").order_by("name")
    if not has_role(request.user, PLATFORM_ADMIN):
        parks = parks.filter(pk__in=ids)
    rows = []
    for park in parks:
        departments = [d for d in park.departments.all() if d.is_active]
        rows.append(
            {
                "park": park,
                "url": poster_url(park),
                "departments": [{"department": d, "url": poster_url(park, d)} for d in departments],
            }
        )
    return render(request, "complaints/qr_posters.html", {"rows": rows})


@login_required
def qr_poster_png(request, code, department=None):
    park = _poster_park(request, code)
    dept = _poster_department(park, department)
    response = HttpResponse(poster_png(park, dept), content_type="image/png")
    name = f"qr-{park.code}" + (f"-{dept.pk}" if dept else "")
    response["Content-Disposition"] = f'inline; filename="{name}.png"'
    return response


@login_required
def qr_poster_pdf(request, code, department=None):
    park = _poster_park(request, code)
    dept = _poster_department(park, department)
    response = HttpResponse(poster_pdf(park, dept), content_type="application/pdf")
    name = f"qr-poster-{park.code}" + (f"-{dept.pk}" if dept else "")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response
