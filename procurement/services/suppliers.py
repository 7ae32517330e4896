"""Suppliers (供应商): registration with qualifications, the procurement officer's decisions, expiry reminders.

Choices where the issue is silent:
- An enterprise user registers one of their *verified* enterprises in any active park (by default its own);
  a registration is unique per park and enterprise. A rejected supplier may apply again (back to pending);
  a blacklisted one never.
- Approval needs at least one qualification that has not expired. Reasons are required for every decision
  but approval.
- Qualifications can be added at any time (a renewal is a new qualification); they are not re-reviewed, but
  an expired one stops bidding (`supplier_can_bid`) until a valid one of the same type is added.
- Expiry reminders go to the enterprise's users at 30 and 7 days before expiry and on the day it expires
  (threshold 0, also to the park's procurement officers). Only the most urgent threshold that applies is
  sent, each once (`QualificationReminder`'s unique constraint), so a qualification entered 5 days before
  expiry gets the 7-day reminder only. Rejected and blacklisted suppliers get none.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.notifications import notify
from parks.models import EnterpriseMembership, Park
from procurement.choices import SUPPLIER_TRANSITIONS, QualificationKind, SupplierStatus, check_transition
from procurement.models import Qualification, QualificationReminder, Supplier
from procurement.selectors.access import can_run_procurement, procurement_officers, supplier_enterprise_ids

REMINDER_THRESHOLDS = (30, 7, 0)
MAX_TEXT = 4000


def _required(value, field, message):
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="required", field=field)
    return value


def _snapshot(supplier):
    return {"status": supplier.status, "reason": supplier.status_reason}


def enterprise_users(enterprise):
    """The active users acting for `enterprise` (they are told about its supplier decisions)."""
    from django.contrib.auth import get_user_model

    ids = EnterpriseMembership.objects.filter(enterprise=enterprise).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True)


def _supplier_url(supplier):
    return reverse("procurement:my-suppliers")


def _check_qualification_values(kind, number, issuer, expires_on, issued_on, today):
    if kind not in QualificationKind.values:
        raise DomainError(_("Choose the type of the qualification."), code="invalid_kind", field="kind")
    number = _required(number, "number", _("Give the qualification's number."))
    issuer = _required(issuer, "issuer", _("Say who issued the qualification."))
    if expires_on is not None and expires_on < today:
        raise DomainError(
            _("This qualification expired on %(date)s: add a valid one.") % {"date": expires_on.isoformat()},
            code="qualification_expired",
            field="expires_on",
        )
    if issued_on is not None and issued_on > today:
        raise DomainError(_("The issue date cannot be in the future."), code="issued_in_future", field="issued_on")
    if issued_on is not None and expires_on is not None and issued_on > expires_on:
        raise DomainError(
            _("The qualification cannot expire before it was issued."), code="expires_before_issue", field="expires_on"
        )
    return number, issuer


def _create_qualification(*, supplier, actor, kind, number, issuer, expires_on, issued_on, name, files, now):
    number, issuer = _check_qualification_values(kind, number, issuer, expires_on, issued_on, timezone.localdate(now))
    qualification = Qualification.objects.create(
        supplier=supplier,
        kind=kind,
        name=(name or "").strip()[:200],
        number=number[:100],
        issuer=issuer[:200],
        issued_on=issued_on,
        expires_on=expires_on,
        created_at=now,
    )
    attached = _attach_documents(qualification, actor, files)
    record_event(
        action="qualification.added",
        target=qualification,
        actor=actor,
        park=supplier.park_id,
        data={
            "supplier": supplier.pk,
            "after": {
                "kind": kind,
                "number": qualification.number,
                "issuer": qualification.issuer,
                "issued_on": issued_on,
                "expires_on": expires_on,
            },
            "documents": [a.pk for a in attached],
        },
        at=now,
    )
    return qualification


def _attach_documents(qualification, actor, files):
    from core.services import attachment_attach, attachment_create

    attached = []
    for item in files or ():
        if hasattr(item, "token"):  # an Attachment uploaded earlier (API)
            attached.append(attachment_attach(attachment=item, target=qualification, actor=actor))
        else:
            park = qualification.supplier.park
            attached.append(attachment_create(file=item, actor=actor, park=park, target=qualification))
    return attached


def supplier_register(*, enterprise, park, actor, business_scope, categories="", qualifications=(), now=None):
    """Register `enterprise` as a supplier of `park`, with its qualifications; returns the `Supplier`.

    `qualifications` is a sequence of dicts with the keyword arguments of `qualification_add` (kind, number,
    issuer, expires_on, and optionally issued_on, name, files).

    May call: a user acting for the verified enterprise. Refuses an inactive park, an empty business scope,
    no qualification, an expired qualification, a registration that already exists (unless it was rejected:
    then it is filed again, back to pending) and a blacklisted enterprise. Records ``supplier.registered``
    (or ``supplier.reapplied``) and one ``qualification.added`` per qualification; tells the park's
    procurement officers.
    """
    now = now or timezone.now()
    if enterprise.pk not in supplier_enterprise_ids(actor):
        raise PermissionDenied(_("Only a user of this verified enterprise can register it as a supplier."))
    if not isinstance(park, Park) or not park.is_active:
        raise DomainError(_("Choose an active park."), code="invalid_park", field="park")
    business_scope = _required(business_scope, "business_scope", _("Describe the goods, services or works offered."))
    if len(business_scope) > MAX_TEXT:
        raise DomainError(_("The business scope is too long."), code="too_long", field="business_scope")
    qualifications = list(qualifications or ())
    if not qualifications:
        raise DomainError(
            _("Add at least one qualification (for example the business licence)."),
            code="qualification_required",
            field="qualifications",
        )
    with transaction.atomic():
        existing = Supplier.objects.select_for_update().filter(park=park, enterprise=enterprise).first()
        if existing is not None:
            if existing.status != SupplierStatus.REJECTED:
                raise Conflict(
                    _("%(enterprise)s is already registered as a supplier of %(park)s (%(status)s).")
                    % {"enterprise": enterprise.name, "park": park.name, "status": existing.get_status_display()},
                    code="supplier_exists",
                )
            before = _snapshot(existing)
            check_transition(SUPPLIER_TRANSITIONS, existing.status, SupplierStatus.PENDING, _("The supplier"))
            supplier = existing
            supplier.status = SupplierStatus.PENDING
            supplier.business_scope = business_scope
            supplier.categories = (categories or "").strip()[:200]
            supplier.status_reason = ""
            supplier.status_changed_at = now
            supplier.status_changed_by = actor
            supplier.registered_by = actor
            supplier.registered_at = now
            supplier.save(
                update_fields=[
                    "status",
                    "business_scope",
                    "categories",
                    "status_reason",
                    "status_changed_at",
                    "status_changed_by",
                    "registered_by",
                    "registered_at",
                ]
            )
            action = "supplier.reapplied"
        else:
            before = None
            supplier = Supplier.objects.create(
                park=park,
                enterprise=enterprise,
                status=SupplierStatus.PENDING,
                business_scope=business_scope,
                categories=(categories or "").strip()[:200],
                registered_by=actor,
                registered_at=now,
                status_changed_at=now,
                status_changed_by=actor,
            )
            action = "supplier.registered"
        record_event(
            action=action,
            target=supplier,
            actor=actor,
            park=park,
            data={"enterprise": enterprise.pk, "before": before, "after": _snapshot(supplier)},
            at=now,
        )
        for values in qualifications:
            values = dict(values)
            _create_qualification(
                supplier=supplier,
                actor=actor,
                kind=values.get("kind"),
                number=values.get("number"),
                issuer=values.get("issuer"),
                expires_on=values.get("expires_on"),
                issued_on=values.get("issued_on"),
                name=values.get("name", ""),
                files=values.get("files", ()),
                now=now,
            )
        notify(
            recipients=procurement_officers(park),
            kind="supplier.registered",
            title=_t("%(enterprise)s applies to be a supplier") % {"enterprise": enterprise.name},
            body=business_scope,
            url=reverse("procurement:supplier-detail", args=[supplier.pk]),
            park=park,
        )
    return supplier


def qualification_add(
    *, supplier, actor, kind, number, issuer, expires_on, issued_on=None, name="", files=(), now=None
):
    """Add a qualification (licence, certificate …) with its documents to a supplier; returns it.

    May call: a user acting for the supplier's enterprise. Refuses a blacklisted supplier, an unknown type,
    a missing number or issuer, an expiry in the past and an issue date after the expiry or in the future.
    Each document is checked and stored by `core.attachments`. Records ``qualification.added``.
    """
    now = now or timezone.now()
    if supplier.enterprise_id not in supplier_enterprise_ids(actor):
        raise PermissionDenied(_("Only a user of the supplier's enterprise can add its qualifications."))
    with transaction.atomic():
        supplier = Supplier.objects.select_for_update().select_related("park").get(pk=supplier.pk)
        if supplier.status == SupplierStatus.BLACKLISTED:
            raise Conflict(_("This supplier is blacklisted."), code="supplier_blacklisted")
        qualification = _create_qualification(
            supplier=supplier,
            actor=actor,
            kind=kind,
            number=number,
            issuer=issuer,
            expires_on=expires_on,
            issued_on=issued_on,
            name=name,
            files=files,
            now=now,
        )
    return qualification


# --- the procurement officer's decisions ----------------------------------------------------------------------

_DECISIONS = {
    # verb: (target status, audit action, reason required)
    "approve": (SupplierStatus.APPROVED, "supplier.approved", False),
    "reject": (SupplierStatus.REJECTED, "supplier.rejected", True),
    "suspend": (SupplierStatus.SUSPENDED, "supplier.suspended", True),
    "blacklist": (SupplierStatus.BLACKLISTED, "supplier.blacklisted", True),
    "reinstate": (SupplierStatus.APPROVED, "supplier.reinstated", True),
}


def _decision_title(verb, supplier):
    names = {"enterprise": supplier.enterprise.name, "park": supplier.park.name}
    titles = {
        "approve": _t("%(enterprise)s is an approved supplier of %(park)s"),
        "reject": _t("The supplier registration of %(enterprise)s in %(park)s was rejected"),
        "suspend": _t("%(enterprise)s is suspended as a supplier of %(park)s"),
        "blacklist": _t("%(enterprise)s is blacklisted as a supplier of %(park)s"),
        "reinstate": _t("%(enterprise)s is reinstated as a supplier of %(park)s"),
    }
    return titles[verb] % names


def _decide(verb, *, supplier, actor, reason, now=None):
    target, action, reason_required = _DECISIONS[verb]
    now = now or timezone.now()
    with transaction.atomic():
        supplier = Supplier.objects.select_for_update().select_related("park", "enterprise").get(pk=supplier.pk)
        if not can_run_procurement(actor, supplier.park):
            raise PermissionDenied(_("Only the park's procurement officers decide on its suppliers."))
        if verb == "reinstate" and supplier.status != SupplierStatus.SUSPENDED:
            raise Conflict(_("Only a suspended supplier can be reinstated."), code="invalid_transition")
        if verb == "approve" and supplier.status != SupplierStatus.PENDING:
            raise Conflict(_("Only a supplier pending approval can be approved."), code="invalid_transition")
        check_transition(SUPPLIER_TRANSITIONS, supplier.status, target, _("The supplier"))
        reason = (reason or "").strip()
        if reason_required and not reason:
            raise DomainError(_("Give the reason for this decision."), code="required", field="reason")
        if target == SupplierStatus.APPROVED:
            today = timezone.localdate(now)
            if not any(q.is_valid(today) for q in supplier.qualifications.all()):
                raise Conflict(
                    _("The supplier has no valid qualification: it cannot be approved."),
                    code="no_valid_qualification",
                )
        before = _snapshot(supplier)
        supplier.status = target
        supplier.status_reason = reason
        supplier.status_changed_at = now
        supplier.status_changed_by = actor
        supplier.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"])
        record_event(
            action=action,
            target=supplier,
            actor=actor,
            park=supplier.park_id,
            data={"before": before, "after": _snapshot(supplier)},
            at=now,
        )
        notify(
            recipients=enterprise_users(supplier.enterprise),
            kind=action,
            title=_decision_title(verb, supplier),
            body=reason,
            url=_supplier_url(supplier),
            park=supplier.park,
        )
    return supplier


def supplier_approve(*, supplier, actor, reason="", now=None):
    """Approve a pending supplier (it may bid from now on). The park's procurement officers and
    administrators. Refuses a supplier not pending or without a valid qualification. Records
    ``supplier.approved`` and tells the enterprise's users."""
    return _decide("approve", supplier=supplier, actor=actor, reason=reason, now=now)


