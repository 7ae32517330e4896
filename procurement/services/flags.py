"""Red flags: computing them (after opening, award and every contract amendment) and deciding them.

- `schedule_flag_check(tender, trigger)` queues the computation after the caller's transaction commits; the
  services of the opening, the award, the contract and its amendments call it.
- `flags_compute(*, tender_id, trigger)` (the Celery task's body) runs the checks of
  `procurement.redflags.CHECKS_BY_TRIGGER[trigger]` and creates one `RedFlag` per new fingerprint; a flag that
  exists already — open, confirmed or dismissed — is left alone, so a decided flag is never re-opened and
  running twice creates nothing more.
- `flag_confirm` / `flag_dismiss`: a discipline officer of the flag's park decides an open flag.

Choices where the issue text is silent:

- A confirmed flag goes to the register of the tender's buying department (or, without one, the department of
  the official who created the tender; else the officer names it). If that department already has an active
  procurement risk (open, controlled or accepted; the oldest first), its review is pulled forward
  ("a red flag was confirmed"); otherwise a new procurement risk is registered with source "red flag", the
  tender number and the flag's kind as its reference, graded likelihood 4 × impact 4 for legal breaches and
  declared interests, 3 × 3 for the other kinds (the register's people regrade it at its first review).
- Notified of a new flag: the park's discipline officers; of a new blocking flag also the park's procurement
  officers, because their next step is refused until it is decided. The audit event of a flag with restricted
  evidence (declared interests) carries no evidence: the trail is read by auditors.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import DomainError, PermissionDenied
from core.notifications import notify
from procurement.choices import FLAG_TRANSITIONS, FlagKind, FlagStatus, check_transition
from procurement.models import RedFlag, Tender
from procurement.redflags import CHECKS_BY_TRIGGER, findings_for
from procurement.selectors.access import park_discipline_officers, procurement_officers
from procurement.selectors.flags import can_decide_flag

TRIGGERS = tuple(CHECKS_BY_TRIGGER)
SEVERE_KINDS = frozenset({FlagKind.RELATED_BIDDERS, FlagKind.EVALUATOR_LINKED, FlagKind.DECLARED_INTEREST})


def schedule_flag_check(tender, trigger):
    """Queue the red-flag computation for `tender` after the current transaction commits. `trigger` is one of
    "opening", "award", "contract", "amendment". Called by the services of those steps."""
    from procurement.tasks import compute_red_flags

    if trigger not in TRIGGERS:
        raise ValueError(f"unknown red-flag trigger {trigger!r}")
    tender_id = getattr(tender, "pk", tender)
    transaction.on_commit(lambda: compute_red_flags.delay(tender_id, trigger))


def _flag_url(flag):
    return reverse("procurement:flag-detail", kwargs={"pk": flag.pk})


def _snapshot(flag):
    return {
        "status": flag.status,
        "decided_by": flag.decided_by_id,
        "decided_at": flag.decided_at,
        "decision_reason": flag.decision_reason,
        "risk": flag.risk_id,
    }


def flags_compute(*, tender_id, trigger, now=None):
    """Run the checks of `trigger` on the tender and create the flags not raised before; returns the new ones.

    No actor: it runs as the system (the Celery task `compute_red_flags`). A missing tender computes nothing.
    Each new flag is created under its unique fingerprint (a concurrent run finds the row and skips it),
    records ``red_flag.raised`` and notifies the park's discipline officers (and, for a blocking flag, its
    procurement officers) after commit."""
    if trigger not in TRIGGERS:
        raise DomainError(_("Unknown red-flag trigger."), code="invalid_trigger", field="trigger")
    tender = Tender.objects.select_related("park").filter(pk=tender_id).first()
    if tender is None:
        return []
    now = now or timezone.now()
    created = []
    for finding in findings_for(tender, trigger):
        with transaction.atomic():
            flag, was_created = RedFlag.objects.get_or_create(
                fingerprint=finding.fingerprint,
                defaults={
                    "park": tender.park,
                    "tender": finding.tender,
                    "contract": finding.contract,
                    "supplier": finding.supplier,
                    "kind": finding.kind,
                    "blocking": finding.blocking,
                    "summary": str(finding.summary)[:300],
                    "evidence": finding.evidence,
                    "raised_at": now,
                },
            )
            if not was_created:
                continue
            record_event(
                action="red_flag.raised",
                target=flag,
                actor=None,
                park=tender.park,
                at=now,
                data={
                    "after": {"status": flag.status, "kind": flag.kind, "blocking": flag.blocking},
                    "trigger": trigger,
                    "tender": tender.number,
                    "summary": flag.summary,
                    "evidence": {} if finding.restricted else flag.evidence,
                },
            )
            _notify_raised(flag, tender)
            created.append(flag)
    return created


SWEEP_DAYS = 3


def flags_sweep(*, now=None, days=SWEEP_DAYS):
    """Run `flags_compute` again for every tender opened, awarded or contracted — or whose contract was amended —
    in the last `days` days (the task `sweep_red_flags`, daily). Catches computations a lost message left
    undone; creates nothing already raised. Returns the number of new flags."""
    from procurement.models import ContractAmendment

    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    runs = [(pk, "opening") for pk in Tender.objects.filter(opened_at__gte=since).values_list("pk", flat=True)]
    runs += [(pk, "award") for pk in Tender.objects.filter(award__decided_at__gte=since).values_list("pk", flat=True)]
    runs += [
        (pk, "contract") for pk in Tender.objects.filter(contract__recorded_at__gte=since).values_list("pk", flat=True)
    ]
    runs += [
        (pk, "amendment")
        for pk in ContractAmendment.objects.filter(recorded_at__gte=since)
        .values_list("contract__tender_id", flat=True)
        .distinct()
    ]
    return sum(len(flags_compute(tender_id=pk, trigger=trigger, now=now)) for pk, trigger in runs)


def _notify_raised(flag, tender):
    title = _t("Red flag on %(tender)s: %(kind)s") % {"tender": tender.number, "kind": flag.get_kind_display()}
    notify(
        recipients=park_discipline_officers(tender.park),
        kind="red_flag.raised",
        title=title,
        body=flag.summary,
        url=_flag_url(flag),
        park=tender.park,
    )
    if flag.blocking:
        notify(
            recipients=procurement_officers(tender.park),
            kind="red_flag.blocking",
            title=_t("%(tender)s is on hold until a discipline officer decides a red flag") % {"tender": tender.number},
            body=flag.summary,
            url=_flag_url(flag),
            park=tender.park,
        )


def _locked(flag):
    return RedFlag.objects.select_for_update(of=("self",)).select_related("park", "tender", "contract").get(pk=flag.pk)


def _check_decider(actor, flag):
    if not can_decide_flag(actor, flag):
        raise PermissionDenied(_("Only the park's discipline officers decide red flags."))


def flag_confirm(*, flag, actor, note="", department=None, now=None):
    """Confirm an open flag: it is a real warning sign. A discipline officer of the flag's park only.

    Raises or updates a procurement risk in the integrity register (see the module docstring: pulls forward the
    review of the department's active procurement risk, else registers one with source "red flag") and links
    it to the flag. `department` names the risk's department when the tender has no buying department and its
    creator none either. Refuses a flag already decided (Conflict). Records ``red_flag.confirmed``; the risk
    services record their own events."""
    now = now or timezone.now()
    with transaction.atomic():
        flag = _locked(flag)
        _check_decider(actor, flag)
        check_transition(FLAG_TRANSITIONS, flag.status, FlagStatus.CONFIRMED, _("This red flag"))
        before = _snapshot(flag)
        risk = _raise_or_update_risk(flag, actor=actor, department=department, note=note)
        flag.status = FlagStatus.CONFIRMED
        flag.decided_by = actor
        flag.decided_at = now
        flag.decision_reason = (note or "").strip()
        flag.risk = risk
        flag.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "risk"])
        record_event(
            action="red_flag.confirmed",
            target=flag,
            actor=actor,
            park=flag.park_id,
            at=now,
            data={"before": before, "after": _snapshot(flag)},
        )
    return flag


def flag_dismiss(*, flag, actor, reason, now=None):
    """Dismiss an open flag, with the reason (required): it is explained and needs no action. A discipline
    officer of the flag's park only; refuses a flag already decided. A dismissed blocking flag no longer holds
    the tender. Records ``red_flag.dismissed``."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the red flag is dismissed."), code="required", field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        flag = _locked(flag)
        _check_decider(actor, flag)
        check_transition(FLAG_TRANSITIONS, flag.status, FlagStatus.DISMISSED, _("This red flag"))
        before = _snapshot(flag)
        flag.status = FlagStatus.DISMISSED
        flag.decided_by = actor
        flag.decided_at = now
        flag.decision_reason = reason
        flag.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        record_event(
            action="red_flag.dismissed",
            target=flag,
            actor=actor,
            park=flag.park_id,
            at=now,
            data={"before": before, "after": _snapshot(flag)},
        )
    return flag


