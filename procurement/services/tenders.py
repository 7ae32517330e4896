"""Tenders (采购项目): drafting, single-source justification, publication under the method's rules, change
notices and clarifications, closing at the deadline, failure (废标), cancellation and re-tendering. Also the
changes to the configurable rules (`MethodRule`, `FlagSettings`) made in the admin.

Choices where the issue is silent:
- Only a draft can be edited; once published, the tender changes through public notices (`TenderChange`).
- The bid deadline can be moved later only, never earlier. A change notice (or an answered clarification,
  which is published as a notice) less than the method's `change_notice_days` before the deadline moves the
  deadline to that many days after the notice, and the clarification deadline by the same amount if it has
  not passed yet.
- The clarification deadline defaults to the latest the rule allows (`min_clarification_days` before the bid
  deadline); it must be after the publication.
- A single-source tender names its proposed (approved) supplier with the justification; it can be published
  once the justification has been public for `justification_working_days` (until the end of that working
  day).
- An invited tender needs at least 3 invited approved suppliers of the park; they are told at publication.
- A failed or cancelled tender can be re-tendered once (while the re-tender is not itself cancelled); the new
  draft copies the fields and may then be edited (another method may be chosen).
- Tender numbers: ``CG-<park code>-<year>-<sequence>``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.notifications import notify
from core.roles import is_platform_admin
from core.workcalendar import add_working_days
from parks.models import Department, Park
from procurement.choices import TENDER_TRANSITIONS, Method, SupplierStatus, TenderChangeKind, TenderStatus
from procurement.choices import check_transition as _check
from procurement.models import ClarificationQuestion, FlagSettings, MethodRule, Supplier, Tender, TenderChange
from procurement.rules import method_rule
from procurement.selectors.access import (
    can_run_procurement,
    park_discipline_officers,
    procurement_officers,
    supplier_enterprise_ids,
)
from procurement.selectors.tenders import (
    change_deadline_floor,
    earliest_bid_deadline,
    latest_clarification_deadline,
    tender_accepts_questions,
    tenders_due_to_close,
)

MIN_INVITED = 3
MAX_TEXT = 20000
EDITABLE_FIELDS = (
    "title",
    "method",
    "category",
    "buyer_department",
    "needs",
    "qualification_requirements",
    "budget",
    "price_weight",
    "justification",
    "proposed_supplier",
    "invited_suppliers",
    "decision",
)
CHANGE_KINDS = (TenderChangeKind.CLARIFICATION, TenderChangeKind.AMENDMENT, TenderChangeKind.DEADLINE)


def check_transition(current, target):
    _check(TENDER_TRANSITIONS, current, target, _("The tender"))


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def _snapshot(tender):
    return {
        "status": tender.status,
        "published_at": tender.published_at,
        "bid_deadline": tender.bid_deadline,
        "clarification_deadline": tender.clarification_deadline,
    }


def _fields_snapshot(tender):
    data = {name: getattr(tender, name) for name in EDITABLE_FIELDS if name not in {"invited_suppliers"}}
    data["buyer_department"] = tender.buyer_department_id
    data["proposed_supplier"] = tender.proposed_supplier_id
    data["decision"] = tender.decision_id
    data["invited_suppliers"] = sorted(tender.invited_suppliers.values_list("pk", flat=True)) if tender.pk else []
    return data


def _locked(tender):
    return Tender.objects.select_for_update(of=("self",)).select_related("park").get(pk=tender.pk)


def _require_runner(actor, park):
    if not can_run_procurement(actor, park):
        raise PermissionDenied(_("Only the park's procurement officers and administrators manage its tenders."))


def _tender_url(tender):
    return reverse("procurement:tender-detail", args=[tender.pk])


def _users_of_suppliers(suppliers):
    from django.contrib.auth import get_user_model

    from parks.models import EnterpriseMembership

    enterprise_ids = [s.enterprise_id for s in suppliers]
    user_ids = EnterpriseMembership.objects.filter(enterprise_id__in=enterprise_ids).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True)


def _bidders(tender):
    """Users of the suppliers with a live bid on `tender` (told about changes and the outcome)."""
    from procurement.models import Bid

    suppliers = Supplier.objects.filter(pk__in=Bid.objects.filter(tender=tender).values("supplier_id"))
    return _users_of_suppliers(suppliers)


# --- drafting ---------------------------------------------------------------------------------------------------


def _clean_fields(park, values, *, creating):
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field: %(names)s") % {"names": ", ".join(sorted(unknown))}, code="unknown_field")
    cleaned = dict(values)
    for name in ("title", "needs", "qualification_requirements", "justification"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
            if len(cleaned[name]) > MAX_TEXT:
                raise DomainError(_("This text is too long."), code="too_long", field=name)
    if creating or "title" in cleaned:
        if not cleaned.get("title"):
            raise DomainError(_("Give the tender a title."), code="required", field="title")
        cleaned["title"] = cleaned["title"][:200]
    if (creating or "method" in cleaned) and cleaned.get("method") not in Method.values:
        raise DomainError(_("Choose the procurement method."), code="invalid_method", field="method")
    if (creating or "needs" in cleaned) and not cleaned.get("needs"):
        raise DomainError(_("Describe what is bought (the needs)."), code="required", field="needs")
    if creating or "budget" in cleaned:
        budget = cleaned.get("budget")
        if budget is None or budget <= 0:
            raise DomainError(_("The budget must be more than zero."), code="invalid_budget", field="budget")
    if "price_weight" in cleaned and not (0 <= int(cleaned["price_weight"]) <= 100):
        raise DomainError(_("The price weight is a percentage (0–100)."), code="invalid", field="price_weight")
    if "category" in cleaned and cleaned["category"] not in {"goods", "services", "works"}:
        raise DomainError(_("Choose goods, services or works."), code="invalid", field="category")
    department = cleaned.get("buyer_department")
    if department is not None and (not isinstance(department, Department) or department.park_id != park.pk):
        raise DomainError(
            _("The buying department must be a department of the park."), code="invalid", field="buyer_department"
        )
    proposed = cleaned.get("proposed_supplier")
    if proposed is not None and proposed.park_id != park.pk:
        raise DomainError(
            _("The proposed supplier must be a supplier of the park."), code="invalid", field="proposed_supplier"
        )
    decision = cleaned.get("decision")
    if decision is not None and getattr(decision, "park_id", None) != park.pk:
        raise DomainError(
            _("The collective decision must be one of the park's (三重一大 register)."),
            code="invalid",
            field="decision",
        )
    if "invited_suppliers" in cleaned:
        invited = list(cleaned["invited_suppliers"] or ())
        if any(s.park_id != park.pk for s in invited):
            raise DomainError(
                _("Invited suppliers must be suppliers of the park."), code="invalid", field="invited_suppliers"
            )
        cleaned["invited_suppliers"] = invited
    return cleaned


def _next_number(park, now):
    year = timezone.localtime(now).year
    prefix = f"CG-{park.code}-{year}-"
    Park.objects.select_for_update().filter(pk=park.pk).first()  # serialise numbering per park
    numbers = Tender.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    last = max((int(n.rsplit("-", 1)[1]) for n in numbers if n.rsplit("-", 1)[1].isdigit()), default=0)
    return f"{prefix}{last + 1:04d}"


def tender_create(*, park, actor, now=None, **fields):
    """Draft a tender in `park`; returns it. `fields` are among `EDITABLE_FIELDS` (title, method, needs and a
    budget above zero are required).

    May call: the park's procurement officers and administrators. Records ``tender.created``.
    """
    now = now or timezone.now()
    _require_runner(actor, park)
    cleaned = _clean_fields(park, fields, creating=True)
    invited = cleaned.pop("invited_suppliers", [])
    with transaction.atomic():
        tender = Tender(park=park, number=_next_number(park, now), created_by=actor, created_at=now, **cleaned)
        try:
            tender.full_clean(exclude=["number"])
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise DomainError(messages[0], field=field) from exc
        tender.save()
        if invited:
            tender.invited_suppliers.set(invited)
        record_event(
            action="tender.created",
            target=tender,
            actor=actor,
            park=park,
            data={"number": tender.number, "after": _fields_snapshot(tender)},
            at=now,
        )
    return tender


def tender_update(*, tender, actor, **fields):
    """Change a draft tender's fields (`EDITABLE_FIELDS`); returns it.

    May call: the park's procurement officers and administrators. Refuses a tender that is no longer a
    draft (a published tender changes through `tender_change_publish`). Records ``tender.updated`` with the
    changed values before and after.
    """
    with transaction.atomic():
        tender = _locked(tender)
        _require_runner(actor, tender.park)
        if tender.status != TenderStatus.DRAFT:
            raise Conflict(_("Only a draft can be edited: publish a change notice instead."), code="tender_not_draft")
        cleaned = _clean_fields(tender.park, fields, creating=False)
        before_all = _fields_snapshot(tender)
        invited = cleaned.pop("invited_suppliers", None)
        changed = []
        for name, value in cleaned.items():
            if getattr(tender, name) != value:
                setattr(tender, name, value)
                changed.append(name)
        if changed:
            try:
                tender.full_clean(exclude=["number"])
            except ValidationError as exc:
                field, messages = next(iter(exc.message_dict.items()))
                raise DomainError(messages[0], field=field) from exc
            tender.save(update_fields=[*changed, "updated_at"])
        if invited is not None:
            tender.invited_suppliers.set(invited)
        after_all = _fields_snapshot(tender)
        before = {k: v for k, v in before_all.items() if after_all[k] != v}
        after = {k: after_all[k] for k in before}
        if after:
            record_event(
                action="tender.updated",
                target=tender,
                actor=actor,
                park=tender.park_id,
                data={"before": before, "after": after},
            )
    return tender


# --- single source ----------------------------------------------------------------------------------------------


def tender_justification_publish(*, tender, actor, now=None):
    """Publish a single-source tender's justification (单一来源公示) for the rule's working days.

    May call: the park's procurement officers and administrators. Refuses other methods, a tender that is
    not a draft, an empty justification and a missing or unapproved proposed supplier. Records
    ``tender.justification_published``.
    """
    now = now or timezone.now()
    with transaction.atomic():
        tender = _locked(tender)
        _require_runner(actor, tender.park)
        if tender.method != Method.SINGLE_SOURCE:
            raise Conflict(_("Only a single-source tender has a justification to publish."), code="not_single_source")
        check_transition(tender.status, TenderStatus.JUSTIFICATION)
        if not tender.justification.strip():
            raise DomainError(
                _("Write why only one supplier can meet the need (the single-source justification)."),
                code="justification_required",
                field="justification",
            )
        supplier = tender.proposed_supplier
        if supplier is None or supplier.status != SupplierStatus.APPROVED:
            raise DomainError(
                _("Name the proposed supplier: an approved supplier of the park."),
                code="proposed_supplier_required",
                field="proposed_supplier",
            )
        rule = method_rule(tender.park, tender.method)
        before = _snapshot(tender)
        tender.status = TenderStatus.JUSTIFICATION
        tender.justification_published_at = now
        tender.justification_ends_at = add_working_days(now, rule.justification_working_days)
        tender.save(update_fields=["status", "justification_published_at", "justification_ends_at", "updated_at"])
        record_event(
            action="tender.justification_published",
            target=tender,
            actor=actor,
            park=tender.park_id,
            data={
                "before": before,
                "after": {**_snapshot(tender), "justification_ends_at": tender.justification_ends_at},
                "working_days": rule.justification_working_days,
            },
            at=now,
        )
    return tender


# --- publication --------------------------------------------------------------------------------------------------


def _check_publication(tender, rule, *, bid_deadline, clarification_deadline, now):
    if tender.budget is None or tender.budget <= 0:
        raise DomainError(_("The budget must be more than zero."), code="invalid_budget", field="budget")
    if not tender.needs.strip():
        raise DomainError(_("Describe what is bought (the needs)."), code="required", field="needs")
    if bid_deadline is None:
        raise DomainError(_("Set the bid deadline."), code="required", field="bid_deadline")
    method = tender.get_method_display()
    earliest = earliest_bid_deadline(rule, now)
    if bid_deadline < earliest:
        unit = _("working days") if rule.bidding_days_are_working_days else _("days")
        raise DomainError(
            _(
                "%(method)s: at least %(days)s %(unit)s from publication to the bid deadline; "
                "the earliest valid deadline is %(earliest)s."
            )
            % {"method": method, "days": rule.min_bidding_days, "unit": unit, "earliest": _when(earliest)},
            code="bidding_period_too_short",
            field="bid_deadline",
            params={"earliest": earliest.isoformat()},
        )
    latest = latest_clarification_deadline(rule, bid_deadline)
    if clarification_deadline is None:
        clarification_deadline = latest
    if clarification_deadline > latest:
        unit = _("working days") if rule.bidding_days_are_working_days else _("days")
        raise DomainError(
            _(
                "%(method)s: the clarification deadline must be at least %(days)s %(unit)s before the bid "
                "deadline, at the latest %(latest)s."
            )
            % {"method": method, "days": rule.min_clarification_days, "unit": unit, "latest": _when(latest)},
            code="clarification_too_late",
            field="clarification_deadline",
        )
    if clarification_deadline <= now:
        raise DomainError(
            _("The clarification deadline must be after the publication."),
            code="clarification_in_past",
            field="clarification_deadline",
        )
    if tender.method == Method.INVITED_TENDER:
        invited = tender.invited_suppliers.filter(status=SupplierStatus.APPROVED).count()
        if invited < MIN_INVITED:
            raise DomainError(
                _("%(method)s: invite at least %(min)s approved suppliers (now %(count)s).")
                % {"method": method, "min": MIN_INVITED, "count": invited},
                code="too_few_invited",
                field="invited_suppliers",
            )
    if tender.method == Method.SINGLE_SOURCE:
        if tender.status != TenderStatus.JUSTIFICATION:
            raise Conflict(
                _("%(method)s: publish the justification for %(days)s working days first.")
                % {"method": method, "days": rule.justification_working_days},
                code="justification_not_published",
            )
        if tender.justification_ends_at and now < tender.justification_ends_at:
            raise Conflict(
                _("%(method)s: the justification is public until %(end)s; publish the tender after that.")
                % {"method": method, "end": _when(tender.justification_ends_at)},
                code="justification_period_running",
            )
    return clarification_deadline


def tender_publish(*, tender, actor, bid_deadline, clarification_deadline=None, now=None):
    """Publish a tender: it is open for bids until `bid_deadline` (the opening time), and for questions until
    `clarification_deadline` (default: the latest the rule allows).

    May call: the park's procurement officers and administrators. Refuses, with the rule named and the
    earliest valid deadline: a deadline sooner than the method's minimum period (calendar or working days), a
    clarification deadline too close to the bid deadline or already passed, an invited tender with fewer
    than 3 invited approved suppliers, a single-source tender whose justification has not been public for
    its period, a budget of zero, missing needs. Sets up the sealing keys (`procurement.sealing`) in the same
    transaction. Records ``tender.published``; tells invited suppliers.
    """
    now = now or timezone.now()
    with transaction.atomic():
        tender = _locked(tender)
        _require_runner(actor, tender.park)
        check_transition(tender.status, TenderStatus.PUBLISHED)
        rule = method_rule(tender.park, tender.method)
        clarification_deadline = _check_publication(
            tender, rule, bid_deadline=bid_deadline, clarification_deadline=clarification_deadline, now=now
        )
        before = _snapshot(tender)
        tender.status = TenderStatus.PUBLISHED
        tender.published_at = now
        tender.bid_deadline = bid_deadline
        tender.clarification_deadline = clarification_deadline
        tender.save(update_fields=["status", "published_at", "bid_deadline", "clarification_deadline", "updated_at"])
        from procurement.sealing import tender_keys_create

        tender_keys_create(tender=tender)
        record_event(
            action="tender.published",
            target=tender,
            actor=actor,
            park=tender.park_id,
            data={
                "before": before,
                "after": _snapshot(tender),
                "rule": {
                    "min_bidding_days": rule.min_bidding_days,
                    "working_days": rule.bidding_days_are_working_days,
                    "min_clarification_days": rule.min_clarification_days,
                },
            },
            at=now,
        )
        if tender.method == Method.INVITED_TENDER:
            notify(
                recipients=_users_of_suppliers(tender.invited_suppliers.all()),
                kind="tender.invited",
                title=_t("You are invited to bid: %(title)s") % {"title": tender.title},
                body=_t("Bids until %(deadline)s.") % {"deadline": _when(bid_deadline)},
                url=_tender_url(tender),
                park=tender.park,
            )
    return tender


# --- change notices and clarifications ------------------------------------------------------------------------


def _publish_change(tender, *, actor, kind, text, new_deadline, now):
    """Write a change notice on a locked, published tender, moving the deadline when the rule says so."""
    rule = method_rule(tender.park, tender.method)
    before_deadline = tender.bid_deadline
    deadline = before_deadline
    if new_deadline is not None:
        if new_deadline < before_deadline:
            raise DomainError(
                _("The bid deadline can only be moved later, not earlier."),
                code="deadline_earlier",
                field="new_deadline",
            )
        deadline = new_deadline
    floor = change_deadline_floor(rule, now)
    moved_by_rule = deadline < floor
    if moved_by_rule:
        deadline = floor
    change = TenderChange(tender=tender, kind=kind, text=text, published_at=now, published_by=actor)
    fields = []
    if deadline != before_deadline:
        change.deadline_before, change.deadline_after = before_deadline, deadline
        delta = deadline - before_deadline
        if tender.clarification_deadline and tender.clarification_deadline > now:
            tender.clarification_deadline += delta
            fields.append("clarification_deadline")
        tender.bid_deadline = deadline
        fields.append("bid_deadline")
        tender.save(update_fields=[*fields, "updated_at"])
    change.save()
    record_event(
        action="tender.change_published",
        target=tender,
        actor=actor,
        park=tender.park_id,
        data={
            "change": change.pk,
            "kind": kind,
            "before": {"bid_deadline": before_deadline},
            "after": {"bid_deadline": tender.bid_deadline, "clarification_deadline": tender.clarification_deadline},
            "moved_by_rule": moved_by_rule,
            "change_notice_days": rule.change_notice_days,
        },
        at=now,
    )
    body = text
    if change.deadline_after:
        body = _t("The bid deadline moves to %(deadline)s.") % {"deadline": _when(change.deadline_after)} + "\n" + text
    notify(
        recipients=_bidders(tender),
        kind="tender.changed",
        title=_t("Notice on the tender %(number)s: %(kind)s")
        % {"number": tender.number, "kind": change.get_kind_display()},
        body=body,
        url=_tender_url(tender),
        park=tender.park,
    )
    return change


def tender_change_publish(*, tender, actor, kind, text, new_deadline=None, now=None):
    """Publish a change notice (更正公告) or clarification on a tender open for bids; returns the
    `TenderChange`. A notice less than the method's `change_notice_days` before the deadline moves the
    deadline to that many days after the notice (recorded as deadline_before/after); `new_deadline` moves it
    later on purpose (a "deadline" notice needs one).

    May call: the park's procurement officers and administrators. Refuses a tender not open for bids or past
    its deadline, an empty text, an unknown kind and a deadline moved earlier. Records
    ``tender.change_published``; tells the bidders.
    """
    now = now or timezone.now()
    if kind not in CHANGE_KINDS:
        raise DomainError(_("Choose the kind of notice."), code="invalid_kind", field="kind")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the text of the notice."), code="required", field="text")
    if kind == TenderChangeKind.DEADLINE and new_deadline is None:
        raise DomainError(_("Give the new bid deadline."), code="required", field="new_deadline")
    with transaction.atomic():
        tender = _locked(tender)
        _require_runner(actor, tender.park)
        if tender.status != TenderStatus.PUBLISHED or now >= tender.bid_deadline:
            raise Conflict(_("Notices are published while the tender is open for bids."), code="tender_not_open")
        return _publish_change(tender, actor=actor, kind=kind, text=text, new_deadline=new_deadline, now=now)


def clarification_ask(*, tender, actor, question, now=None):
    """Ask a question about a tender open for bids; returns the `ClarificationQuestion`. The answer will be
    public, the asker never named.

    May call: any signed-in user acting for a verified enterprise. Refuses after the clarification deadline
    and an empty question. Records ``clarification.asked``; tells the park's procurement officers (without
    naming the asker).
    """
    now = now or timezone.now()
    if not supplier_enterprise_ids(actor):
        raise PermissionDenied(_("Questions are asked by users of verified enterprises."))
    question = (question or "").strip()
    if not question:
        raise DomainError(_("Write your question."), code="required", field="question")
    if len(question) > 4000:
        raise DomainError(_("The question is too long."), code="too_long", field="question")
    with transaction.atomic():
        tender = _locked(tender)
        if not tender_accepts_questions(tender, now):
            raise Conflict(_("Questions on this tender are closed."), code="questions_closed")
        item = ClarificationQuestion.objects.create(tender=tender, asked_by=actor, question=question, asked_at=now)
        record_event(
            action="clarification.asked",
            target=item,
            actor=actor,
            park=tender.park_id,
            data={"tender": tender.pk, "question": question},
            at=now,
        )
        notify(
            recipients=procurement_officers(tender.park),
            kind="clarification.asked",
            title=_t("A question on the tender %(number)s") % {"number": tender.number},
            body=question,
            url=_tender_url(tender),
            park=tender.park,
        )
    return item


def clarification_answer(*, question, actor, answer, now=None):
    """Answer a question publicly (without naming who asked); the answer is also published as a
    clarification notice, which moves the deadline when less than the method's notice period remains.

    May call: the park's procurement officers and administrators. Refuses an answered question, an empty
    answer and a tender no longer open for bids. Records ``clarification.answered`` (and
    ``tender.change_published``); tells the asker.
    """
    now = now or timezone.now()
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("Write the answer."), code="required", field="answer")
    with transaction.atomic():
        item = ClarificationQuestion.objects.select_for_update().select_related("asked_by").get(pk=question.pk)
        tender = _locked(item.tender)
        _require_runner(actor, tender.park)
        if item.answered_at is not None:
            raise Conflict(_("This question has already been answered."), code="already_answered")
        if tender.status != TenderStatus.PUBLISHED or now >= tender.bid_deadline:
            raise Conflict(_("Questions are answered while the tender is open for bids."), code="tender_not_open")
        item.answer = answer
        item.answered_at = now
        item.answered_by = actor
        item.save(update_fields=["answer", "answered_at", "answered_by"])
        record_event(
            action="clarification.answered",
            target=item,
            actor=actor,
            park=tender.park_id,
            data={"tender": tender.pk, "answer": answer},
            at=now,
        )
        text = _t("Question: %(question)s\nAnswer: %(answer)s") % {"question": item.question, "answer": answer}
        _publish_change(tender, actor=actor, kind=TenderChangeKind.CLARIFICATION, text=text, new_deadline=None, now=now)
        notify(
            recipients=[item.asked_by],
            kind="clarification.answered",
            title=_t("Your question on the tender %(number)s was answered") % {"number": tender.number},
            body=answer,
            url=_tender_url(tender),
            park=tender.park,
        )
    item.tender = tender
    return item


# --- closing, failure, cancellation, re-tender ---------------------------------------------------------------


def tender_close(*, tender, actor=None, now=None):
    """Close bidding at the deadline and publish the bids' commitments; returns the tender. Closing an
    already-closed tender changes nothing.

    May call: the beat task (``actor=None``) or the park's procurement officers. Refuses before the bid
    deadline. Records ``tender.closed``; tells the park's procurement and discipline officers that the
    opening is due.
    """
    now = now or timezone.now()
    with transaction.atomic():
        tender = _locked(tender)
        if actor is not None:
            _require_runner(actor, tender.park)
        if tender.status == TenderStatus.CLOSED:
            return tender
        check_transition(tender.status, TenderStatus.CLOSED)
        if tender.bid_deadline is None or now < tender.bid_deadline:
            raise Conflict(
                _("Bidding closes at the deadline, %(deadline)s.") % {"deadline": _when(tender.bid_deadline)},
                code="deadline_not_reached",
            )
        before = _snapshot(tender)
        tender.status = TenderStatus.CLOSED
        tender.closed_at = now
        tender.commitments_published_at = now
        tender.save(update_fields=["status", "closed_at", "commitments_published_at", "updated_at"])
        record_event(
            action="tender.closed",
            target=tender,
            actor=actor,
            park=tender.park_id,
            data={"before": before, "after": {**_snapshot(tender), "closed_at": now}},
            at=now,
        )
        notify(
            recipients=[*procurement_officers(tender.park), *park_discipline_officers(tender.park)],
            kind="tender.closed",
            title=_t("Bidding closed on the tender %(number)s: the opening is due") % {"number": tender.number},
            body=tender.title,
            url=_tender_url(tender),
            park=tender.park,
        )
    return tender


def tenders_close_due(*, now=None):
    """Close every published tender whose deadline has passed (the beat task, every minute); returns how
    many it closed. Rows another worker is closing are skipped."""
    now = now or timezone.now()
    closed = 0
    for pk in list(tenders_due_to_close(now).values_list("pk", flat=True)):
        with transaction.atomic():
            row = (
                Tender.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=TenderStatus.PUBLISHED, bid_deadline__lte=now)
                .first()
            )
            if row is None:
                continue
            tender_close(tender=row, actor=None, now=now)
            closed += 1
    return closed


def tender_fail(*, tender, actor, reason, now=None):
    """Fail the tender (废标), with the reason, and publish a failure notice; returns it.

    May call: the park's procurement officers and administrators, or a service of a later stage with its
    actor (the opening fails a tender with too few valid bids). Refuses a tender in a status that cannot fail
    and an empty reason. Records ``tender.failed``; tells the bidders.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the failure."), code="required", field="reason")
    with transaction.atomic():
        tender = _locked(tender)
        if actor is not None:
            _require_runner(actor, tender.park)
        check_transition(tender.status, TenderStatus.FAILED)
        return _end(tender, actor=actor, status=TenderStatus.FAILED, reason=reason, now=now)


