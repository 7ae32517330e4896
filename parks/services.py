"""Every state change of parks/: enterprise registration and review, statistics, department heads.

Each function runs in one transaction, checks who is acting, writes its audit event there, and queues its
notifications to be delivered after commit (`core.notifications.notify`).
"""

from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.notifications import notify
from core.roles import ENTERPRISE, PARK_ADMIN, has_role, is_platform_admin
from core.scoping import can_see_park
from parks.choices import STATISTIC_FIELDS, EnterpriseStatus, enterprise_can_move
from parks.models import Department, Enterprise, EnterpriseMembership, Park, ParkStatistic
from parks.selectors import enterprise_members, park_admins_of, platform_admins
from parks.validators import normalize_credit_code, validate_credit_code


def _check_credit_code(credit_code):
    """The normalised code, or a DomainError on the ``credit_code`` field saying what is wrong with it."""
    code = normalize_credit_code(credit_code)
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="credit_code_invalid", field="credit_code") from exc
    existing = Enterprise.objects.filter(credit_code=code).first()
    if existing is not None:
        if existing.status == EnterpriseStatus.REJECTED:
            raise Conflict(
                _(
                    "A registration with this credit code was rejected by the park. Please contact the park "
                    "administration before registering again."
                ),
                code="credit_code_rejected",
                field="credit_code",
            )
        raise Conflict(
            _("An enterprise with this unified social credit code is already registered."),
            code="credit_code_taken",
            field="credit_code",
        )
    return code


