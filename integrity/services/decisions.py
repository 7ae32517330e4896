"""State changes of the 三重一大 register: thresholds, decision bodies and their rosters, meetings with their
attendance and minutes, the items decided (collective decisions) with each member's position, and the
register of large fund payments.

Who may record: the park's discipline officers and park administrators, and platform administrators
(`integrity.selectors.decisions.can_record_decisions`); auditors only read. Every function checks that,
validates (a `DomainError` with a translated message and the field, nothing changed), locks the row it
changes, saves with ``update_fields``, and records its audit event with before and after values in the same
transaction. When a change raises a new compliance flag (`integrity.decisions_flags`) — a meeting without
quorum, an item adopted without a majority or raised without notice, a payment over the threshold not
covered by a decision — the park's discipline officers (other than the actor) are notified; notifications
are delivered after commit.

Choices where the rules are silent: records stay correctable (every correction is in the trail, and flags
are recomputed, never stored); a meeting cannot be dated in the future, nor its agenda notified after it;
an amount is required for projects and fund operations and refused for appointments; a vote against needs
the dissent in words and a recusal its reason; only members present vote, while a recused member may be
absent or present; a member's seat cannot end before a meeting at which they are recorded.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.notifications import notify
from integrity.choices_decisions import (
    VOTING_POSITIONS,
    Attendance,
    BodyKind,
    DecisionKind,
    MeetingType,
    Outcome,
    Position,
)
from integrity.decisions_flags import FlagKind
from integrity.models import (
    CollectiveDecision,
    DecisionBody,
    DecisionBodyMember,
    DecisionThreshold,
    DecisionVote,
    FundPayment,
    Meeting,
    MeetingAttendance,
)
from integrity.selectors import decisions as selectors

MAX_AMOUNT = Decimal("999999999999.99")
BODY_FIELDS = ("name", "kind", "description", "active")
MEETING_FIELDS = ("meeting_type", "held_on", "number", "location", "agenda_notified_on", "chair")
DECISION_FIELDS = ("item_number", "kind", "title", "summary", "amount", "notified_in_advance", "outcome")
AMOUNT_REQUIRED_KINDS = frozenset({DecisionKind.MAJOR_PROJECT, DecisionKind.LARGE_FUNDS})


# --- helpers -------------------------------------------------------------------------------------------------


def _today(now=None):
    return timezone.localdate(now or timezone.now())


def _check_recorder(actor, park):
    if not selectors.can_record_decisions(actor, park):
        raise PermissionDenied(
            _("Only the park's discipline officers and administrators record the collective-decision register.")
        )


def _text(value, field, message, max_length):
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="required", field=field)
    if len(value) > max_length:
        raise DomainError(
            _("At most %(n)s characters.") % {"n": max_length}, code="too_long", field=field, params={"n": max_length}
        )
    return value


def _optional_text(value, field, max_length):
    value = (value or "").strip()
    if len(value) > max_length:
        raise DomainError(_("At most %(n)s characters.") % {"n": max_length}, code="too_long", field=field)
    return value


def _amount(value, field, *, positive=True, required=True):
    if value is None or value == "":
        if required:
            raise DomainError(_("Give the amount in yuan."), code="required", field=field)
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Give the amount in yuan."), code="invalid_amount", field=field) from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("Give the amount in yuan, to the fen at most."), code="invalid_amount", field=field)
    if amount < 0 or (positive and amount == 0):
        raise DomainError(_("The amount must be more than zero."), code="invalid_amount", field=field)
    if amount > MAX_AMOUNT:
        raise DomainError(_("The amount is too large."), code="invalid_amount", field=field)
    return amount.quantize(Decimal("0.01"))


def _choice(value, choices, field, message):
    if value not in choices.values:
        raise DomainError(message, code="invalid_choice", field=field)
    return value


def _not_future(day, field, now=None):
    if day is None:
        raise DomainError(_("Give the date."), code="required", field=field)
    if day > _today(now):
        raise DomainError(_("The date cannot be in the future."), code="future_date", field=field)
    return day


def _money(value):
    return None if value is None else str(value)


def _discipline_officers(park):
    from integrity.selectors.access import discipline_officers

    return list(discipline_officers(park))


def _flag_keys(flags):
    return {(f.kind, f.meeting_id, f.decision_id, f.reference) for f in flags}


def _notify_new_flags(park, actor, before, after):
    """Tell the park's discipline officers about flags the change raised (not those it left as they were)."""
    new = [f for f in after if (f.kind, f.meeting_id, f.decision_id, f.reference) not in _flag_keys(before)]
    if not new:
        return
    people = [p for p in _discipline_officers(park) if p.pk != getattr(actor, "pk", None)]
    for flag in new:
        notify(
            recipients=people,
            kind="decision_flag.raised",
            title=_t("Collective decisions: %(flag)s — %(subject)s") % {"flag": flag.label, "subject": flag.subject},
            body=flag.detail,
            url=flag.url,
            park=park,
        )