def supplier_reject(*, supplier, actor, reason="", now=None):
    """Reject a pending registration, with the reason (the enterprise may apply again). Records
    ``supplier.rejected`` and tells the enterprise's users."""
    return _decide("reject", supplier=supplier, actor=actor, reason=reason, now=now)


def supplier_suspend(*, supplier, actor, reason="", now=None):
    """Suspend an approved supplier, with the reason: it cannot bid until reinstated. Records
    ``supplier.suspended`` and tells the enterprise's users."""
    return _decide("suspend", supplier=supplier, actor=actor, reason=reason, now=now)


def supplier_blacklist(*, supplier, actor, reason="", now=None):
    """Blacklist an approved or suspended supplier, with the reason: for good. Records
    ``supplier.blacklisted`` and tells the enterprise's users."""
    return _decide("blacklist", supplier=supplier, actor=actor, reason=reason, now=now)


def supplier_reinstate(*, supplier, actor, reason="", now=None):
    """Reinstate a suspended supplier, with the reason. Records ``supplier.reinstated`` and tells the
    enterprise's users."""
    return _decide("reinstate", supplier=supplier, actor=actor, reason=reason, now=now)


# --- expiry reminders -------------------------------------------------------------------------------------------


def _threshold_for(days_left):
    """The most urgent reminder threshold that applies `days_left` days before expiry, or None."""
    for threshold in sorted(REMINDER_THRESHOLDS):
        if days_left <= threshold:
            return threshold
    return None