def tender_cancel(*, tender, actor, reason, now=None):
    """Cancel a tender before its opening, with the reason; a tender that was public gets a cancellation
    notice. May call: the park's procurement officers and administrators. Refuses a tender already opened
    and an empty reason. Records ``tender.cancelled``; tells the bidders."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the cancellation."), code="required", field="reason")
    with transaction.atomic():
        tender = _locked(tender)
        _require_runner(actor, tender.park)
        check_transition(tender.status, TenderStatus.CANCELLED)
        return _end(tender, actor=actor, status=TenderStatus.CANCELLED, reason=reason, now=now)


def _end(tender, *, actor, status, reason, now):
    was_public = tender.status != TenderStatus.DRAFT
    before = _snapshot(tender)
    tender.status = status
    tender.failed_at = now
    tender.failure_reason = reason
    tender.save(update_fields=["status", "failed_at", "failure_reason", "updated_at"])
    failed = status == TenderStatus.FAILED
    if was_public:
        TenderChange.objects.create(
            tender=tender,
            kind=TenderChangeKind.FAILURE if failed else TenderChangeKind.CANCELLATION,
            text=reason,
            published_at=now,
            published_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    record_event(
        action="tender.failed" if failed else "tender.cancelled",
        target=tender,
        actor=actor,
        park=tender.park_id,
        data={"before": before, "after": _snapshot(tender), "reason": reason},
        at=now,
    )
    if was_public:
        title = _t("The tender %(number)s failed") if failed else _t("The tender %(number)s was cancelled")
        notify(
            recipients=_bidders(tender),
            kind="tender.failed" if failed else "tender.cancelled",
            title=title % {"number": tender.number},
            body=reason,
            url=_tender_url(tender),
            park=tender.park,
        )
    return tender


def tender_retender(*, tender, actor, now=None):
    """Start a new draft from a failed or cancelled tender, copying its fields and linked to it by
    `previous_tender`; returns the new draft.

    May call: the park's procurement officers and administrators. Refuses a tender that has not failed or
    been cancelled, and one already re-tendered (unless that re-tender was cancelled as a draft). Records
    ``tender.retendered`` on the old tender and ``tender.created`` on the new one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        old = _locked(tender)
        _require_runner(actor, old.park)
        if old.status not in (TenderStatus.FAILED, TenderStatus.CANCELLED):
            raise Conflict(_("Only a failed or cancelled tender can be re-tendered."), code="not_failed")
        if old.retenders.exclude(status=TenderStatus.CANCELLED).exists():
            raise Conflict(_("This tender has already been re-tendered."), code="already_retendered")
        fields = {name: getattr(old, name) for name in EDITABLE_FIELDS if name != "invited_suppliers"}
        fields["invited_suppliers"] = list(old.invited_suppliers.all())
        new = tender_create(park=old.park, actor=actor, now=now, **fields)
        new.previous_tender = old
        new.save(update_fields=["previous_tender", "updated_at"])
        record_event(
            action="tender.retendered",
            target=old,
            actor=actor,
            park=old.park_id,
            data={"new_tender": new.pk, "number": new.number},
            at=now,
        )
    return new