def _meeting_flags(meeting_pk):
    meeting = selectors.meeting_with_details(meeting_pk)
    return selectors.flags_of_meeting(meeting) if meeting is not None else []


# --- thresholds ----------------------------------------------------------------------------------------------


def decision_threshold_set(*, park, amount, actor, kind=""):
    """Set the amount from which an item of `park` needs a collective decision: its general threshold
    (``kind=""``) or that of one kind. Recorders of the park only; refuses an amount that is not a positive
    sum in yuan and an unknown kind. Records ``decision_threshold.set`` with before and after."""
    _check_recorder(actor, park)
    kind = kind or ""
    if kind:
        _choice(kind, DecisionKind, "kind", _("Choose a kind of item."))
    amount = _amount(amount, "amount")
    with transaction.atomic():
        row = DecisionThreshold.objects.select_for_update().filter(park=park, kind=kind).first()
        before = _money(row.amount) if row is not None else None
        if row is None:
            row = DecisionThreshold.objects.create(park=park, kind=kind, amount=amount, updated_by=actor)
        else:
            row.amount, row.updated_by, row.updated_at = amount, actor, timezone.now()
            row.save(update_fields=["amount", "updated_by", "updated_at"])
        record_event(
            action="decision_threshold.set",
            target=row,
            actor=actor,
            park=park,
            data={"kind": kind, "before": {"amount": before}, "after": {"amount": _money(amount)}},
        )
    return row


# --- bodies and rosters -----------------------------------------------------------------------------------


def _body_snapshot(body):
    return {"name": body.name, "kind": body.kind, "description": body.description, "active": body.active}


