"""State changes of the declarations: writing them, the review (submit, accept, return, require an action,
report the action) and the reminders.

Confidential content never goes into the audit trail's data: content changes record the names of the fields
changed; transitions record statuses, dates, flag codes and the reviewer's reason.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import DomainError, PermissionDenied
from core.notifications import notify
from integrity import deadlines
from integrity.business import open_business_with
from integrity.choices import (
    EDITABLE_STATUSES,
    MONEY_LIKE_GIFT_KINDS,
    DeclarationFlag,
    DeclarationKind,
    DeclarationStatus,
    DeclarationTransition,
    FamilyEventKind,
    GiftHandling,
    InterestOutcome,
    RequiredAction,
    next_declaration_status,
)
from integrity.models import Declaration, DeclarationReminder
from integrity.models.declarations import KIND_MODELS
from integrity.selectors.access import can_review, discipline_officers, is_park_official
from integrity.selectors.settings import settings_for
from parks.validators import normalize_credit_code, validate_credit_code

GIFT_FIELDS = (
    "giver_name",
    "giver_enterprise",
    "giver_credit_code",
    "received_on",
    "gift_kind",
    "description",
    "estimated_value",
    "handling",
    "handled_on",
    "handling_note",
)
FAMILY_EVENT_FIELDS = (
    "event_kind",
    "person_concerned",
    "event_date",
    "venue",
    "tables",
    "guests",
    "invited_enterprises",
    "invited_others",
    "description",
)
INTEREST_FIELDS = (
    "relative_name",
    "relation",
    "enterprise_name",
    "credit_code",
    "role",
    "stake_percent",
    "start_date",
    "change_date",
    "change_description",
    "outcome",
    "ended_on",
)
REQUIRED = {
    DeclarationKind.GIFT: ("giver_name", "received_on", "gift_kind", "description", "estimated_value", "handling"),
    DeclarationKind.FAMILY_EVENT: ("event_kind", "person_concerned", "event_date", "venue"),
    DeclarationKind.INTEREST: ("relative_name", "relation", "enterprise_name", "credit_code", "role", "start_date"),
}
FIELDS = {
    DeclarationKind.GIFT: GIFT_FIELDS,
    DeclarationKind.FAMILY_EVENT: FAMILY_EVENT_FIELDS,
    DeclarationKind.INTEREST: INTEREST_FIELDS,
}
M2M_FIELDS = {"invited_enterprises"}


def _declaration_url(declaration):
    return reverse("integrity:declaration-detail", args=[declaration.pk])


def _require(condition, message, field, code="invalid"):
    if not condition:
        raise DomainError(message, field=field, code=code)


def _credit_code(value, field):
    code = normalize_credit_code(value)
    if not code:
        return ""
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field=field, code="credit_code") from exc
    return code


def _enterprise_by_code(code):
    from parks.models import Enterprise

    return Enterprise.objects.filter(credit_code=code).first() if code else None


# --- cleaning the content -------------------------------------------------------------------------------------


def _clean_gift(data, today):
    _require(data["received_on"] <= today, _("A gift cannot be received in the future."), "received_on")
    value = Decimal(data["estimated_value"])
    _require(value >= 0, _("The value cannot be negative."), "estimated_value")
    data["estimated_value"] = value
    if data["gift_kind"] in MONEY_LIKE_GIFT_KINDS:
        _require(
            data["handling"] == GiftHandling.HANDED_IN,
            _("Cash, shopping cards, vouchers and securities must always be handed in."),
            "handling",
            code="money_must_be_handed_in",
        )
    if data.get("handled_on"):
        _require(data["handled_on"] >= data["received_on"], _("A gift is handled after it is received."), "handled_on")
    code = _credit_code(data.get("giver_credit_code"), "giver_credit_code")
    enterprise = data.get("giver_enterprise")
    if enterprise is not None and not code:
        code = enterprise.credit_code
    elif code and (enterprise is None or enterprise.credit_code != code):
        enterprise = _enterprise_by_code(code)
    data["giver_credit_code"], data["giver_enterprise"] = code, enterprise


def _clean_family_event(data, today):
    _require(data["event_kind"] in FamilyEventKind.values, _("Unknown kind of event."), "event_kind")
    for name in ("tables", "guests"):
        data[name] = int(data.get(name) or 0)
        _require(data[name] >= 0, _("The number cannot be negative."), name)
    data["invited_enterprises"] = list(data.get("invited_enterprises") or ())
    data["invited_others"] = "\n".join(
        line.strip() for line in (data.get("invited_others") or "").splitlines() if line.strip()
    )


def _clean_interest(data, today):
    data["credit_code"] = _credit_code(data["credit_code"], "credit_code")
    _require(data["credit_code"], _("Enter the enterprise's unified social credit code."), "credit_code")
    data["enterprise"] = _enterprise_by_code(data["credit_code"])
    stake = data.get("stake_percent")
    if stake not in (None, ""):
        stake = Decimal(stake)
        _require(Decimal(0) <= stake <= Decimal(100), _("A stake is between 0 and 100 %."), "stake_percent")
        data["stake_percent"] = stake
    else:
        data["stake_percent"] = None
    if data.get("change_date"):
        _require(data["change_date"] >= data["start_date"], _("A change comes after the start."), "change_date")
    if data.get("ended_on"):
        _require(data["ended_on"] >= data["start_date"], _("The interest ends after it starts."), "ended_on")


CLEANERS = {
    DeclarationKind.GIFT: _clean_gift,
    DeclarationKind.FAMILY_EVENT: _clean_family_event,
    DeclarationKind.INTEREST: _clean_interest,
}


# --- derived values: due date and flags -----------------------------------------------------------------------


def _flag(code, detail=""):
    return {"code": str(code), "detail": str(detail)}


def compute_flags(declaration, rules):
    """The flags a discipline officer should see, from the content and the park's rules (lateness is added
    at the first submission and kept)."""
    detail = declaration.detail
    park = declaration.park
    flags = []
    if declaration.kind == DeclarationKind.GIFT:
        business = open_business_with(detail.giver_enterprise, park)
        if business:
            flags.append(_flag(DeclarationFlag.GIVER_OPEN_BUSINESS, "; ".join(business[:5])))
        if detail.handling == GiftHandling.KEPT_WITH_APPROVAL and detail.estimated_value > rules.gift_value_limit:
            flags.append(_flag(DeclarationFlag.GIFT_OVER_VALUE, f"¥{detail.estimated_value}"))
    elif declaration.kind == DeclarationKind.FAMILY_EVENT:
        if detail.tables > rules.family_event_max_tables or detail.guests > rules.family_event_max_guests:
            flags.append(_flag(DeclarationFlag.OVER_SCALE, f"{detail.tables}/{detail.guests}"))
        invited = _park_enterprises_invited(detail, park)
        if invited:
            flags.append(_flag(DeclarationFlag.PARK_ENTERPRISES_INVITED, "、".join(invited[:10])))
    elif (
        declaration.kind == DeclarationKind.INTEREST
        and detail.enterprise is not None
        and detail.enterprise.park_id == declaration.park_id
    ):
        flags.append(_flag(DeclarationFlag.INTEREST_IN_PARK_ENTERPRISE, detail.enterprise.name))
    if declaration.is_late:
        flags.append(_flag(DeclarationFlag.LATE, declaration.due_date or ""))
    return flags


def _park_enterprises_invited(detail, park):
    """Names of the park's enterprises among the invited: the linked ones, and the free-text lines that
    name one of them or give its credit code."""
    from parks.models import Enterprise

    names = [e.name for e in detail.invited_enterprises.all() if e.park_id == park.pk]
    lines = [line.strip() for line in (detail.invited_others or "").splitlines() if line.strip()]
    if lines:
        codes = [normalize_credit_code(line) for line in lines]
        matches = Enterprise.objects.filter(park=park).filter(Q(name__in=lines) | Q(credit_code__in=codes))
        names += [e.name for e in matches if e.name not in names]
    return names


def _derive(declaration, rules):
    declaration.due_date = deadlines.due_date_for(declaration, rules)
    declaration.flags = compute_flags(declaration, rules)
    declaration.is_flagged = bool(declaration.flags)


DERIVED_FIELDS = ["due_date", "flags", "is_flagged"]


# --- writing the content --------------------------------------------------------------------------------------


def _prepare(kind, data, today, *, partial_of=None):
    """Known fields only, the required ones present, then the kind's own checks."""
    unknown = set(data) - set(FIELDS[kind])
    if unknown:
        raise DomainError(_("Unknown field: %(names)s") % {"names": ", ".join(sorted(unknown))})
    merged = {}
    if partial_of is not None:
        for name in FIELDS[kind]:
            merged[name] = list(getattr(partial_of, name).all()) if name in M2M_FIELDS else getattr(partial_of, name)
    merged.update(data)
    for name in REQUIRED[kind]:
        value = merged.get(name)
        _require(value not in (None, ""), _("This field is required."), name, code="required")
    CLEANERS[kind](merged, today)
    return merged


