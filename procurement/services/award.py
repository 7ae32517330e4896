"""The award stage (issue 5 point 5): the buyer's decision, its announcement (中选公示) and objections (质疑),
all on the work calendar (`core.workcalendar`) with the time limits of the method's `MethodRule`.

Choices where the law or the issue leaves room:

- A decision after the time limit (`Tender.award_due_at`, 5 working days of the report by default) is
  allowed — refusing it would only stop the procurement — but the lateness is recorded in the audit event
  (``late``, ``working_days_late``) and shown on the officer's page and the public award page. The same holds
  for a late announcement and a late answer to an objection.
- The decision follows the ranking: choosing another bid than the first-ranked one needs a written reason
  (it is shown on the award page and raises the "not lowest" red flag for lowest-price methods).
- Announcement: the publicity lasts `publicity_working_days`; objections are accepted until the end of the
  `objection_working_days`-th working day after the publicity ends; the contract is due `contract_days`
  calendar days after the announcement.
- Objections are filed by the enterprises that bid (opened bids) only, until `Tender.objection_deadline`
  (end of a working day, Asia/Shanghai). Each one is presumed to possibly affect the result — it then
  suspends contract signing until it is answered — unless the procurement officer classifies it otherwise
  with a reason (`objection_classify`).
- An upheld objection leaves the award in place but blocks the contract: the buyer either decides again from
  the ranking (`award_decide` on the announced tender; the tender goes back to "award decided" and is
  announced again with a fresh publicity and objection period), or fails the tender (P1's `tender_fail`).
"""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.notifications import notify
from core.workcalendar import add_working_days, working_days_between
from procurement.choices import TENDER_TRANSITIONS, BidStatus, ObjectionStatus, TenderStatus, check_transition
from procurement.models import Award, Bid, Objection, Tender
from procurement.rules import method_rule
from procurement.selectors.access import can_run_procurement, procurement_officers, supplier_enterprise_ids
from procurement.selectors.evaluation import bidder_users, current_round_objections
from procurement.services.evaluation import refuse_if_blocked
from procurement.services.flags import schedule_flag_check


def lateness_data(due, at):
    """Audit data on a time limit: whether `at` is after `due`, and by how many working days."""
    if due is None or at <= due:
        return {"due": due, "late": False}
    return {"due": due, "late": True, "working_days_late": max(1, working_days_between(due, at))}


def _require_runner(actor, tender):
    if not can_run_procurement(actor, tender.park_id):
        raise PermissionDenied(_("Only the park's procurement officers and administrators can do this."))


def award_decide(*, tender, actor, bid, reason="", now=None):
    """The buyer decides the award on a ranked bid. Another bid than the first-ranked one needs a written
    reason. Also decides again after an upheld objection (the tender was announced).

    May call: the park's procurement officers and administrators. Refuses an unranked bid or one of another
    tender, a missing reason, an open blocking red flag, and a re-decision without an upheld objection or
    after the contract. Records lateness against `award_due_at`. Audit: ``award.decided``. Queues the red-flag
    check ("award")."""
    now = now or timezone.now()
    _require_runner(actor, tender)
    reason = (reason or "").strip()
    with transaction.atomic():
        tender = Tender.objects.select_for_update().select_related("park").get(pk=tender.pk)
        redecision = tender.status == TenderStatus.ANNOUNCED
        if redecision and not current_round_objections(tender).filter(status=ObjectionStatus.UPHELD).exists():
            raise Conflict(
                _("The award was announced; it can be decided again only after an upheld objection."),
                code="no_upheld_objection",
            )
        check_transition(TENDER_TRANSITIONS, tender.status, TenderStatus.AWARDED, _("The tender"))
        refuse_if_blocked(tender)
        bid = Bid.objects.filter(pk=bid.pk, tender=tender, status=BidStatus.OPENED, rank__isnull=False).first()
        if bid is None:
            raise DomainError(_("Choose a bid ranked by the evaluation committee."), field="bid")
        if bid.rank != 1 and not reason:
            raise DomainError(
                _("The award goes to the first-ranked bid; give the written reason for choosing rank %(rank)d.")
                % {"rank": bid.rank},
                field="reason",
            )
        lateness = lateness_data(tender.award_due_at, now)
        award = Award.objects.select_for_update().filter(tender=tender).first()
        before = None
        values = {
            "bid": bid,
            "supplier_id": bid.supplier_id,
            "amount": bid.price,
            "reason": reason,
            "decided_by": actor,
            "decided_at": now,
            "announced_at": None,
        }
        if award is None:
            award = Award.objects.create(tender=tender, **values)
        else:
            before = {"bid": award.bid_id, "amount": award.amount, "announced_at": award.announced_at}
            for field, value in values.items():
                setattr(award, field, value)
            award.save(update_fields=[f.removesuffix("_id") for f in values])
        rule = method_rule(tender.park, tender.method)
        status_before = tender.status
        tender.status = TenderStatus.AWARDED
        tender.awarded_at = now
        tender.announcement_due_at = add_working_days(now, rule.announcement_working_days)
        tender.save(update_fields=["status", "awarded_at", "announcement_due_at", "updated_at"])
        record_event(
            action="award.decided",
            target=award,
            actor=actor,
            park=tender.park,
            data={
                "tender": tender.pk,
                "before": before,
                "after": {"bid": bid.pk, "alias": bid.alias, "rank": bid.rank, "amount": bid.price},
                "reason": reason,
                "redecision": redecision,
                **lateness,
            },
        )
        record_event(
            action="tender.awarded",
            target=tender,
            actor=actor,
            park=tender.park,
            data={"before": {"status": status_before}, "after": {"status": "awarded"}, "award": award.pk, **lateness},
        )
        schedule_flag_check(tender, "award")
    return award