def qualification_reminders_send(*, today=None, now=None):
    """Send the expiry reminders that are due (30 and 7 days before, and on expiry); returns how many.

    Called by the daily beat task. Each (qualification, threshold) is sent once, whoever runs at the same
    time: the reminder row is created first and its unique constraint decides. Records
    ``qualification.reminded``.
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    horizon = today + dt.timedelta(days=max(REMINDER_THRESHOLDS))
    candidates = (
        Qualification.objects.filter(expires_on__isnull=False, expires_on__lte=horizon)
        .filter(supplier__status__in=[SupplierStatus.PENDING, SupplierStatus.APPROVED, SupplierStatus.SUSPENDED])
        .select_related("supplier", "supplier__park", "supplier__enterprise")
        .order_by("expires_on", "pk")
    )
    sent = 0
    for qualification in candidates:
        days_left = (qualification.expires_on - today).days
        threshold = _threshold_for(days_left)
        if threshold is None:
            continue
        with transaction.atomic():
            reminder, created = QualificationReminder.objects.get_or_create(
                qualification=qualification, threshold_days=threshold, defaults={"sent_at": now}
            )
            if not created:
                continue
            supplier = qualification.supplier
            names = {
                "kind": qualification.get_kind_display(),
                "number": qualification.number,
                "date": qualification.expires_on.isoformat(),
                "enterprise": supplier.enterprise.name,
            }
            if threshold == 0:
                title = _t("Qualification %(kind)s %(number)s of %(enterprise)s expires on %(date)s") % names
                recipients = [*enterprise_users(supplier.enterprise), *procurement_officers(supplier.park)]
            else:
                title = _t(
                    "Qualification %(kind)s %(number)s of %(enterprise)s expires in %(days)s days, on %(date)s"
                ) % {**names, "days": days_left}
                recipients = list(enterprise_users(supplier.enterprise))
            notify(
                recipients=recipients,
                kind="qualification.expiring",
                title=title,
                body=_t("An expired qualification stops the supplier from bidding: add the renewed one in time."),
                url=_supplier_url(supplier),
                park=supplier.park,
            )
            record_event(
                action="qualification.reminded",
                target=qualification,
                actor=None,
                park=supplier.park_id,
                data={"threshold_days": threshold, "days_left": days_left, "recipients": len(recipients)},
                at=now,
            )
            sent += 1
    return sent