def _declarant_post(user):
    return (getattr(getattr(user, "staff_profile", None), "position", "") or "")[:200]


def _declaration_create(*, kind, park, actor, data):
    if not is_park_official(actor, park):
        raise PermissionDenied(_("Only officials of the park file declarations there."))
    today = timezone.localdate()
    cleaned = _prepare(kind, data, today)
    m2m = {name: cleaned.pop(name) for name in list(cleaned) if name in M2M_FIELDS}
    rules = settings_for(park)
    model = KIND_MODELS[kind]
    with transaction.atomic():
        declaration = model(
            park=park,
            kind=kind,
            declarant=actor,
            declarant_post=_declarant_post(actor),
            status=DeclarationStatus.DRAFT,
            **cleaned,
        )
        declaration.due_date = deadlines.due_date_for(declaration, rules)
        declaration.save()
        for name, values in m2m.items():
            getattr(declaration, name).set(values)
        _derive(declaration, rules)
        declaration.save(update_fields=DERIVED_FIELDS)
        record_event(
            action="declaration.created",
            target=("integrity.declaration", declaration.pk),
            actor=actor,
            park=park,
            data={
                "kind": kind,
                "after": {"status": declaration.status, "due_date": declaration.due_date},
                "fields": sorted(data),
            },
        )
    return declaration


