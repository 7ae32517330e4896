"""Disclosure (DESIGN §6): publishing a batch of answered demands, 第N批企业诉求解答清单及整改措施.

Only closed tickets whose filer consented to publication, never confidential ones, each at most once; the
published texts are copies with personal data removed (`complaints.redaction`), optionally edited by the
official in the preview, and redacted again after editing.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from complaints.choices import Status
from complaints.models import AnswerBatch, AnswerBatchItem, Ticket
from complaints.redaction import ticket_redactor
from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.notifications import notify
from core.roles import DISPATCHER, PARK_ADMIN, PLATFORM_ADMIN, user_roles
from core.scoping import can_see_park
from parks.models import Park

_DIGITS = "零一二三四五六七八九"
MAX_ITEMS = 200
TEXT_FIELDS = ("subject", "demand", "reply", "rectification_measures")


def chinese_number(n):
    """1 → 一, 10 → 十, 12 → 十二, 35 → 三十五, 100 → 一百 (up to 999, enough for batch numbers)."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, units = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return _DIGITS[hundreds] + "百"
    middle = "零" if rest < 10 else ""
    rest_text = _DIGITS[rest] if rest < 10 else ("一" + chinese_number(rest) if rest < 20 else chinese_number(rest))
    return _DIGITS[hundreds] + "百" + middle + rest_text


def answer_batch_default_title(number):
    """The title the source articles use: 第二批企业诉求解答清单及整改措施."""
    return f"第{chinese_number(number)}批企业诉求解答清单及整改措施"


def can_publish_answers(user, park):
    """Park administrators and dispatchers of the park, and platform administrators."""
    roles = user_roles(user)
    if PLATFORM_ADMIN in roles:
        return True
    return bool(roles & {PARK_ADMIN, DISPATCHER}) and can_see_park(user, park)


def _check(ticket, park):
    if ticket.park_id != park.pk:
        raise DomainError(_("Ticket %(number)s is not of this park.") % {"number": ticket.number}, field="tickets")
    if ticket.is_confidential:
        raise DomainError(
            _("Ticket %(number)s is confidential and is never published.") % {"number": ticket.number},
            field="tickets",
        )
    if ticket.status != Status.CLOSED or not ticket.reply:
        raise DomainError(
            _("Ticket %(number)s is not closed with an answer.") % {"number": ticket.number}, field="tickets"
        )
    if not ticket.consent_to_publish:
        raise DomainError(
            _("The filer of ticket %(number)s did not consent to publication.") % {"number": ticket.number},
            field="tickets",
        )


def answer_batch_publish(*, park, tickets, actor, title="", introduction="", texts=None, now=None):
    """Publish the next answer list of `park` (第N批…, N one more than the last) with `tickets`; returns the
    `AnswerBatch`.

    Who: park administrators and dispatchers of the park, platform administrators. `texts` may give, per
    ticket id, edited ``subject`` / ``demand`` / ``reply`` / ``rectification_measures``; every text is
    redacted (names, enterprises, phone numbers, e-mail, ID and credit codes) whether edited or not.
    Refuses: anyone else; no ticket or more than 200; a ticket of another park, confidential, not closed
    with an answer, without the filer's consent, or already published (Conflict). Records
    ``answer_batch.published`` on the batch and ``ticket.published`` on each ticket, and tells each
    signed-in filer.
    """
    now = now or timezone.now()
    if not can_publish_answers(actor, park):
        raise PermissionDenied(_("Only the park's administrators and dispatchers publish answer lists."))
    ids = sorted({getattr(t, "pk", t) for t in tickets})
    if not ids:
        raise DomainError(_("Please choose at least one answered demand."), field="tickets")
    if len(ids) > MAX_ITEMS:
        raise DomainError(_("A batch holds at most 200 demands."), field="tickets")
    texts = texts or {}
    with transaction.atomic():
        # The park row serialises numbering: two officials publishing at once get N and N + 1.
        Park.objects.select_for_update().get(pk=park.pk)
        locked = list(
            Ticket.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("category", "category__parent", "lead_department", "enterprise", "submitter", "assignee")
            .select_related("accused_official", "replied_by")
            .order_by("created_at", "id")
        )
        if len(locked) != len(ids):
            raise DomainError(_("Some of the chosen tickets do not exist."), field="tickets")
        for ticket in locked:
            _check(ticket, park)
        already = list(AnswerBatchItem.objects.filter(ticket_id__in=ids).values_list("ticket__number", flat=True))
        if already:
            raise Conflict(
                _("Already published: %(numbers)s.") % {"numbers": "、".join(sorted(already))},
                code="already_published",
            )
        number = (AnswerBatch.objects.filter(park=park).aggregate(n=Max("number"))["n"] or 0) + 1
        batch = AnswerBatch.objects.create(
            park=park,
            number=number,
            title=(title or "").strip()[:200] or answer_batch_default_title(number),
            introduction=(introduction or "").strip(),
            published_at=now,
            published_by=actor,
        )
        items = []
        for position, ticket in enumerate(locked, start=1):
            redact = ticket_redactor(ticket)
            edited = texts.get(ticket.pk, {})
            source = {
                "subject": ticket.subject,
                "demand": ticket.body,
                "reply": ticket.reply,
                "rectification_measures": ticket.rectification_measures,
            }
            values = {name: redact((edited.get(name) or "").strip() or source[name]).strip() for name in TEXT_FIELDS}
            items.append(
                AnswerBatchItem(
                    batch=batch,
                    ticket=ticket,
                    position=position,
                    category_name=str(ticket.category),
                    department_name=ticket.lead_department.name if ticket.lead_department_id else "",
                    subject=values["subject"][:200],
                    demand=values["demand"],
                    reply=values["reply"],
                    rectification_measures=values["rectification_measures"],
                    submitted_on=timezone.localdate(ticket.created_at),
                    replied_on=timezone.localdate(ticket.replied_at) if ticket.replied_at else None,
                )
            )
        AnswerBatchItem.objects.bulk_create(items)
        record_event(
            action="answer_batch.published",
            target=batch,
            actor=actor,
            park=park,
            data={
                "after": {
                    "number": number,
                    "title": batch.title,
                    "tickets": [t.number for t in locked],
                }
            },
            at=now,
        )
        for ticket in locked:
            record_event(
                action="ticket.published",
                target=ticket,
                actor=actor,
                park=park,
                data={"after": {"answer_batch": batch.pk, "batch_number": number}},
                at=now,
            )
        filers = {t.submitter for t in locked if t.submitter_id is not None}
        if filers:
            notify(
                recipients=list(filers),
                kind="ticket.published",
                title=_t("Your demand is in the published answer list: %(title)s") % {"title": batch.title},
                url=_batch_url(batch),
                park=park,
            )
    return batch


def _batch_url(batch):
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("complaints:batch-detail", kwargs={"pk": batch.pk})
    except NoReverseMatch:
        return ""