def _check_body_name(park, name, exclude=None):
    clash = DecisionBody.objects.filter(park=park, name=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise DomainError(_("The park already has a body of that name."), code="duplicate", field="name")


def decision_body_create(*, park, name, kind, actor, description=""):
    """Create a decision body of `park` (党工委会议, 管委会主任办公会…). Recorders of the park only; refuses an
    empty or duplicate name and an unknown kind. Records ``decision_body.created``."""
    _check_recorder(actor, park)
    name = _text(name, "name", _("Name the body."), 100)
    _choice(kind, BodyKind, "kind", _("Choose the kind of body."))
    with transaction.atomic():
        _check_body_name(park, name)
        body = DecisionBody.objects.create(
            park=park, name=name, kind=kind, description=(description or "").strip(), created_by=actor
        )
        record_event(
            action="decision_body.created", target=body, actor=actor, park=park, data={"after": _body_snapshot(body)}
        )
    return body


def decision_body_update(*, body, actor, **changes):
    """Rename a body, change its kind or description, or (de)activate it: an inactive body takes no new
    meetings. Recorders of its park; refuses unknown fields. Records ``decision_body.updated``."""
    unknown = set(changes) - set(BODY_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="invalid_field",
        )
    with transaction.atomic():
        body = DecisionBody.objects.select_for_update().get(pk=body.pk)
        _check_recorder(actor, body.park_id)
        before = _body_snapshot(body)
        if "name" in changes:
            changes["name"] = _text(changes["name"], "name", _("Name the body."), 100)
            _check_body_name(body.park_id, changes["name"], exclude=body)
        if "kind" in changes:
            _choice(changes["kind"], BodyKind, "kind", _("Choose the kind of body."))
        if "description" in changes:
            changes["description"] = (changes["description"] or "").strip()
        if "active" in changes:
            changes["active"] = bool(changes["active"])
        changed = [f for f, v in changes.items() if getattr(body, f) != v]
        if not changed:
            return body
        for field in changed:
            setattr(body, field, changes[field])
        body.save(update_fields=changed)
        after = _body_snapshot(body)
        record_event(
            action="decision_body.updated",
            target=body,
            actor=actor,
            park=body.park_id,
            data={"before": {f: before[f] for f in changed}, "after": {f: after[f] for f in changed}},
        )
    return body


def _member_snapshot(member):
    return {
        "id": member.pk,
        "name": member.name,
        "user": member.user_id,
        "post": member.post,
        "from": member.from_date,
        "to": member.to_date,
    }


def _overlaps(a_from, a_to, b_from, b_to):
    return a_from <= (b_to or b_from.max) and b_from <= (a_to or a_from.max)


def body_member_add(*, body, actor, post, from_date, name="", user=None, to_date=None):
    """Add a seat to a body's roster: a portal user (their name is taken when none is given) or only a name,
    their post, and the period they are entitled to sit. Recorders of the body's park; refuses a missing
    name, post or start, a user who is not an active official of the park, an end before the start, and a
    second seat of the same person overlapping the first. Records ``decision_body.member_added``."""
    from integrity.selectors.access import is_park_official

    _check_recorder(actor, body.park_id)
    if user is not None and not (user.is_active and is_park_official(user, body.park_id)):
        raise DomainError(
            _("Choose an official of the park, or give only a name."), code="not_an_official", field="user"
        )
    name = _text(name or (user.get_full_name() if user is not None else ""), "name", _("Name the member."), 100)
    post = _text(post, "post", _("Give the member's post."), 100)
    if from_date is None:
        raise DomainError(_("Give the date the seat starts."), code="required", field="from_date")
    if to_date is not None and to_date < from_date:
        raise DomainError(_("The seat cannot end before it starts."), code="period_reversed", field="to_date")
    with transaction.atomic():
        body = DecisionBody.objects.select_for_update().get(pk=body.pk)
        same = DecisionBodyMember.objects.filter(body=body)
        same = same.filter(user=user) if user is not None else same.filter(user__isnull=True, name=name)
        if any(_overlaps(from_date, to_date, m.from_date, m.to_date) for m in same):
            raise DomainError(
                _("This person already has a seat on the body in that period."),
                code="overlapping_seat",
                field="from_date",
            )
        member = DecisionBodyMember.objects.create(
            body=body, user=user, name=name, post=post, from_date=from_date, to_date=to_date
        )
        record_event(
            action="decision_body.member_added",
            target=body,
            actor=actor,
            park=body.park_id,
            data={"after": _member_snapshot(member)},
        )
    return member


def body_member_end(*, member, actor, to_date):
    """End a seat on `to_date` (the last day the member is entitled to sit). Recorders of the park; refuses a
    date before the seat started and one before a meeting at which the member's attendance or position is
    recorded. Records ``decision_body.member_ended``."""
    with transaction.atomic():
        member = DecisionBodyMember.objects.select_for_update().select_related("body").get(pk=member.pk)
        _check_recorder(actor, member.body.park_id)
        if to_date is None:
            raise DomainError(_("Give the last day of the seat."), code="required", field="to_date")
        if to_date < member.from_date:
            raise DomainError(_("The seat cannot end before it starts."), code="period_reversed", field="to_date")
        later = Meeting.objects.filter(held_on__gt=to_date)
        if later.filter(attendance__member=member).exists() or later.filter(decisions__votes__member=member).exists():
            raise Conflict(
                _("The member is recorded at a meeting after that date: correct that meeting first."),
                code="recorded_later",
            )
        before = _member_snapshot(member)
        member.to_date = to_date
        member.save(update_fields=["to_date"])
        record_event(
            action="decision_body.member_ended",
            target=member.body,
            actor=actor,
            park=member.body.park_id,
            data={"member": member.pk, "before": {"to": before["to"]}, "after": {"to": to_date}},
        )
    return member


# --- meetings -------------------------------------------------------------------------------------------------


def _meeting_snapshot(meeting):
    return {
        "body": meeting.body_id,
        "meeting_type": meeting.meeting_type,
        "held_on": meeting.held_on,
        "number": meeting.number,
        "location": meeting.location,
        "agenda_notified_on": meeting.agenda_notified_on,
        "chair": meeting.chair_id,
    }


def _check_meeting_values(values, body, now=None):
    _choice(values["meeting_type"], MeetingType, "meeting_type", _("Choose the meeting type."))
    _not_future(values["held_on"], "held_on", now)
    notified = values.get("agenda_notified_on")
    if notified is not None and notified > values["held_on"]:
        raise DomainError(
            _("The agenda cannot be notified after the meeting."),
            code="notice_after_meeting",
            field="agenda_notified_on",
        )
    values["number"] = _optional_text(values.get("number"), "number", 50)
    values["location"] = _optional_text(values.get("location"), "location", 100)
    chair = values.get("chair")
    if chair is not None and (chair.body_id != body.pk or not chair.is_entitled_on(values["held_on"])):
        raise DomainError(
            _("The chair must be a member of the body on the day of the meeting."), code="invalid_chair", field="chair"
        )
    return values


def meeting_create(
    *, body, actor, meeting_type, held_on, number="", location="", agenda_notified_on=None, chair=None, now=None
):
    """Record a meeting of `body`: type, date, number, location, when the agenda was sent, who chaired.
    Recorders of the body's park; refuses an inactive body, a date in the future, an agenda notified after
    the meeting, a chair who was not a member that day. Attendance, items and minutes are recorded next.
    Records ``meeting.recorded``."""
    _check_recorder(actor, body.park_id)
    values = _check_meeting_values(
        {
            "meeting_type": meeting_type,
            "held_on": held_on,
            "number": number,
            "location": location,
            "agenda_notified_on": agenda_notified_on,
            "chair": chair,
        },
        body,
        now,
    )
    with transaction.atomic():
        body = DecisionBody.objects.select_for_update().get(pk=body.pk)
        if not body.active:
            raise Conflict(_("This body is inactive."), code="body_inactive")
        meeting = Meeting.objects.create(body=body, park_id=body.park_id, created_by=actor, **values)
        record_event(
            action="meeting.recorded",
            target=meeting,
            actor=actor,
            park=body.park_id,
            data={"after": _meeting_snapshot(meeting)},
        )
    return meeting


def meeting_update(*, meeting, actor, now=None, **changes):
    """Correct a meeting's type, date, number, location, agenda notice or chair. Recorders of its park; the
    same checks as `meeting_create`, and a new date must leave every recorded member entitled on it.
    Records ``meeting.updated``."""
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="invalid_field",
        )
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
        _check_recorder(actor, meeting.park_id)
        flags_before = _meeting_flags(meeting.pk)
        before = _meeting_snapshot(meeting)
        values = {field: getattr(meeting, field) for field in MEETING_FIELDS}
        values.update(changes)
        values = _check_meeting_values(values, meeting.body, now)
        if values["held_on"] != meeting.held_on:
            recorded = DecisionBodyMember.objects.filter(attendance__meeting=meeting).distinct()
            if any(not m.is_entitled_on(values["held_on"]) for m in recorded):
                raise DomainError(
                    _("Members recorded at this meeting were not on the body on that date."),
                    code="members_not_entitled",
                    field="held_on",
                )
        changed = [f for f in MEETING_FIELDS if getattr(meeting, f) != values[f]]
        if not changed:
            return meeting
        for field in changed:
            setattr(meeting, field, values[field])
        meeting.save(update_fields=changed)
        after = _meeting_snapshot(meeting)
        record_event(
            action="meeting.updated",
            target=meeting,
            actor=actor,
            park=meeting.park_id,
            data={
                "before": {f: before[f] for f in after if before[f] != after[f]},
                "after": {f: after[f] for f in after if before[f] != after[f]},
            },
        )
        _notify_new_flags(meeting.park, actor, flags_before, _meeting_flags(meeting.pk))
    return meeting