@contextmanager
def _duplicate_as_conflict():
    """Two registrations of the same code or username can race past the checks above; the unique
    constraints decide, and the loser gets a Conflict instead of a server error."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise Conflict(
            _("This enterprise or username was registered a moment ago. Please check and try again."),
            code="registration_conflict",
        ) from exc


def _check_park_admin(actor, park):
    """Refuse unless `actor` administers `park` (or is a platform administrator)."""
    if is_platform_admin(actor):
        return
    if not (has_role(actor, PARK_ADMIN) and can_see_park(actor, park)):
        raise PermissionDenied(_("Only an administrator of this park may do this."))


def _enterprise_snapshot(enterprise):
    return {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "status": enterprise.status,
        "park": enterprise.park.code,
    }


def enterprise_register(
    *,
    username,
    password,
    email,
    phone,
    display_name,
    park,
    name,
    credit_code,
    industry="",
    legal_representative="",
    contact_name="",
    contact_phone="",
    address="",
):
    """Self-registration of an enterprise (public, no actor): creates the user account in the ``enterprise``
    group, the enterprise (pending) and the user's administrator membership, and tells the park's
    administrators (the platform administrators when the park has none).

    Refuses an inactive park, an invalid or already registered credit code, a taken username and a weak
    password, each with a translated error naming the field. Audit action: ``enterprise.registered`` (the
    new user is the actor). Returns the enterprise.
    """
    User = get_user_model()
    username = (username or "").strip()
    name = (name or "").strip()
    if not username:
        raise DomainError(_("Please choose a username."), code="required", field="username")
    if not name:
        raise DomainError(_("Please enter the enterprise's name."), code="required", field="name")
    if not isinstance(park, Park) or not park.is_active:
        raise DomainError(_("Please choose a park that is open for registration."), code="park_invalid", field="park")
    with transaction.atomic():
        code = _check_credit_code(credit_code)
        if User.objects.filter(username__iexact=username).exists():
            raise Conflict(_("This username is already taken."), code="username_taken", field="username")
        user = User(username=username, email=email or "", phone=phone or "", display_name=display_name or "")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), code="password_invalid", field="password") from exc
        user.set_password(password)
        with _duplicate_as_conflict():
            user.save()
            enterprise = Enterprise.objects.create(
                park=park,
                name=name,
                credit_code=code,
                industry=industry,
                legal_representative=legal_representative,
                contact_name=contact_name or display_name or "",
                contact_phone=contact_phone or phone or "",
                contact_email=email or "",
                address=address,
                status=EnterpriseStatus.PENDING,
            )
        group, _created = Group.objects.get_or_create(name=ENTERPRISE)
        user.groups.add(group)
        EnterpriseMembership.objects.create(user=user, enterprise=enterprise, role=EnterpriseMembership.Role.ADMIN)
        record_event(
            action="enterprise.registered",
            target=enterprise,
            actor=user,
            park=park,
            data={"after": _enterprise_snapshot(enterprise), "username": user.username},
        )
        reviewers = list(park_admins_of(park)) or list(platform_admins())
        notify(
            recipients=reviewers,
            kind="enterprise.registered",
            title=_("New enterprise registration: %(name)s") % {"name": enterprise.name},
            body=_("%(name)s (%(code)s) registered in %(park)s and waits for verification.")
            % {"name": enterprise.name, "code": enterprise.credit_code, "park": park.name},
            url=reverse("parks:enterprise-detail", args=[enterprise.pk]),
            park=park,
        )
    return enterprise


def enterprise_create(
    *,
    park,
    name,
    credit_code,
    actor,
    industry="",
    legal_representative="",
    contact_name="",
    contact_phone="",
    contact_email="",
    address="",
):
    """An enterprise recorded by the park itself (already known to it, so verified at once).

    May be called by an administrator of `park` or a platform administrator. Refuses an invalid or already
    registered credit code. Audit action: ``enterprise.created``. Returns the enterprise.
    """
    _check_park_admin(actor, park)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Please enter the enterprise's name."), code="required", field="name")
    with transaction.atomic():
        code = _check_credit_code(credit_code)
        with _duplicate_as_conflict():
            enterprise = Enterprise.objects.create(
                park=park,
                name=name,
                credit_code=code,
                industry=industry,
                legal_representative=legal_representative,
                contact_name=contact_name,
                contact_phone=contact_phone,
                contact_email=contact_email,
                address=address,
                status=EnterpriseStatus.VERIFIED,
                verified_at=timezone.now(),
                verified_by=actor,
            )
        record_event(
            action="enterprise.created",
            target=enterprise,
            actor=actor,
            park=park,
            data={"after": _enterprise_snapshot(enterprise)},
        )
    return enterprise


def _review(*, enterprise, actor, target_status):
    """Lock `enterprise`, check the reviewer and the transition; returns the locked row and its old status."""
    locked = Enterprise.objects.select_for_update().select_related("park").get(pk=enterprise.pk)
    _check_park_admin(actor, locked.park)
    if not enterprise_can_move(locked.status, target_status):
        raise Conflict(
            _("This enterprise is %(status)s and cannot be reviewed again.") % {"status": locked.get_status_display()},
            code="transition_not_allowed",
        )
    return locked, locked.status


def enterprise_verify(*, enterprise, actor):
    """Verify a pending registration: its members may then act for the enterprise.

    May be called by an administrator of the enterprise's park or a platform administrator; refuses anyone
    else and an enterprise that is not pending. Audit action: ``enterprise.verified``. Tells the
    enterprise's members.
    """
    with transaction.atomic():
        locked, before = _review(enterprise=enterprise, actor=actor, target_status=EnterpriseStatus.VERIFIED)
        locked.status = EnterpriseStatus.VERIFIED
        locked.verified_at = timezone.now()
        locked.verified_by = actor
        locked.save(update_fields=["status", "verified_at", "verified_by"])
        record_event(
            action="enterprise.verified",
            target=locked,
            actor=actor,
            park=locked.park,
            data={"before": {"status": before}, "after": {"status": locked.status}},
        )
        notify(
            recipients=enterprise_members(locked),
            kind="enterprise.verified",
            title=_("%(name)s has been verified") % {"name": locked.name},
            body=_("The park has verified your enterprise. You can now act for it on the portal."),
            url=reverse("parks:enterprise-detail", args=[locked.pk]),
            park=locked.park,
        )
    return locked


def enterprise_reject(*, enterprise, actor, reason):
    """Reject a pending registration, with the reason the applicant is told.

    May be called by an administrator of the enterprise's park or a platform administrator; refuses anyone
    else, an empty reason, and an enterprise that is not pending. Audit action: ``enterprise.rejected``
    (with the reason). Tells the enterprise's members.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        locked, before = _review(enterprise=enterprise, actor=actor, target_status=EnterpriseStatus.REJECTED)
        if not reason:
            raise DomainError(_("Please give the reason for the rejection."), code="required", field="reason")
        locked.status = EnterpriseStatus.REJECTED
        locked.rejected_at = timezone.now()
        locked.rejection_reason = reason
        locked.save(update_fields=["status", "rejected_at", "rejection_reason"])
        record_event(
            action="enterprise.rejected",
            target=locked,
            actor=actor,
            park=locked.park,
            data={"before": {"status": before}, "after": {"status": locked.status}, "reason": reason},
        )
        notify(
            recipients=enterprise_members(locked),
            kind="enterprise.rejected",
            title=_("The registration of %(name)s was rejected") % {"name": locked.name},
            body=_("Reason: %(reason)s") % {"reason": reason},
            url=reverse("parks:enterprise-detail", args=[locked.pk]),
            park=locked.park,
        )
    return locked