# --- configurable rules (admin) -----------------------------------------------------------------------------------

RULE_FIELDS = tuple(
    f.name
    for f in MethodRule._meta.get_fields()
    if getattr(f, "editable", False) and f.name not in {"id", "park", "method"}
)
FLAG_FIELDS = tuple(
    f.name for f in FlagSettings._meta.get_fields() if getattr(f, "editable", False) and f.name not in {"id", "park"}
)


def _may_set_rules(actor, park):
    if park is None:
        return is_platform_admin(actor)
    return is_platform_admin(actor) or can_run_procurement(actor, park)


def _set_row(row, values, allowed, actor, action, park):
    unknown = set(values) - set(allowed)
    if unknown:
        raise DomainError(_("Unknown setting: %(names)s") % {"names": ", ".join(sorted(unknown))})
    before, after = {}, {}
    for name, value in values.items():
        if getattr(row, name) != value:
            before[name], after[name] = getattr(row, name), value
            setattr(row, name, value)
    try:
        row.full_clean(exclude=["park"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=field) from exc
    creating = row.pk is None
    if not after and not creating:
        return row
    row.save()
    record_event(
        action=action, target=row, actor=actor, park=park, data={"before": before, "after": after, "created": creating}
    )
    return row


def method_rule_set(*, park, method, actor, **values):
    """Set the period rule of `method` for `park` (``None``: the platform default); the park's own row is
    created on first change. May call: platform administrators (defaults and any park), the park's
    procurement officers and administrators (their park). Refuses unknown fields and bad values. Records
    ``method_rule.updated``."""
    if not _may_set_rules(actor, park):
        raise PermissionDenied()
    if method not in Method.values:
        raise DomainError(_("Choose the procurement method."), code="invalid_method", field="method")
    with transaction.atomic():
        row = MethodRule.objects.select_for_update().filter(park=park, method=method).first()
        if row is None:
            base = method_rule(park, method) if park is not None else MethodRule(method=method)
            row = MethodRule(park=park, method=method, **{name: getattr(base, name) for name in RULE_FIELDS})
        return _set_row(row, values, RULE_FIELDS, actor, "method_rule.updated", park)


def flag_settings_set(*, park, actor, **values):
    """Set the red-flag thresholds of `park` (``None``: the platform default). Same permissions as
    `method_rule_set`. Records ``flag_settings.updated``."""
    if not _may_set_rules(actor, park):
        raise PermissionDenied()
    with transaction.atomic():
        row = FlagSettings.objects.select_for_update().filter(park=park).first()
        if row is None:
            from procurement.rules import flag_settings

            base = flag_settings(park) if park is not None else FlagSettings()
            row = FlagSettings(park=park, **{name: getattr(base, name) for name in FLAG_FIELDS})
        return _set_row(row, values, FLAG_FIELDS, actor, "flag_settings.updated", park)