def award_announce(*, tender, actor, now=None):
    """Announce the award on the public award page (中选公示): sets the publicity end, the objection deadline
    and the contract time limit, and tells every bidder.

    May call: the park's procurement officers and administrators, once the award is decided. Records
    lateness against `announcement_due_at`. Audit: ``award.announced``."""
    now = now or timezone.now()
    _require_runner(actor, tender)
    with transaction.atomic():
        tender = Tender.objects.select_for_update().select_related("park").get(pk=tender.pk)
        check_transition(TENDER_TRANSITIONS, tender.status, TenderStatus.ANNOUNCED, _("The tender"))
        award = Award.objects.select_for_update().select_related("supplier__enterprise").get(tender=tender)
        rule = method_rule(tender.park, tender.method)
        lateness = lateness_data(tender.announcement_due_at, now)
        tender.status = TenderStatus.ANNOUNCED
        tender.announced_at = now
        tender.publicity_ends_at = add_working_days(now, rule.publicity_working_days)
        tender.objection_deadline = add_working_days(tender.publicity_ends_at, rule.objection_working_days)
        tender.contract_due_at = now + timedelta(days=rule.contract_days)
        tender.save(
            update_fields=[
                "status",
                "announced_at",
                "publicity_ends_at",
                "objection_deadline",
                "contract_due_at",
                "updated_at",
            ]
        )
        award.announced_at = now
        award.save(update_fields=["announced_at"])
        record_event(
            action="award.announced",
            target=award,
            actor=actor,
            park=tender.park,
            data={
                "tender": tender.pk,
                "before": {"status": "awarded"},
                "after": {
                    "status": "announced",
                    "publicity_ends_at": tender.publicity_ends_at,
                    "objection_deadline": tender.objection_deadline,
                    "contract_due_at": tender.contract_due_at,
                },
                **lateness,
            },
        )
        notify(
            recipients=bidder_users(tender),
            kind="procurement.award_announced",
            title=_t("Result of tender %(number)s announced") % {"number": tender.number},
            body=_t("Awarded to %(supplier)s for %(amount)s yuan. Objections are accepted until %(deadline)s.")
            % {
                "supplier": award.supplier.enterprise.name,
                "amount": award.amount,
                "deadline": timezone.localtime(tender.objection_deadline).strftime("%Y-%m-%d %H:%M"),
            },
            url=reverse("procurement:award-publicity", args=[tender.pk]),
            park=tender.park,
        )
    return award