def meeting_record_attendance(*, meeting, actor, entries):
    """Record who of the roster was present and who was absent (with the reason). `entries` is a list of
    ``{"member": DecisionBodyMember, "status": "present"|"absent", "reason": ""}``; members not listed keep
    what was recorded. Recorders of the park; refuses a member not entitled to sit on the meeting's date, a
    member listed twice, an absence without a reason, and marking absent a member whose vote is recorded.
    Records ``meeting.attendance_recorded`` with each changed member's before and after."""
    entries = list(entries or [])
    if not entries:
        raise DomainError(_("Record the attendance of at least one member."), code="required", field="attendance")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
        _check_recorder(actor, meeting.park_id)
        flags_before = _meeting_flags(meeting.pk)
        seen = set()
        current = {row.member_id: row for row in meeting.attendance.select_for_update()}
        changes = []
        for entry in entries:
            member, status = entry.get("member"), entry.get("status")
            reason = _optional_text(entry.get("reason"), "reason", 200)
            if member is None or member.body_id != meeting.body_id or not member.is_entitled_on(meeting.held_on):
                raise DomainError(
                    _("%(name)s is not entitled to sit at this meeting.") % {"name": getattr(member, "name", "?")},
                    code="not_entitled",
                    field="attendance",
                )
            if member.pk in seen:
                raise DomainError(
                    _("%(name)s is listed twice.") % {"name": member.name}, code="duplicate", field="attendance"
                )
            seen.add(member.pk)
            _choice(status, Attendance, "attendance", _("Choose present or absent."))
            if status == Attendance.ABSENT and not reason:
                raise DomainError(
                    _("Give the reason %(name)s was absent.") % {"name": member.name},
                    code="reason_required",
                    field="attendance",
                )
            if status == Attendance.ABSENT:
                voted = DecisionVote.objects.filter(
                    decision__meeting=meeting, member=member, position__in=VOTING_POSITIONS
                ).exists()
                if voted:
                    raise Conflict(
                        _("%(name)s voted at this meeting: correct the votes first.") % {"name": member.name},
                        code="member_voted",
                    )
            else:
                reason = ""
            row = current.get(member.pk)
            before = {"status": row.status, "reason": row.reason} if row is not None else None
            if row is None:
                MeetingAttendance.objects.create(meeting=meeting, member=member, status=status, reason=reason)
            elif (row.status, row.reason) != (status, reason):
                row.status, row.reason = status, reason
                row.save(update_fields=["status", "reason"])
            else:
                continue
            changes.append(
                {
                    "member": member.pk,
                    "name": member.name,
                    "before": before,
                    "after": {"status": status, "reason": reason},
                }
            )
        if changes:
            record_event(
                action="meeting.attendance_recorded",
                target=meeting,
                actor=actor,
                park=meeting.park_id,
                data={"changes": changes},
            )
            _notify_new_flags(meeting.park, actor, flags_before, _meeting_flags(meeting.pk))
    return meeting


