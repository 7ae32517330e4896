"""The contract stage (issue 5 point 5): the supplier's integrity contract (廉政合同), signing, publication and
supplementary contracts (补充合同).

Choices where the law or the issue leaves room:

- Signing waits for the end of the objection period (质疑期, `Tender.objection_deadline`) even when nobody
  objected: an objection may still arrive until then. After it, an unanswered objection that may affect the
  result, or an upheld one of the current announcement (the award must be decided again or the tender
  failed), refuses signing with a message that says which.
- The contract value must equal the awarded amount; changes go through supplementary contracts.
- The integrity contract is an integrity pledge of kind "contract", signed through integrity's `pledge_sign`
  by a user of the awarded supplier's enterprise with reference = the tender number
  (`integrity_contract_sign`), valid on the signing day.
- A contract signed after `contract_due_at`, or published after `publish_due_at`, is accepted with its
  lateness recorded in the audit event (as for the award).
- The cap on supplementary contracts counts the increases only (the sum of positive value changes): a
  reduction does not make room for later additions. A change of 0 is refused.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.workcalendar import add_working_days
from procurement.choices import (
    TENDER_TRANSITIONS,
    ContractStatus,
    ObjectionStatus,
    TenderStatus,
    check_transition,
)
from procurement.models import Award, Contract, ContractAmendment, Tender
from procurement.rules import method_rule
from procurement.selectors.access import can_run_procurement, supplier_enterprise_ids
from procurement.selectors.evaluation import current_round_objections
from procurement.services.award import lateness_data
from procurement.services.evaluation import refuse_if_blocked
from procurement.services.flags import schedule_flag_check


def _require_runner(actor, park_id):
    if not can_run_procurement(actor, park_id):
        raise PermissionDenied(_("Only the park's procurement officers and administrators can do this."))


def current_contract_template(park):
    """The park's integrity-contract text in force (pledge kind "contract"), or None."""
    from integrity.choices import SignerKind
    from integrity.selectors.pledges import current_templates

    return current_templates(park).filter(signer_kind=SignerKind.CONTRACT).first()


def integrity_contracts_for(tender):
    """Integrity contracts signed for `tender` by its awarded supplier, newest first."""
    from integrity.choices import SignerKind
    from integrity.models import Pledge

    award = Award.objects.filter(tender=tender).first()
    if award is None:
        return Pledge.objects.none()
    return Pledge.objects.filter(
        park_id=tender.park_id,
        signer_kind=SignerKind.CONTRACT,
        enterprise_id=award.supplier.enterprise_id,
        reference=tender.number,
    ).order_by("-signed_at", "-id")


def integrity_contract_sign(*, tender, actor, expected_sha256=None, now=None):
    """The awarded supplier signs the park's integrity contract (廉政合同) for `tender`, through integrity's
    `pledge_sign` (kind "contract", reference = tender number).

    May call: a user of the awarded supplier's enterprise, once the award is announced. Refuses other users,
    a park without an integrity-contract text, and a second signature. Audit: ``tender.integrity_contract_signed``
    (plus integrity's ``pledge.signed``)."""
    from integrity.services.pledges import pledge_sign

    now = now or timezone.now()
    with transaction.atomic():
        tender = Tender.objects.select_for_update().select_related("park").get(pk=tender.pk)
        award = Award.objects.filter(tender=tender).select_related("supplier__enterprise").first()
        if award is None or award.supplier.enterprise_id not in supplier_enterprise_ids(actor):
            raise PermissionDenied(_("Only the awarded supplier signs the integrity contract."))
        if tender.status != TenderStatus.ANNOUNCED:
            raise Conflict(_("The integrity contract is signed once the award is announced."), code="not_announced")
        template = current_contract_template(tender.park)
        if template is None:
            raise Conflict(_("The park has no integrity-contract text in force."), code="no_contract_template")
        pledge = pledge_sign(
            template=template,
            actor=actor,
            enterprise=award.supplier.enterprise,
            reference=tender.number,
            expected_sha256=expected_sha256,
            now=now,
        )
        record_event(
            action="tender.integrity_contract_signed",
            target=tender,
            actor=actor,
            park=tender.park,
            data={"pledge": pledge.pk, "supplier": award.supplier_id, "sha256": pledge.text_sha256},
        )
    return pledge