def _declaration_update(*, declaration, actor, data, kind):
    today = timezone.localdate()
    with transaction.atomic():
        locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if locked.kind != kind:
            raise DomainError(_("This is not a declaration of that kind."))
        if locked.declarant_id != actor.pk:
            raise PermissionDenied(_("Only the declarant can change a declaration."))
        if locked.status not in EDITABLE_STATUSES:
            raise DomainError(
                _("A declaration can be changed only as a draft or when it was returned for correction."),
                code="not_editable",
                kind="conflict",
            )
        detail = KIND_MODELS[kind].objects.select_related("park").get(pk=locked.pk)
        cleaned = _prepare(kind, data, today, partial_of=detail)
        changed = []
        for name, value in cleaned.items():
            if name in M2M_FIELDS:
                current = {e.pk for e in getattr(detail, name).all()}
                if current != {getattr(e, "pk", e) for e in value}:
                    getattr(detail, name).set(value)
                    changed.append(name)
            elif getattr(detail, name) != value:
                setattr(detail, name, value)
                changed.append(name)
        if not changed:
            return detail
        rules = settings_for(detail.park)
        _derive(detail, rules)
        detail.updated_at = timezone.now()
        detail.save(update_fields=[n for n in changed if n not in M2M_FIELDS] + DERIVED_FIELDS + ["updated_at"])
        record_event(
            action="declaration.updated",
            target=locked,
            actor=actor,
            park=detail.park_id,
            data={"fields": sorted(changed), "after": {"due_date": detail.due_date}},
        )
    return detail