def meeting_attach_minutes(*, meeting, actor, files):
    """Attach the minutes (会议纪要/记录) to a meeting: uploaded files, or `Attachment`s uploaded earlier by the
    actor (API), validated and stored by `core.attachments`. Recorders of the park; refuses no file.
    Records ``meeting.minutes_attached``."""
    from core.services import attachment_attach, attachment_create

    files = list(files or [])
    if not files:
        raise DomainError(_("Choose the file of the minutes."), code="required", field="minutes")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_recorder(actor, meeting.park_id)
        attached = []
        for item in files:
            if hasattr(item, "token"):
                attached.append(attachment_attach(attachment=item, target=meeting, actor=actor))
            else:
                attached.append(attachment_create(file=item, actor=actor, park=meeting.park, target=meeting))
        record_event(
            action="meeting.minutes_attached",
            target=meeting,
            actor=actor,
            park=meeting.park_id,
            data={"after": {"files": [{"name": a.original_name, "sha256": a.sha256} for a in attached]}},
        )
    return attached


# --- items decided ------------------------------------------------------------------------------------------


def _decision_snapshot(decision):
    return {
        "item_number": decision.item_number,
        "kind": decision.kind,
        "title": decision.title,
        "amount": _money(decision.amount),
        "notified_in_advance": decision.notified_in_advance,
        "outcome": decision.outcome,
    }


