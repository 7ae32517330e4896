"""Intake (统一受理) on every channel: `ticket_submit` and ticket numbering.

One service for the public web form (signed-in enterprise users, or anyone anonymously), the app and QR
codes (码上监督), the dispatcher's registration form (12345 line, phone, walk-in, mailbox, email), liaison
visits and the API / Open311. The ticket is stored and committed whatever happens to the broker: routing is
queued after commit, a failure to queue is only logged, and `sweep_unrouted_tickets` catches up
(DESIGN §4.6).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from complaints.choices import PUBLIC_CHANNELS, REGISTRATION_CHANNELS, Channel, Priority, Status
from complaints.models import Ticket, TicketCounter
from complaints.services import sla
from complaints.services.common import (
    audit,
    notify_intake,
    notify_submitter,
    now_or,
    queue_after_commit,
    require_text,
)
from complaints.services.receipts import receipt_issue
from core.errors import DomainError, PermissionDenied
from core.roles import DISPATCHER, OFFICIAL_ROLES, PLATFORM_ADMIN, has_role, user_roles
from core.scoping import can_see_park, enterprise_ids_for

SUBJECT_MAX = 200
BODY_MAX = 10_000


@dataclass(frozen=True)
class Submission:
    """What `ticket_submit` returns: the ticket, and for an anonymous report the receipt code — shown to the
    reporter once and stored nowhere."""

    ticket: Ticket
    receipt_code: str | None = None


def next_ticket_number(park, moment):
    """``YZW-2026-000123``: park code, year, a counter per park and year. Locks only that counter row, so
    two parks never wait for each other and no number is issued twice."""
    year = timezone.localtime(moment).year
    with transaction.atomic():
        TicketCounter.objects.get_or_create(park=park, year=year)
        counter = TicketCounter.objects.select_for_update().get(park=park, year=year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    return f"{park.code.upper()}-{year}-{counter.last_number:06d}"


def _is_staff_of(user, park):
    from parks.models import StaffProfile

    return StaffProfile.objects.filter(user=user, parks=park).exists()


def _resolve_filer(*, actor, park, channel, enterprise, is_anonymous):
    """Who files: returns ``(mode, submitter, enterprise)``, mode one of anonymous / enterprise / registration
    / official; refuses a channel or an enterprise the actor may not use."""
    signed_in = getattr(actor, "is_authenticated", False)
    if not signed_in or is_anonymous:
        if channel not in PUBLIC_CHANNELS:
            raise DomainError(
                _("Anonymous reports come in through the web form, the app or a QR code."), field="channel"
            )
        return "anonymous", None, None
    roles = user_roles(actor)
    if channel in REGISTRATION_CHANNELS:
        official_here = can_see_park(actor, park) and bool(roles & {PLATFORM_ADMIN, *OFFICIAL_ROLES})
        if channel == Channel.VISIT and official_here:
            pass
        elif not (DISPATCHER in roles and can_see_park(actor, park)):
            raise PermissionDenied(
                _("Only the park's dispatchers register demands received by phone, hotline or in person.")
            )
        if enterprise is not None and enterprise.park_id != park.pk:
            raise DomainError(_("The enterprise is not in this park."), field="enterprise")
        return "registration", None, enterprise
    if channel not in PUBLIC_CHANNELS:
        raise DomainError(_("Unknown channel."), field="channel")
    my_enterprises = enterprise_ids_for(actor)
    if my_enterprises:
        if enterprise is None:
            from parks.models import Enterprise

            mine_here = list(Enterprise.objects.filter(pk__in=my_enterprises, park=park).values_list("pk", flat=True))
            if len(mine_here) == 1:
                enterprise = Enterprise.objects.get(pk=mine_here[0])
        if enterprise is not None and (enterprise.pk not in my_enterprises or enterprise.park_id != park.pk):
            raise PermissionDenied(_("You can file only for your own enterprise in this park."))
        return "enterprise", actor, enterprise
    if enterprise is not None:
        raise PermissionDenied(_("You can file only for your own enterprise in this park."))
    return "official", actor, None


def ticket_submit(
    *,
    park,
    category,
    subject,
    body,
    actor=None,
    channel=Channel.WEB,
    enterprise=None,
    contact_name="",
    contact_phone="",
    is_anonymous=False,
    hide_identity=False,
    priority=Priority.NORMAL,
    accused_official=None,
    place="",
    consent_to_publish=False,
    files=(),
    now=None,
):
    """File a demand, complaint or report on any channel; returns a `Submission`.

    Who: anyone anonymously (``actor=None`` or ``is_anonymous=True``) on the public channels (web, app, QR,
    Open311) — nothing identifying is stored, not even the signed-in user, and a receipt code is returned;
    an enterprise user for their own verified enterprise in `park`; any other signed-in user as themselves;
    a dispatcher of the park registering a demand received on the 12345 line, by phone, in person, by mail
    or email (the ticket is accepted at once: the dispatcher is the intake desk); any official of the park
    for a liaison visit (channel ``visit``).

    Refuses (DomainError / PermissionDenied): an empty subject or description, a category of another park
    or inactive, a non-public category on the public form, a channel the actor may not use, an enterprise
    that is not the actor's, urgency set by a non-official. Images among `files` lose their metadata.

    A misconduct or confidential category makes the ticket confidential (discipline office only).
    Records ``ticket.submitted`` (actor kind anonymous for anonymous reports) and, for a registration,
    ``ticket.accepted``; queues routing after commit (`complaints.tasks.route_ticket`).
    """
    now = now_or(now)
    subject = require_text(subject, field="subject", message=_("Please give a subject."))
    body = require_text(body, field="body", message=_("Please describe the matter."))
    if len(subject) > SUBJECT_MAX:
        raise DomainError(_("The subject is too long (200 characters at most)."), field="subject")
    if len(body) > BODY_MAX:
        raise DomainError(_("The description is too long (10,000 characters at most)."), field="body")
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."), field="channel")
    if category is None or category.park_id != park.pk or not category.is_active:
        raise DomainError(_("Please choose a category of this park."), field="category")
    mode, submitter, enterprise = _resolve_filer(
        actor=actor, park=park, channel=channel, enterprise=enterprise, is_anonymous=is_anonymous
    )
    official = mode in ("registration", "official") and has_role(actor, PLATFORM_ADMIN, *OFFICIAL_ROLES)
    if not official and not category.show_on_public_form:
        raise DomainError(_("Please choose a category of this park."), field="category")
    if priority not in Priority.values:
        raise DomainError(_("Unknown priority."), field="priority")
    if priority == Priority.URGENT and not official:
        raise PermissionDenied(_("Only officials mark a ticket urgent."))
    if accused_official is not None and not _is_staff_of(accused_official, park):
        raise DomainError(_("The accused official must be a member of this park's staff."), field="accused_official")
    anonymous = mode == "anonymous"
    if anonymous:
        contact_name = contact_phone = ""
        hide_identity = False

    with transaction.atomic():
        ticket = Ticket(
            park=park,
            number=next_ticket_number(park, now),
            channel=channel,
            category=category,
            subject=subject,
            body=body,
            place=(place or "").strip()[:200],
            submitter=submitter,
            registered_by=actor if mode == "registration" else None,
            is_anonymous=anonymous,
            enterprise=enterprise,
            contact_name=(contact_name or "").strip()[:50],
            contact_phone=(contact_phone or "").strip()[:40],
            hide_identity=bool(hide_identity),
            accused_official=accused_official,
            priority=priority,
            status=Status.SUBMITTED,
            is_confidential=category.confidential,
            consent_to_publish=bool(consent_to_publish),
            created_at=now,
            accept_due=sla.accept_due_for(category, now),
        )
        # The dispatcher *is* the intake desk: what they register needs no second acceptance.
        auto_accept = mode == "registration" and has_role(actor, DISPATCHER) and not ticket.is_confidential
        if auto_accept:
            ticket.status = Status.ACCEPTED
            ticket.accepted_at = now
            ticket.reply_started_at = now
            ticket.reply_due = sla.reply_due_for(category, priority, now)
        sla.refresh_next_reminder(ticket, sent=set())
        ticket.save()
        receipt_code = receipt_issue(ticket=ticket, now=now) if anonymous else None
        audit(
            ticket,
            "submitted",
            actor=None if anonymous else actor,
            anonymous=anonymous,
            after={
                "number": ticket.number,
                "status": Status.SUBMITTED.value,
                "channel": channel,
                "category": category.pk,
                "confidential": ticket.is_confidential,
                "anonymous": anonymous,
            },
            at=now,
        )
        if auto_accept:
            audit(
                ticket,
                "accepted",
                actor=actor,
                before={"status": Status.SUBMITTED.value},
                after={"status": Status.ACCEPTED.value, "reply_due": ticket.reply_due.isoformat()},
                registered=True,
                at=now,
            )
        if files:
            from core.attachments import attachment_create

            for upload in files:
                attachment_create(file=upload, actor=None if anonymous else actor, park=park, target=ticket)
        notify_intake(
            ticket,
            kind="ticket.submitted",
            title=_t("New ticket %(number)s: %(subject)s") % {"number": ticket.number, "subject": ticket.subject},
        )
        notify_submitter(
            ticket,
            kind="ticket.received",
            title=_t("We received your demand %(number)s") % {"number": ticket.number},
            body=subject,
        )
        from complaints.tasks import route_ticket

        queue_after_commit(route_ticket, ticket.pk)
    return Submission(ticket=ticket, receipt_code=receipt_code)