def gift_declaration_create(*, park, actor, data):
    """An official registers a gift, money or hospitality received (礼品礼金登记) as a draft.

    `data` holds the fields of `GIFT_FIELDS`. Refuses anyone but an official of the park, a gift received in
    the future, and money or its equivalents not handed in (``money_must_be_handed_in``); links the giver's
    enterprise by its credit code. Audit: ``declaration.created``."""
    return _declaration_create(kind=DeclarationKind.GIFT, park=park, actor=actor, data=data)


def gift_declaration_update(*, declaration, actor, data):
    """The declarant changes a draft or returned gift declaration; same checks as creating it.
    Audit: ``declaration.updated`` (the names of the fields changed)."""
    return _declaration_update(declaration=declaration, actor=actor, data=data, kind=DeclarationKind.GIFT)


def family_event_declaration_create(*, park, actor, data):
    """An official reports a wedding, funeral or other family celebration (婚丧喜庆事宜报告) as a draft.

    `data` holds the fields of `FAMILY_EVENT_FIELDS` (``invited_enterprises``: Enterprise rows). Refuses anyone
    but an official of the park. Flags an event over the park's scale cap or with enterprises of the park
    invited. Audit: ``declaration.created``."""
    return _declaration_create(kind=DeclarationKind.FAMILY_EVENT, park=park, actor=actor, data=data)


def family_event_declaration_update(*, declaration, actor, data):
    """The declarant changes a draft or returned family event report. Audit: ``declaration.updated``."""
    return _declaration_update(declaration=declaration, actor=actor, data=data, kind=DeclarationKind.FAMILY_EVENT)


def interest_declaration_create(*, park, actor, data):
    """An official declares a relative's business (亲属经商办企业报告) as a draft; it counts for recusal at
    once (see `officials_with_declared_interest`).

    `data` holds the fields of `INTEREST_FIELDS`. Refuses anyone but an official of the park and an invalid
    统一社会信用代码; links the enterprise by its code. Audit: ``declaration.created``."""
    return _declaration_create(kind=DeclarationKind.INTEREST, park=park, actor=actor, data=data)


def interest_declaration_update(*, declaration, actor, data):
    """The declarant changes a draft or returned interest declaration. Audit: ``declaration.updated``."""
    return _declaration_update(declaration=declaration, actor=actor, data=data, kind=DeclarationKind.INTEREST)


# --- the review -----------------------------------------------------------------------------------------------


def _lock(declaration):
    locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
    return KIND_MODELS[locked.kind].objects.select_related("park", "declarant").get(pk=locked.pk), locked


def _check_reviewer(actor, declaration):
    if not can_review(actor, declaration):
        if declaration.declarant_id == actor.pk:
            raise PermissionDenied(_("You cannot review your own declaration."))
        raise PermissionDenied(_("Only a discipline officer of the park reviews declarations."))


def _status_event(audit_action, declaration, actor, before, **extra):
    record_event(
        action=audit_action,
        target=("integrity.declaration", declaration.pk),
        actor=actor,
        park=declaration.park_id,
        data={"before": {"status": before}, "after": {"status": declaration.status}, **extra},
    )


def _notify_declarant(declaration, title):
    notify(
        recipients=[declaration.declarant],
        kind="declaration.reviewed",
        title=title,
        body=_t("%(kind)s #%(id)s") % {"kind": declaration.get_kind_display(), "id": declaration.pk},
        url=_declaration_url(declaration),
        park=declaration.park,
    )