def _check_pledge(pledge, tender, award, on):
    from integrity.choices import SignerKind

    if (
        pledge is None
        or pledge.signer_kind != SignerKind.CONTRACT
        or pledge.park_id != tender.park_id
        or pledge.enterprise_id != award.supplier.enterprise_id
        or pledge.reference != tender.number
    ):
        raise DomainError(
            _("The contract needs the integrity contract signed by the awarded supplier for this tender."),
            field="integrity_pledge",
            code="integrity_contract_missing",
        )
    if not pledge.is_valid(on):
        raise DomainError(
            _("The supplier's integrity contract has expired; the supplier must sign it again."),
            field="integrity_pledge",
            code="integrity_contract_expired",
        )


def contract_sign(
    *,
    tender,
    actor,
    number,
    value,
    signed_on,
    integrity_pledge,
    title="",
    period_start=None,
    period_end=None,
    decision=None,
    now=None,
):
    """Record the contract signed with the awarded supplier.

    `decision` links the 三重一大 collective decision that approved the spending (defaults to the tender's);
    one of another park is refused. A contract over the park's threshold without one is not refused but
    flagged by the 三重一大 register (`integrity.decisions_flags`), which reads contracts as a spending source.

    May call: the park's procurement officers and administrators, once the award is announced and the
    objection period is over. Refuses an open objection that may affect the result, an upheld objection of the
    current announcement, an open blocking red flag, a value other than the awarded amount, a missing or
    foreign integrity contract, a duplicate number, a signing date in the future and a performance period that
    ends before it starts. Records lateness against `contract_due_at`. Audit: ``contract.signed``. Queues the
    red-flag check ("contract")."""
    now = now or timezone.now()
    _require_runner(actor, tender.park_id)
    number = (number or "").strip()
    if not number:
        raise DomainError(_("Give the contract number."), field="number")
    try:
        value = Decimal(str(value))
    except ArithmeticError as exc:
        raise DomainError(_("Give the contract value in yuan."), field="value") from exc
    if signed_on is None or signed_on > timezone.localdate(now):
        raise DomainError(_("The signing date cannot be in the future."), field="signed_on")
    if period_start and period_end and period_end < period_start:
        raise DomainError(_("The performance period ends before it starts."), field="period_end")
    with transaction.atomic():
        tender = Tender.objects.select_for_update().select_related("park").get(pk=tender.pk)
        check_transition(TENDER_TRANSITIONS, tender.status, TenderStatus.CONTRACTED, _("The tender"))
        award = Award.objects.select_related("supplier__enterprise").get(tender=tender)
        if tender.objection_deadline and now <= tender.objection_deadline:
            raise Conflict(
                _("The contract is signed after the objection period, which ends on %(deadline)s.")
                % {"deadline": timezone.localtime(tender.objection_deadline).strftime("%Y-%m-%d %H:%M")},
                code="objection_period_running",
            )
        round_objections = current_round_objections(tender)
        if round_objections.filter(status=ObjectionStatus.FILED, may_affect_result=True).exists():
            raise Conflict(
                _("An objection that may affect the result is still unanswered: signing is suspended until then."),
                code="objection_open",
            )
        if round_objections.filter(status=ObjectionStatus.UPHELD).exists():
            raise Conflict(
                _("An objection was upheld: decide the award again from the ranking, or fail the tender."),
                code="objection_upheld",
            )
        refuse_if_blocked(tender)
        if value != award.amount:
            raise DomainError(
                _(
                    "The contract value must be the awarded amount (%(amount)s yuan); record changes as supplementary "
                    "contracts."
                )
                % {"amount": award.amount},
                field="value",
            )
        _check_pledge(integrity_pledge, tender, award, now)
        decision = decision or tender.decision
        if decision is not None and decision.park_id != tender.park_id:
            raise DomainError(_("The collective decision belongs to another park."), field="decision")
        rule = method_rule(tender.park, tender.method)
        lateness = lateness_data(tender.contract_due_at, now)
        try:
            with transaction.atomic():
                contract = Contract.objects.create(
                    tender=tender,
                    park=tender.park,
                    supplier=award.supplier,
                    number=number[:60],
                    title=(title or tender.title).strip()[:200],
                    value=value,
                    signed_on=signed_on,
                    period_start=period_start,
                    period_end=period_end,
                    status=ContractStatus.SIGNED,
                    publish_due_at=add_working_days(now, rule.contract_publish_working_days),
                    integrity_pledge=integrity_pledge,
                    decision=decision,
                    recorded_by=actor,
                    recorded_at=now,
                )
        except IntegrityError as exc:
            raise DomainError(_("Another contract already has this number."), field="number") from exc
        tender.status = TenderStatus.CONTRACTED
        tender.save(update_fields=["status", "updated_at"])
        record_event(
            action="contract.signed",
            target=contract,
            actor=actor,
            park=tender.park,
            data={
                "tender": tender.pk,
                "number": contract.number,
                "value": value,
                "signed_on": signed_on,
                "integrity_pledge": integrity_pledge.pk,
                "decision": contract.decision_id,
                "publish_due_at": contract.publish_due_at,
                **lateness,
            },
        )
        record_event(
            action="tender.contracted",
            target=tender,
            actor=actor,
            park=tender.park,
            data={"before": {"status": "announced"}, "after": {"status": "contracted"}, "contract": contract.pk},
        )
        schedule_flag_check(tender, "contract")
    return contract