def objection_file(*, tender, supplier, actor, text, now=None):
    """A bidder files a written objection (质疑) to the announced award, until the objection deadline.

    May call: a user acting for `supplier`'s enterprise, when `supplier` bid on the tender (opened bid).
    Refuses other suppliers, an empty text, a tender not announced, and a filing after the deadline.
    Audit: ``objection.filed``. Notifies the park's procurement officers."""
    now = now or timezone.now()
    text = (text or "").strip()
    if supplier.enterprise_id not in supplier_enterprise_ids(actor):
        raise PermissionDenied(_("You can object only for an enterprise you act for."))
    if not text:
        raise DomainError(_("Write the objection: what you object to and why."), field="text")
    with transaction.atomic():
        tender = Tender.objects.select_for_update().select_related("park").get(pk=tender.pk)
        bid_statuses = (BidStatus.OPENED, BidStatus.TAMPERED)
        if not Bid.objects.filter(tender=tender, supplier=supplier, status__in=bid_statuses).exists():
            raise PermissionDenied(_("Only the suppliers that bid on this tender can object to its result."))
        if tender.status != TenderStatus.ANNOUNCED or tender.objection_deadline is None:
            raise Conflict(_("Objections are filed once the result is announced."), code="not_announced")
        if now > tender.objection_deadline:
            raise Conflict(
                _("The objection period ended on %(deadline)s.")
                % {"deadline": timezone.localtime(tender.objection_deadline).strftime("%Y-%m-%d %H:%M")},
                code="objection_period_over",
            )
        rule = method_rule(tender.park, tender.method)
        objection = Objection.objects.create(
            tender=tender,
            supplier=supplier,
            filed_by=actor,
            text=text,
            filed_at=now,
            may_affect_result=True,
            answer_due_at=add_working_days(now, rule.objection_answer_working_days),
        )
        record_event(
            action="objection.filed",
            target=objection,
            actor=actor,
            park=tender.park,
            data={"tender": tender.pk, "supplier": supplier.pk, "answer_due_at": objection.answer_due_at},
        )
        notify(
            recipients=procurement_officers(tender.park),
            kind="procurement.objection_filed",
            title=_t("Objection to the result of tender %(number)s") % {"number": tender.number},
            body=_t("Answer it in writing by %(due)s. Contract signing is suspended until then.")
            % {"due": timezone.localtime(objection.answer_due_at).strftime("%Y-%m-%d")},
            url=reverse("procurement:tender-evaluation", args=[tender.pk]),
            park=tender.park,
        )
    return objection


def objection_classify(*, objection, actor, may_affect_result, reason):
    """The procurement officer says whether an open objection may affect the result (only those that may
    suspend contract signing), with a reason. May call: the park's procurement officers and administrators.
    Audit: ``objection.classified``."""
    _require_runner(actor, objection.tender)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for this assessment."), field="reason")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("tender").get(pk=objection.pk)
        if objection.status != ObjectionStatus.FILED:
            raise Conflict(_("The objection has been answered."), code="answered")
        before = objection.may_affect_result
        objection.may_affect_result = bool(may_affect_result)
        objection.save(update_fields=["may_affect_result"])
        record_event(
            action="objection.classified",
            target=objection,
            actor=actor,
            park=objection.tender.park_id,
            data={
                "before": {"may_affect_result": before},
                "after": {"may_affect_result": objection.may_affect_result},
                "reason": reason,
            },
        )
    return objection


def objection_answer(*, objection, actor, upheld, answer, now=None):
    """Answer an objection in writing: upheld or rejected. The filer and their enterprise are told.

    May call: the park's procurement officers and administrators. Refuses an empty answer and a second
    answer. Records lateness against `answer_due_at`. Audit: ``objection.answered``."""
    now = now or timezone.now()
    _require_runner(actor, objection.tender)
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("Write the answer to the objection."), field="answer")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("tender", "tender__park").get(pk=objection.pk)
        if objection.status != ObjectionStatus.FILED:
            raise Conflict(_("The objection has already been answered."), code="answered")
        objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED
        objection.answer = answer
        objection.answered_at = now
        objection.answered_by = actor
        objection.save(update_fields=["status", "answer", "answered_at", "answered_by"])
        tender = objection.tender
        record_event(
            action="objection.answered",
            target=objection,
            actor=actor,
            park=tender.park,
            data={
                "before": {"status": "filed"},
                "after": {"status": objection.status},
                **lateness_data(objection.answer_due_at, now),
            },
        )
        from parks.models import EnterpriseMembership

        recipients = [objection.filed_by] + [
            m.user for m in EnterpriseMembership.objects.filter(enterprise_id=objection.supplier.enterprise_id)
        ]
        notify(
            recipients=recipients,
            kind="procurement.objection_answered",
            title=_t("Your objection to tender %(number)s was answered") % {"number": tender.number},
            body=(_t("Upheld.") if upheld else _t("Rejected.")) + " " + answer,
            url=reverse("procurement:award-publicity", args=[tender.pk]),
            park=tender.park,
        )
    return objection