def declaration_submit(*, declaration, actor, now=None):
    """The declarant sends a draft, or a declaration returned for correction, to the discipline office.

    Refuses anyone but the declarant, a transition the table forbids, and a wedding or celebration reported
    earlier than the park's window allows (``too_early``). Fixes the due date and lateness at the first
    submission and refreshes the flags (e.g. the giver's open business with the park). Notifies the park's
    discipline officers. Audit: ``declaration.submitted``."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        detail, _locked = _lock(declaration)
        if detail.declarant_id != actor.pk:
            raise PermissionDenied(_("Only the declarant can submit a declaration."))
        before = detail.status
        new_status = next_declaration_status(before, DeclarationTransition.SUBMIT)
        rules = settings_for(detail.park)
        if detail.kind == DeclarationKind.FAMILY_EVENT:
            opens = deadlines.family_event_window_opens(detail.event_kind, detail.event_date, rules)
            if opens is not None and today < opens:
                raise DomainError(
                    _("A celebration is reported at most %(days)d days before it: submit it from %(date)s.")
                    % {"days": rules.wedding_max_days_before, "date": opens},
                    code="too_early",
                    field="event_date",
                )
        first = detail.first_submitted_at is None
        detail.due_date = deadlines.due_date_for(detail, rules)
        if first:
            detail.first_submitted_at = now
            detail.is_late = today > detail.due_date
        detail.flags = compute_flags(detail, rules)
        detail.is_flagged = bool(detail.flags)
        detail.status = new_status
        detail.submitted_at = now
        detail.response_due = None
        detail.updated_at = now
        detail.save(
            update_fields=[
                "status",
                "due_date",
                "first_submitted_at",
                "is_late",
                "flags",
                "is_flagged",
                "submitted_at",
                "response_due",
                "updated_at",
            ]
        )
        _status_event(
            "declaration.submitted",
            detail,
            actor,
            before,
            due_date=detail.due_date,
            is_late=detail.is_late,
            flags=[f["code"] for f in detail.flags],
        )
        notify(
            recipients=[u for u in discipline_officers(detail.park) if u.pk != actor.pk],
            kind="declaration.submitted",
            title=_t("Declaration awaiting review: %(kind)s") % {"kind": detail.get_kind_display()},
            body=_t("Declaration #%(id)s, submitted %(date)s.") % {"id": detail.pk, "date": today},
            url=_declaration_url(detail),
            park=detail.park,
        )
    return detail


def declaration_accept(*, declaration, actor, note="", now=None):
    """A discipline officer of the park accepts a submitted declaration (or one whose required action was
    reported). Refuses the declarant themself, officers of other parks and forbidden transitions.
    Audit: ``declaration.accepted``."""
    now = now or timezone.now()
    with transaction.atomic():
        detail, _locked = _lock(declaration)
        _check_reviewer(actor, detail)
        before = detail.status
        detail.status = next_declaration_status(before, DeclarationTransition.ACCEPT)
        detail.reviewer, detail.reviewed_at = actor, now
        detail.review_reason = (note or "").strip()
        detail.response_due = None
        detail.updated_at = now
        detail.save(update_fields=["status", "reviewer", "reviewed_at", "review_reason", "response_due", "updated_at"])
        _status_event("declaration.accepted", detail, actor, before, note=detail.review_reason)
        _notify_declarant(detail, _t("Your declaration was accepted"))
    return detail


def declaration_return(*, declaration, actor, reason, now=None):
    """A discipline officer of the park returns a submitted declaration for correction, with a reason; the
    declarant corrects it within the park's correction days and submits it again. Refuses an empty reason.
    Audit: ``declaration.returned``."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say what must be corrected."), field="reason", code="required")
    now = now or timezone.now()
    with transaction.atomic():
        detail, _locked = _lock(declaration)
        _check_reviewer(actor, detail)
        before = detail.status
        detail.status = next_declaration_status(before, DeclarationTransition.RETURN)
        rules = settings_for(detail.park)
        detail.reviewer, detail.reviewed_at = actor, now
        detail.review_reason = reason
        detail.returns_count += 1
        detail.response_due = timezone.localdate(now) + timedelta(days=rules.correction_days)
        detail.updated_at = now
        detail.save(
            update_fields=[
                "status",
                "reviewer",
                "reviewed_at",
                "review_reason",
                "returns_count",
                "response_due",
                "updated_at",
            ]
        )
        _status_event("declaration.returned", detail, actor, before, reason=reason, response_due=detail.response_due)
        _notify_declarant(detail, _t("Your declaration was returned for correction"))
    return detail