def _check_decision_values(values):
    _choice(values["kind"], DecisionKind, "kind", _("Choose the kind of item."))
    values["title"] = _text(values["title"], "title", _("Give the item's title."), 200)
    values["summary"] = (values.get("summary") or "").strip()
    _choice(values["outcome"], Outcome, "outcome", _("Choose the outcome."))
    if values["kind"] == DecisionKind.APPOINTMENT:
        if values.get("amount") not in (None, ""):
            raise DomainError(_("An appointment has no amount."), code="amount_not_allowed", field="amount")
        values["amount"] = None
    else:
        values["amount"] = _amount(
            values.get("amount"), "amount", positive=False, required=values["kind"] in AMOUNT_REQUIRED_KINDS
        )
    item = values.get("item_number")
    if item is not None and (not isinstance(item, int) or isinstance(item, bool) or not 1 <= item <= 999):
        raise DomainError(_("Give the item's number on the agenda."), code="invalid_item_number", field="item_number")
    values["notified_in_advance"] = bool(values.get("notified_in_advance"))
    return values


def _decision_flags(decision_pk):
    decision = selectors.decision_with_details(decision_pk)
    return selectors.flags_of_decision(decision) if decision is not None else []


def decision_record(
    *, meeting, actor, kind, title, outcome, summary="", amount=None, notified_in_advance=True, item_number=None
):
    """Record one item decided at `meeting`: kind, title, summary, amount (yuan; required for projects and
    fund operations, refused for appointments), whether it was on the agenda notified in advance (else a
    临时动议) and the outcome. Recorders of the park. Members' positions are recorded next
    (`decision_record_votes`). Records ``collective_decision.recorded``; tells the discipline office of a
    flag it raises."""
    values = _check_decision_values(
        {
            "kind": kind,
            "title": title,
            "summary": summary,
            "amount": amount,
            "notified_in_advance": notified_in_advance,
            "outcome": outcome,
            "item_number": item_number,
        }
    )
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_recorder(actor, meeting.park_id)
        if values["item_number"] is None:
            last = meeting.decisions.order_by("-item_number").values_list("item_number", flat=True).first() or 0
            values["item_number"] = last + 1
        decision = CollectiveDecision.objects.create(
            meeting=meeting, park_id=meeting.park_id, created_by=actor, **values
        )
        record_event(
            action="collective_decision.recorded",
            target=decision,
            actor=actor,
            park=meeting.park_id,
            data={"meeting": meeting.pk, "after": _decision_snapshot(decision)},
        )
        # Positions are recorded next: the majority is reported once they are (decision_record_votes).
        flags = [f for f in _decision_flags(decision.pk) if f.kind != FlagKind.MAJORITY_SHORT]
        _notify_new_flags(meeting.park, actor, [], flags)
    return decision