def _as_decimal(value):
    if value is None or value == "":
        return None
    return Decimal(str(value))


def park_statistic_upsert(
    *, park, year, actor, period_kind=ParkStatistic.PeriodKind.YEAR, period_number=0, source="", **figures
):
    """Record (or correct) one period's figures of a park. `figures` are any of `STATISTIC_FIELDS`
    (亿元), ``enterprise_count`` and ``reported_growth`` (dict of published growth in percent).

    May be called by an administrator of `park` or a platform administrator. Refuses unknown figures, a
    period number that does not fit the period kind, and negative amounts. Audit action:
    ``park_statistic.updated`` with the values before and after — only when something changed, so
    re-importing the same figures is a no-op. Returns the statistic.
    """
    _check_park_admin(actor, park)
    allowed = {*STATISTIC_FIELDS, "enterprise_count", "reported_growth"}
    unknown = set(figures) - allowed
    if unknown:
        raise DomainError(
            _("Unknown figures: %(names)s.") % {"names": ", ".join(sorted(unknown))}, code="unknown_figure"
        )
    limits = {"year": (0, 0), "half": (1, 2), "quarter": (1, 4), "month": (1, 12)}
    low, high = limits.get(period_kind, (None, None))
    if low is None or not low <= int(period_number) <= high:
        raise DomainError(_("The period number does not fit the period."), code="period_invalid", field="period_number")
    values = {}
    for name, value in figures.items():
        if name in STATISTIC_FIELDS:
            value = _as_decimal(value)
            if value is not None and value < 0:
                raise DomainError(_("Amounts cannot be negative."), code="negative", field=name)
        elif name == "reported_growth":
            value = {k: float(v) for k, v in (value or {}).items() if k in STATISTIC_FIELDS and v is not None}
        values[name] = value
    values["source"] = source
    with transaction.atomic():
        statistic, created = ParkStatistic.objects.select_for_update().get_or_create(
            park=park, year=year, period_kind=period_kind, period_number=period_number, defaults=values
        )
        if created:
            before = {}
            changed = list(values)
        else:
            before = {name: getattr(statistic, name) for name in values}
            changed = [name for name, value in values.items() if before[name] != value]
            if not changed:
                return statistic
            for name in changed:
                setattr(statistic, name, values[name])
            statistic.save(update_fields=changed)
        record_event(
            action="park_statistic.updated",
            target=statistic,
            actor=actor,
            park=park,
            data={
                "period": [statistic.year, statistic.period_kind, statistic.period_number],
                "before": {name: before.get(name) for name in changed} if before else {},
                "after": {name: values[name] for name in changed},
            },
        )
    return statistic


def department_set_head(*, department, head, actor):
    """Make `head` (a user, or None) the head of `department`.

    May be called by an administrator of the department's park or a platform administrator; refuses a head
    who is not staff of that park. Audit action: ``department.head_changed`` — only when the head changes.
    """
    with transaction.atomic():
        locked = Department.objects.select_for_update().select_related("park").get(pk=department.pk)
        _check_park_admin(actor, locked.park)
        if head is not None and not can_see_park(head, locked.park):
            raise DomainError(
                _("The head of a department must be a staff member of its park."), code="head_invalid", field="head"
            )
        if locked.head_id == getattr(head, "pk", None):
            return locked
        before = locked.head_id
        locked.head = head
        locked.save(update_fields=["head"])
        record_event(
            action="department.head_changed",
            target=locked,
            actor=actor,
            park=locked.park,
            data={"before": {"head": before}, "after": {"head": getattr(head, "pk", None)}},
        )
    return locked