def declaration_require_action(*, declaration, actor, action, reason, now=None):
    """A discipline officer of the park requires the declarant to act — hand in or return the gift, recuse,
    the relative to exit, move post, reduce the event — with a reason and the park's action days.
    Refuses an unknown action and an empty reason. Audit: ``declaration.action_required``."""
    if action not in RequiredAction.values:
        raise DomainError(_("Choose the action required."), field="action")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the action is required."), field="reason", code="required")
    now = now or timezone.now()
    with transaction.atomic():
        detail, _locked = _lock(declaration)
        _check_reviewer(actor, detail)
        before = detail.status
        detail.status = next_declaration_status(before, DeclarationTransition.REQUIRE_ACTION)
        rules = settings_for(detail.park)
        detail.reviewer, detail.reviewed_at = actor, now
        detail.review_reason = reason
        detail.required_action = action
        detail.action_rounds += 1
        detail.action_report, detail.action_reported_at = "", None
        detail.response_due = timezone.localdate(now) + timedelta(days=rules.action_days)
        detail.updated_at = now
        detail.save(
            update_fields=[
                "status",
                "reviewer",
                "reviewed_at",
                "review_reason",
                "required_action",
                "action_rounds",
                "action_report",
                "action_reported_at",
                "response_due",
                "updated_at",
            ]
        )
        _status_event(
            "declaration.action_required",
            detail,
            actor,
            before,
            action=action,
            reason=reason,
            response_due=detail.response_due,
        )
        _notify_declarant(
            detail,
            _t("Action required on your declaration: %(action)s") % {"action": RequiredAction(action).label},
        )
    return detail


# What reporting a required action changes in the declaration's content.
_GIFT_HANDLING_AFTER = {
    RequiredAction.HAND_IN: GiftHandling.HANDED_IN,
    RequiredAction.RETURN_GIFT: GiftHandling.RETURNED,
}
_INTEREST_OUTCOME_AFTER = {
    RequiredAction.RELATIVE_EXIT: InterestOutcome.RELATIVE_EXITS,
    RequiredAction.LEAVE_POST: InterestOutcome.OFFICIAL_LEAVES_POST,
    RequiredAction.RECUSE: InterestOutcome.RECUSAL,
}


def declaration_report_action(*, declaration, actor, report, done_on=None, now=None):
    """The declarant reports the required action done, in words (and on `done_on`, today by default); the
    declaration goes back to the discipline office. A gift handed in or returned gets that handling; a
    relative's exit ends the interest on `done_on`; a recusal or move of post becomes the interest's outcome.
    Refuses anyone but the declarant and an empty report. Audit: ``declaration.action_reported``."""
    report = (report or "").strip()
    if not report:
        raise DomainError(_("Describe what you did."), field="report", code="required")
    now = now or timezone.now()
    done_on = done_on or timezone.localdate(now)
    with transaction.atomic():
        detail, _locked = _lock(declaration)
        if detail.declarant_id != actor.pk:
            raise PermissionDenied(_("Only the declarant reports the action taken."))
        before = detail.status
        detail.status = next_declaration_status(before, DeclarationTransition.REPORT_ACTION)
        detail.action_report, detail.action_reported_at = report, now
        detail.response_due = None
        detail.updated_at = now
        fields = ["status", "action_report", "action_reported_at", "response_due", "updated_at"]
        action = detail.required_action
        if detail.kind == DeclarationKind.GIFT and action in _GIFT_HANDLING_AFTER:
            detail.handling, detail.handled_on = _GIFT_HANDLING_AFTER[action], done_on
            fields += ["handling", "handled_on"]
        if detail.kind == DeclarationKind.INTEREST and action in _INTEREST_OUTCOME_AFTER:
            detail.outcome = _INTEREST_OUTCOME_AFTER[action]
            fields.append("outcome")
            if action == RequiredAction.RELATIVE_EXIT:
                detail.ended_on = done_on
                fields.append("ended_on")
        rules = settings_for(detail.park)
        detail.flags = compute_flags(detail, rules)
        detail.is_flagged = bool(detail.flags)
        detail.save(update_fields=[*fields, "flags", "is_flagged"])
        _status_event("declaration.action_reported", detail, actor, before, action=action, done_on=done_on)
        notify(
            recipients=[detail.reviewer] if detail.reviewer_id else list(discipline_officers(detail.park)),
            kind="declaration.action_reported",
            title=_t("Action reported on declaration #%(id)s") % {"id": detail.pk},
            url=_declaration_url(detail),
            park=detail.park,
        )
    return detail