def decision_update(*, decision, actor, **changes):
    """Correct an item: number, kind, title, summary, amount, notice, outcome (same checks as
    `decision_record`). Recorders of the park. Records ``collective_decision.updated``."""
    unknown = set(changes) - set(DECISION_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="invalid_field",
        )
    with transaction.atomic():
        decision = CollectiveDecision.objects.select_for_update().select_related("park").get(pk=decision.pk)
        _check_recorder(actor, decision.park_id)
        flags_before = _decision_flags(decision.pk)
        values = {field: getattr(decision, field) for field in DECISION_FIELDS}
        values.update(changes)
        values = _check_decision_values(values)
        before = _decision_snapshot(decision)
        changed = [f for f in DECISION_FIELDS if getattr(decision, f) != values[f]]
        if not changed:
            return decision
        for field in changed:
            setattr(decision, field, values[field])
        decision.save(update_fields=changed)
        after = _decision_snapshot(decision)
        record_event(
            action="collective_decision.updated",
            target=decision,
            actor=actor,
            park=decision.park_id,
            data={
                "before": {k: v for k, v in before.items() if before[k] != after[k]},
                "after": {k: v for k, v in after.items() if before[k] != after[k]},
            },
        )
        _notify_new_flags(decision.park, actor, flags_before, _decision_flags(decision.pk))
    return decision


def decision_record_votes(*, decision, actor, votes):
    """Record members' positions on an item. `votes` is a list of ``{"member": DecisionBodyMember, "position":
    "for"|"against"|"abstain"|"recused", "statement": ""}``; members not listed keep what was recorded.
    Recorders of the park; refuses a member not entitled to sit at the meeting, one listed twice, a vote by a
    member not recorded as present, a vote against without the dissent in words, and a recusal without its
    reason. Records ``collective_decision.votes_recorded`` with each changed member's before and after."""
    votes = list(votes or [])
    if not votes:
        raise DomainError(_("Record the position of at least one member."), code="required", field="votes")
    with transaction.atomic():
        decision = (
            CollectiveDecision.objects.select_for_update()
            .select_related("meeting", "meeting__body", "park")
            .get(pk=decision.pk)
        )
        meeting = decision.meeting
        _check_recorder(actor, decision.park_id)
        flags_before = _decision_flags(decision.pk)
        if not decision.votes.exists():
            # The first positions recorded decide whether the majority is reached: report it then.
            flags_before = [f for f in flags_before if f.kind != FlagKind.MAJORITY_SHORT]
        present = set(meeting.attendance.filter(status=Attendance.PRESENT).values_list("member_id", flat=True))
        current = {v.member_id: v for v in decision.votes.select_for_update()}
        seen, changes = set(), []
        for entry in votes:
            member, position = entry.get("member"), entry.get("position")
            statement = (entry.get("statement") or "").strip()
            if member is None or member.body_id != meeting.body_id or not member.is_entitled_on(meeting.held_on):
                raise DomainError(
                    _("%(name)s is not entitled to sit at this meeting.") % {"name": getattr(member, "name", "?")},
                    code="not_entitled",
                    field="votes",
                )
            if member.pk in seen:
                raise DomainError(
                    _("%(name)s is listed twice.") % {"name": member.name}, code="duplicate", field="votes"
                )
            seen.add(member.pk)
            _choice(position, Position, "votes", _("Choose for, against, abstain or recused."))
            if position in VOTING_POSITIONS and member.pk not in present:
                raise DomainError(
                    _("%(name)s is not recorded as present: record the attendance first.") % {"name": member.name},
                    code="not_present",
                    field="votes",
                )
            if position == Position.AGAINST and not statement:
                raise DomainError(
                    _("Record %(name)s's dissent in words.") % {"name": member.name},
                    code="dissent_required",
                    field="votes",
                )
            if position == Position.RECUSED and not statement:
                raise DomainError(
                    _("Give the reason %(name)s was recused.") % {"name": member.name},
                    code="reason_required",
                    field="votes",
                )
            row = current.get(member.pk)
            before = {"position": row.position, "statement": row.statement} if row is not None else None
            if row is None:
                DecisionVote.objects.create(decision=decision, member=member, position=position, statement=statement)
            elif (row.position, row.statement) != (position, statement):
                row.position, row.statement = position, statement
                row.save(update_fields=["position", "statement"])
            else:
                continue
            changes.append(
                {
                    "member": member.pk,
                    "name": member.name,
                    "before": before,
                    "after": {"position": position, "statement": statement},
                }
            )
        if changes:
            record_event(
                action="collective_decision.votes_recorded",
                target=decision,
                actor=actor,
                park=decision.park_id,
                data={"changes": changes},
            )
            _notify_new_flags(decision.park, actor, flags_before, _decision_flags(decision.pk))
    return decision