# --- the link into the integrity-risk register ------------------------------------------------------------


def flag_risk_department(flag):
    """The department a confirmed flag's risk belongs to: the tender's buying department, else the department
    of the official who created the tender; None when neither is known."""
    tender = flag.tender or (flag.contract.tender if flag.contract_id else None)
    if tender is None:
        return None
    if tender.buyer_department_id:
        return tender.buyer_department
    profile = getattr(tender.created_by, "staff_profile", None) if tender.created_by_id else None
    department = getattr(profile, "department", None)
    if department is not None and department.park_id == flag.park_id:
        return department
    return None


def _raise_or_update_risk(flag, *, actor, department, note):
    from integrity.choices_risk import ACTIVE_STATUSES, PullForwardReason, RiskArea, RiskSource
    from integrity.models import IntegrityRisk
    from integrity.services.risks import risk_create, risk_pull_review_forward

    department = department or flag_risk_department(flag)
    if department is None:
        raise DomainError(
            _("The tender names no buying department: choose the department the risk belongs to."),
            code="required",
            field="department",
        )
    if department.park_id != flag.park_id:
        raise DomainError(_("Choose a department of the park."), code="invalid_department", field="department")
    tender = flag.tender or flag.contract.tender
    extra = f"\n{note.strip()}" if (note or "").strip() else ""
    reference = f"{tender.number} · {flag.get_kind_display()}"
    existing = (
        IntegrityRisk.objects.filter(
            park_id=flag.park_id, department=department, area=RiskArea.PROCUREMENT, status__in=ACTIVE_STATUSES
        )
        .order_by("created_at", "id")
        .first()
    )
    if existing is not None:
        return risk_pull_review_forward(
            risk=existing,
            reason=PullForwardReason.RED_FLAG_CONFIRMED,
            actor=actor,
            note=f"{reference}: {flag.summary}{extra}",
        )
    severe = flag.kind in SEVERE_KINDS
    description = _t("Confirmed red flag on %(tender)s: %(summary)s") % {
        "tender": tender.number,
        "summary": flag.summary,
    }
    return risk_create(
        park=flag.park,
        department=department,
        actor=actor,
        post=_t("Procurement"),
        area=RiskArea.PROCUREMENT,
        title=(_t("Procurement red flag: %(kind)s") % {"kind": flag.get_kind_display()})[:200],
        description=description + extra,
        inherent_likelihood=4 if severe else 3,
        inherent_impact=4 if severe else 3,
        source=RiskSource.RED_FLAG,
        source_reference=reference[:200],
    )