# --- reminders ------------------------------------------------------------------------------------------------

REMINDER_TITLES = {
    "draft_due_soon": _("Your draft declaration is due on %(date)s: submit it"),
    "draft_overdue": _("Your draft declaration was due on %(date)s: submit it now"),
    "correction_overdue": _("Your returned declaration was to be corrected by %(date)s"),
    "action_overdue": _("The action required on your declaration was due on %(date)s"),
}


def declaration_remind(*, declaration, code, due, now=None):
    """Send the reminder `code` (``draft_due_soon``, ``draft_overdue``, ``correction_overdue:N``,
    ``action_overdue:N``) about one declaration to its declarant, once: a second call, or a concurrent
    one, sends nothing. Called by the beat sweep. Audit: ``declaration.reminder_sent``."""
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                DeclarationReminder.objects.create(declaration_id=declaration.pk, code=code, sent_at=now)
        except IntegrityError:
            return False
        title = REMINDER_TITLES[code.split(":")[0]]
        notify(
            recipients=[declaration.declarant],
            kind="declaration.reminder",
            title=_t(str(title)) % {"date": due},
            url=_declaration_url(declaration),
            park=declaration.park,
        )
        record_event(
            action="declaration.reminder_sent",
            target=("integrity.declaration", declaration.pk),
            actor=None,
            park=declaration.park_id,
            data={"code": code, "due": due},
        )
    return True


def declaration_reminders_send(*, now=None):
    """The sweep: remind declarants of drafts near or past their due date, of returned declarations not
    corrected in time, and of required actions not reported in time — each reminder once. Reads only
    declarations whose date has come (indexed on status and date). Returns the number sent."""
    from parks.models import Park

    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0

    for park in Park.objects.filter(is_active=True):
        rules = settings_for(park)
        base = Declaration.objects.filter(park=park)
        reminded = DeclarationReminder.objects.filter(declaration=OuterRef("pk"))
        drafts_overdue = base.filter(status=DeclarationStatus.DRAFT, due_date__lt=today).exclude(
            Exists(reminded.filter(code="draft_overdue"))
        )
        drafts_soon = base.filter(
            status=DeclarationStatus.DRAFT,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=rules.draft_reminder_days),
        ).exclude(Exists(reminded.filter(code__in=("draft_due_soon", "draft_overdue"))))
        for queryset, code in ((drafts_overdue, "draft_overdue"), (drafts_soon, "draft_due_soon")):
            for declaration in queryset.select_related("declarant", "park"):
                sent += declaration_remind(declaration=declaration, code=code, due=declaration.due_date, now=now)
        for status, prefix, counter in (
            (DeclarationStatus.RETURNED, "correction_overdue", "returns_count"),
            (DeclarationStatus.ACTION_REQUIRED, "action_overdue", "action_rounds"),
        ):
            for declaration in base.filter(status=status, response_due__lt=today).select_related("declarant", "park"):
                code = f"{prefix}:{getattr(declaration, counter)}"
                if DeclarationReminder.objects.filter(declaration=declaration, code=code).exists():
                    continue
                sent += declaration_remind(declaration=declaration, code=code, due=declaration.response_due, now=now)
    return sent


__all__ = [
    "declaration_accept",
    "declaration_remind",
    "declaration_reminders_send",
    "declaration_report_action",
    "declaration_require_action",
    "declaration_return",
    "declaration_submit",
    "family_event_declaration_create",
    "family_event_declaration_update",
    "gift_declaration_create",
    "gift_declaration_update",
    "interest_declaration_create",
    "interest_declaration_update",
]