# --- fund payments --------------------------------------------------------------------------------------------


def _payment_snapshot(payment):
    return {
        "payee": payment.payee,
        "amount": _money(payment.amount),
        "paid_on": payment.paid_on,
        "purpose": payment.purpose,
        "reference": payment.reference,
        "decision": payment.decision_id,
    }


def _check_linkable(decision, park_id):
    if decision is None:
        return None
    if decision.park_id != park_id:
        raise DomainError(_("Choose a decision of the park."), code="invalid_decision", field="decision")
    return decision


def _payment_flags(payment):
    from integrity.decisions_flags import spending_flags
    from integrity.decisions_spending import fund_payment_item

    items = [fund_payment_item(payment)]
    decisions = {}
    if payment.decision_id:
        decisions = {
            d.pk: d for d in CollectiveDecision.objects.filter(pk=payment.decision_id).select_related("meeting")
        }
    return spending_flags(payment.park, items, decisions)


def fund_payment_record(*, park, actor, payee, amount, paid_on, purpose, reference="", decision=None, now=None):
    """Enter a large fund payment (大额资金支付): payee, amount (yuan), date, purpose, voucher number and the
    collective decision it rests on (or none yet). Recorders of the park; refuses missing text, an amount
    that is not a positive sum, a date in the future and a decision of another park. Records
    ``fund_payment.recorded``; tells the discipline office when the payment is flagged."""
    _check_recorder(actor, park)
    payee = _text(payee, "payee", _("Name the payee."), 200)
    purpose = _text(purpose, "purpose", _("Give the purpose of the payment."), 300)
    reference = _optional_text(reference, "reference", 50)
    amount = _amount(amount, "amount")
    _not_future(paid_on, "paid_on", now)
    _check_linkable(decision, park.pk)
    with transaction.atomic():
        payment = FundPayment.objects.create(
            park=park,
            payee=payee,
            amount=amount,
            paid_on=paid_on,
            purpose=purpose,
            reference=reference,
            decision=decision,
            created_by=actor,
        )
        record_event(
            action="fund_payment.recorded",
            target=payment,
            actor=actor,
            park=park,
            data={"after": _payment_snapshot(payment)},
        )
        _notify_new_flags(park, actor, [], _payment_flags(payment))
    return payment


def fund_payment_link_decision(*, payment, actor, decision):
    """Link a payment to the collective decision it rests on (``decision=None`` removes a wrong link).
    Recorders of the park; refuses a decision of another park. Records ``fund_payment.decision_linked``."""
    with transaction.atomic():
        payment = FundPayment.objects.select_for_update().select_related("park").get(pk=payment.pk)
        _check_recorder(actor, payment.park_id)
        _check_linkable(decision, payment.park_id)
        new_id = getattr(decision, "pk", None)
        if payment.decision_id == new_id:
            return payment
        flags_before = _payment_flags(payment)
        before = payment.decision_id
        payment.decision = decision
        payment.save(update_fields=["decision"])
        record_event(
            action="fund_payment.decision_linked",
            target=payment,
            actor=actor,
            park=payment.park_id,
            data={"before": {"decision": before}, "after": {"decision": new_id}},
        )
        _notify_new_flags(payment.park, actor, flags_before, _payment_flags(payment))
    return payment