def contract_publish(*, contract, actor, now=None):
    """Publish the signed contract on its public page (within `contract_publish_working_days`).

    May call: the park's procurement officers and administrators. Records lateness against
    `publish_due_at`. Audit: ``contract.published``."""
    now = now or timezone.now()
    _require_runner(actor, contract.park_id)
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if contract.status != ContractStatus.SIGNED:
            raise Conflict(_("Only a signed, unpublished contract can be published."), code="not_signed")
        contract.status = ContractStatus.PUBLISHED
        contract.published_at = now
        contract.save(update_fields=["status", "published_at"])
        record_event(
            action="contract.published",
            target=contract,
            actor=actor,
            park=contract.park_id,
            data={
                "before": {"status": "signed"},
                "after": {"status": "published"},
                **lateness_data(contract.publish_due_at, now),
            },
        )
    return contract


def amendment_room(contract):
    """(cap, used) in yuan: the most the supplementary contracts may add, and what they already add."""
    rule = method_rule(contract.park_id, contract.tender.method)
    cap = (contract.value * rule.supplementary_cap_percent / 100).quantize(Decimal("0.01"))
    used = sum((a.value_change for a in contract.amendments.all() if a.value_change > 0), Decimal(0))
    return cap, used


def contract_amend(*, contract, actor, value_change, reason, signed_on, now=None):
    """Record a supplementary contract (补充合同) with its change of value and reason.

    May call: the park's procurement officers and administrators. Refuses a terminated contract, an empty
    reason, a zero change, a future signing date, increases that together would exceed the method's cap
    (default 10 % of the original value), and an open blocking red flag. Audit: ``contract.amended``. Queues
    the red-flag check ("amendment")."""
    now = now or timezone.now()
    _require_runner(actor, contract.park_id)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the supplementary contract."), field="reason")
    try:
        value_change = Decimal(str(value_change))
    except ArithmeticError as exc:
        raise DomainError(_("Give the change of value in yuan."), field="value_change") from exc
    if value_change == 0:
        raise DomainError(_("A supplementary contract changes the value."), field="value_change")
    if signed_on is None or signed_on > timezone.localdate(now):
        raise DomainError(_("The signing date cannot be in the future."), field="signed_on")
    with transaction.atomic():
        contract = Contract.objects.select_for_update().select_related("tender", "park").get(pk=contract.pk)
        if contract.status == ContractStatus.TERMINATED:
            raise Conflict(_("The contract is terminated."), code="terminated")
        refuse_if_blocked(contract.tender)
        cap, used = amendment_room(contract)
        if value_change > 0 and used + value_change > cap:
            raise DomainError(
                _(
                    "Supplementary contracts may add at most %(cap)s yuan (%(percent)s %% of the original value); "
                    "%(used)s yuan are already added, so at most %(left)s yuan more."
                )
                % {
                    "cap": cap,
                    "percent": method_rule(contract.park_id, contract.tender.method).supplementary_cap_percent,
                    "used": used,
                    "left": max(cap - used, Decimal(0)),
                },
                field="value_change",
                code="amendment_cap",
            )
        amendment = ContractAmendment.objects.create(
            contract=contract,
            value_change=value_change,
            reason=reason,
            signed_on=signed_on,
            recorded_by=actor,
            recorded_at=now,
        )
        record_event(
            action="contract.amended",
            target=contract,
            actor=actor,
            park=contract.park_id,
            data={
                "amendment": amendment.pk,
                "value_change": value_change,
                "reason": reason,
                "added_before": used,
                "cap": cap,
            },
        )
        schedule_flag_check(contract.tender, "amendment")
    return amendment
