"""State changes of the integrity-risk register (廉政风险台账): the matrix rules, risks and their transitions,
controls (防控措施), reviews and their schedule, pulling a review forward, and the review reminders.

Who may do what is decided in `integrity.selectors.risks` (one place for pages, API and exports). Every
function here locks the row it changes, validates, saves with ``update_fields``, records its audit event in
the same transaction and notifies through `core.notifications.notify` (delivered after commit).
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.notifications import notify
from core.roles import OFFICIAL_ROLES, has_role, is_platform_admin
from core.scoping import can_see_park
from core.workcalendar import add_working_days
from integrity.choices_risk import (
    ACTIVE_STATUSES,
    HEAD_DECISION_LEVELS,
    HEAD_TRANSITIONS,
    LEVEL_RANK,
    ControlKind,
    ControlStatus,
    PullForwardReason,
    ReviewReminderKind,
    RiskArea,
    RiskLevel,
    RiskSource,
    RiskStatus,
    RiskTransition,
    next_risk_status,
)
from integrity.models import IntegrityRisk, RiskControl, RiskMatrixVersion, RiskReview, RiskReviewReminder
from integrity.risk_matrix import (
    MatrixRules,
    first_review_due,
    next_review_due,
    review_advances_schedule,
    score,
)
from integrity.selectors.risks import (
    can_complete_control,
    can_manage_risks,
    can_report_risk,
    can_review_risk,
    can_work_on_controls,
    department_people,
    discipline_office_head_ids,
    discipline_officers_of,
    is_department_staff,
    risk_matrix_for,
)
from parks.models import Park

TEXT_FIELDS = ("post", "title", "description", "manifestations")
EDITABLE_FIELDS = (
    "department",
    "post",
    "post_holder",
    "area",
    "title",
    "description",
    "manifestations",
    "owner",
    "inherent_likelihood",
    "inherent_impact",
)
# Fields only the register's managers may change (a department cannot move a risk out of its own register).
MANAGER_ONLY_FIELDS = frozenset({"department"})


def _risk_url(risk):
    return reverse("integrity:risk-detail", kwargs={"pk": risk.pk})


def _today(now=None):
    return timezone.localdate(now or timezone.now())


def _check_scale(value, field):
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise DomainError(_("Choose a value from 1 to 5."), code="out_of_scale", field=field)
    return value


def _required(value, field, message):
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    if not value:
        raise DomainError(message, code="required", field=field)
    return value


def _check_official(user, park, field):
    """A person named on a risk or control must be an active official of its park."""
    if user is None:
        return None
    from parks.models import StaffProfile

    park_id = getattr(park, "pk", park)
    ok = (
        user.is_active
        and has_role(user, *OFFICIAL_ROLES)
        and StaffProfile.parks.through.objects.filter(staffprofile__user=user, park_id=park_id).exists()
    )
    if not ok:
        raise DomainError(_("Choose an official of the park."), code="not_an_official", field=field)
    return user


def _grade(version, likelihood, impact, prefix):
    _check_scale(likelihood, f"{prefix}_likelihood")
    _check_scale(impact, f"{prefix}_impact")
    return score(likelihood, impact), MatrixRules.from_version(version).level(likelihood, impact)


def _check_residual_not_above_inherent(inherent_score, residual_score):
    if residual_score > inherent_score:
        raise DomainError(
            _(
                "The residual score (%(residual)s) cannot exceed the inherent score (%(inherent)s): controls lower "
                "a risk."
            )
            % {"residual": residual_score, "inherent": inherent_score},
            code="residual_above_inherent",
            field="residual_impact",
        )


def review_interval(risk):
    """Days between two reviews of `risk`, under its matrix version's cadence."""
    return MatrixRules.from_version(risk.matrix_version).review_interval(
        residual_level=risk.residual_level, inherent_level=risk.inherent_level
    )


def _snapshot(risk):
    return {
        "status": risk.status,
        "department": risk.department_id,
        "post": risk.post,
        "area": risk.area,
        "title": risk.title,
        "owner": risk.owner_id,
        "post_holder": risk.post_holder_id,
        "inherent": [risk.inherent_likelihood, risk.inherent_impact, risk.inherent_level],
        "residual": [risk.residual_likelihood, risk.residual_impact, risk.residual_level],
        "review_due_date": risk.review_due_date,
        "review_anchor_date": risk.review_anchor_date,
    }


def _locked(risk):
    return (
        IntegrityRisk.objects.select_for_update(of=("self",))
        .select_related("park", "department", "matrix_version", "owner", "department__head")
        .get(pk=risk.pk)
    )


def _notify_people(risk, people, *, kind, title, body=""):
    notify(recipients=people, kind=kind, title=title, body=body, url=_risk_url(risk), park=risk.park)


def _responsible_people(risk):
    """The risk's responsible person and its department's head; the department's officials when neither is
    on record."""
    people = [p for p in (risk.owner, risk.department.head) if p is not None and p.is_active]
    return people or department_people(risk.department)


def _discipline_office(park):
    """The discipline officers of the park and the head(s) of its discipline office."""
    from django.contrib.auth import get_user_model

    people = list(discipline_officers_of(park))
    heads = get_user_model().objects.filter(pk__in=discipline_office_head_ids(park), is_active=True)
    return people + [h for h in heads if all(h.pk != p.pk for p in people)]


# --- the matrix ------------------------------------------------------------------------------------------


def risk_matrix_publish(
    *,
    actor,
    park=None,
    medium_from,
    high_from,
    major_from,
    impact_floors,
    review_days,
    inherent_major_max_days,
    upcoming_reminder_days=7,
    escalate_after_working_days=5,
    note="",
):
    """Publish a new version of the matrix rules for `park` (or the platform default with ``park=None``).

    Platform administrators publish either; a park's discipline officers and administrators publish their
    park's. Refuses rules that do not rise (1 < medium < high < major ≤ 25), impact floors outside 1–5 or
    unknown levels, and a cadence missing a level. Risks already registered keep the version they were
    scored under; new risks use this one. Records ``risk_matrix.published``.
    """
    if park is None and not is_platform_admin(actor):
        raise PermissionDenied(_("Only platform administrators change the platform's default risk matrix."))
    if park is not None and not can_manage_risks(actor, park):
        raise PermissionDenied(_("You do not manage this park's risk register."))
    rules = MatrixRules(
        medium_from=medium_from,
        high_from=high_from,
        major_from=major_from,
        impact_floors={str(k): v for k, v in (impact_floors or {}).items()},
        review_days={str(k): v for k, v in (review_days or {}).items()},
        inherent_major_max_days=inherent_major_max_days,
    )
    problems = rules.problems()
    if problems:
        field, message = problems[0]
        raise DomainError(message, code="invalid_matrix", field=field)
    with transaction.atomic():
        # Two publications at once must not both take the next number: lock the park (or, for the default,
        # its existing versions; version 1 comes from a migration).
        if park is not None:
            Park.objects.select_for_update().get(pk=park.pk)
            scope = RiskMatrixVersion.objects.filter(park=park)
        else:
            scope = RiskMatrixVersion.objects.select_for_update().filter(park__isnull=True)
        latest = scope.order_by("-version").values_list("version", flat=True).first() or 0
        version = RiskMatrixVersion.objects.create(
            park=park,
            version=latest + 1,
            medium_from=rules.medium_from,
            high_from=rules.high_from,
            major_from=rules.major_from,
            impact_floors=rules.impact_floors,
            review_days=rules.review_days,
            inherent_major_max_days=rules.inherent_major_max_days,
            upcoming_reminder_days=upcoming_reminder_days,
            escalate_after_working_days=escalate_after_working_days,
            note=note,
            published_by=actor,
        )
        record_event(
            action="risk_matrix.published",
            target=version,
            actor=actor,
            park=park,
            data={
                "after": {
                    "version": version.version,
                    "thresholds": [rules.medium_from, rules.high_from, rules.major_from],
                    "impact_floors": rules.impact_floors,
                    "review_days": rules.review_days,
                    "inherent_major_max_days": rules.inherent_major_max_days,
                }
            },
        )
    return version


# --- registering risks ---------------------------------------------------------------------------------------


def _register(
    *,
    park,
    department,
    actor,
    post,
    area,
    title,
    description,
    inherent_likelihood,
    inherent_impact,
    residual_likelihood=None,
    residual_impact=None,
    manifestations="",
    owner=None,
    post_holder=None,
    source=RiskSource.SELF_ASSESSMENT,
    source_reference="",
    source_ticket=None,
    screening_response=None,
    registered_on=None,
    action="risk.registered",
):
    if department is None or department.park_id != park.pk:
        raise DomainError(_("Choose a department of the park."), code="invalid_department", field="department")
    if not can_report_risk(actor, park, department):
        raise PermissionDenied(_("You may register risks only for your own department."))
    post = _required(post, "post", _("Name the post (岗位) the risk belongs to."))
    title = _required(title, "title", _("Name the risk point."))
    description = _required(description, "description", _("Describe the risk."))
    if area not in RiskArea.values:
        raise DomainError(_("Choose an area."), code="invalid_area", field="area")
    if source not in RiskSource.values:
        raise DomainError(_("Choose a source."), code="invalid_source", field="source")
    _check_official(owner, park, "owner")
    _check_official(post_holder, park, "post_holder")
    version = risk_matrix_for(park)
    inherent_score, inherent_level = _grade(version, inherent_likelihood, inherent_impact, "inherent")
    residual_likelihood = inherent_likelihood if residual_likelihood is None else residual_likelihood
    residual_impact = inherent_impact if residual_impact is None else residual_impact
    residual_score, residual_level = _grade(version, residual_likelihood, residual_impact, "residual")
    _check_residual_not_above_inherent(inherent_score, residual_score)
    now = timezone.now()
    registered_at = now
    if registered_on is not None and registered_on != _today(now):
        if not can_manage_risks(actor, park):
            raise PermissionDenied(_("Only the discipline office or the park's administrators carry over older risks."))
        if registered_on > _today(now):
            raise DomainError(
                _("A risk cannot be registered in the future."), code="future_date", field="registered_on"
            )
        registered_at = timezone.make_aware(dt.datetime.combine(registered_on, dt.time(9)))
    with transaction.atomic():
        response = None
        if screening_response is not None:
            response = _lock_open_response(screening_response, department)
        risk = IntegrityRisk(
            park=park,
            department=department,
            post=post[:100],
            post_holder=post_holder,
            area=area,
            title=title[:200],
            description=description,
            manifestations=(manifestations or "").strip(),
            owner=owner,
            matrix_version=version,
            inherent_likelihood=inherent_likelihood,
            inherent_impact=inherent_impact,
            inherent_score=inherent_score,
            inherent_level=inherent_level,
            residual_likelihood=residual_likelihood,
            residual_impact=residual_impact,
            residual_score=residual_score,
            residual_level=residual_level,
            status=RiskStatus.OPEN,
            source=RiskSource.SCREENING if response is not None and source == RiskSource.SELF_ASSESSMENT else source,
            source_ticket=source_ticket,
            source_reference=(source_reference or "")[:200],
            created_by=actor,
            created_at=registered_at,
        )
        risk.save()
        interval = review_interval(risk)
        risk.review_anchor_date = risk.review_due_date = first_review_due(_today(registered_at), interval)
        risk.save(update_fields=["review_anchor_date", "review_due_date"])
        record_event(
            action=action,
            target=risk,
            actor=actor,
            park=park,
            data={
                "after": _snapshot(risk),
                "source": risk.source,
                "ticket": source_ticket.number if source_ticket is not None else "",
                "matrix_version": version.version,
                "registered_on": _today(registered_at),
            },
        )
        if response is not None:
            response.risks.add(risk)
            record_event(
                action="screening_response.risk_linked",
                target=response,
                actor=actor,
                park=park,
                data={"risk": risk.pk},
            )
        if owner is not None and owner.pk != getattr(actor, "pk", None):
            _notify_people(
                risk,
                [owner],
                kind="risk.assigned",
                title=_t("You are responsible for the integrity risk “%(title)s”") % {"title": risk.title},
            )
        if residual_level in HEAD_DECISION_LEVELS:
            _notify_people(
                risk,
                [p for p in _discipline_office(park) if p.pk != getattr(actor, "pk", None)],
                kind="risk.registered",
                title=_t("A %(level)s integrity risk was registered: %(title)s")
                % {"level": RiskLevel(residual_level).label, "title": risk.title},
            )
    return risk


def _lock_open_response(response, department):
    from integrity.choices_risk import CampaignStatus
    from integrity.models import RiskScreeningResponse

    locked = (
        RiskScreeningResponse.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=response.pk)
    )
    if locked.campaign.status != CampaignStatus.OPEN:
        raise Conflict(_("This screening campaign is closed."), code="campaign_closed")
    if locked.department_id != department.pk:
        raise DomainError(
            _("A risk reported in answer to a campaign belongs to the answering department."),
            code="wrong_department",
            field="department",
        )
    return locked


def risk_create(
    *,
    park,
    department,
    actor,
    post,
    area,
    title,
    description,
    inherent_likelihood,
    inherent_impact,
    residual_likelihood=None,
    residual_impact=None,
    manifestations="",
    owner=None,
    post_holder=None,
    source=RiskSource.SELF_ASSESSMENT,
    source_reference="",
    screening_response=None,
    registered_on=None,
):
    """Register a risk point of `department`'s `post`.

    Discipline officers and park administrators of the park (and platform administrators) register risks for
    any department; the department's own officials for their department (self-assessment), also in answer
    to a screening campaign (`screening_response`, which must be their department's and still open). Scores
    are graded under the park's current matrix version, which the risk keeps; the residual score defaults
    to the inherent one and may not exceed it. The first review is due one interval (by residual level)
    from the registration date: today, or `registered_on` when the register's managers carry over a risk
    from an older (paper or Excel) register — then its first review may already be overdue. Refuses a
    department of another park, missing text, scores outside 1–5, an owner or post holder who is not an
    official of the park, a registration date in the future or set by anyone else. Records ``risk.registered`` (and
    ``screening_response.risk_linked``); notifies the responsible person, and the discipline office of a
    高/重大 risk.
    """
    return _register(**locals())


def risk_raise_from_ticket(
    *,
    ticket,
    actor,
    department=None,
    post,
    area=None,
    title=None,
    description=None,
    inherent_likelihood,
    inherent_impact,
    residual_likelihood=None,
    residual_impact=None,
    manifestations="",
    owner=None,
    post_holder=None,
):
    """Register a risk found through a complaint or report (`complaints.Ticket`), linked to it.

    Only discipline officers of the ticket's park who may see the ticket. Title, area, department and
    description default to `risk_prefill_from_ticket` (subject, area guessed from the text, the accused
    official's department or the lead department, the ticket's text). Otherwise as `risk_create`.
    Records ``risk.raised_from_ticket``.
    """
    from complaints.selectors import ticket_is_visible_to
    from core.roles import DISCIPLINE
    from integrity.selectors.risks import risk_prefill_from_ticket

    if not has_role(actor, DISCIPLINE) or not can_see_park(actor, ticket.park_id):
        raise PermissionDenied(_("Only the park's discipline officers raise risks from tickets."))
    if not ticket_is_visible_to(actor, ticket):
        raise DomainError(_("No such ticket."), code="not_found", kind="not_found")
    prefill = risk_prefill_from_ticket(ticket)
    department = department or prefill["department"]
    if department is None:
        raise DomainError(
            _("The ticket names no department: choose the department the risk belongs to."),
            code="required",
            field="department",
        )
    return _register(
        park=ticket.park,
        department=department,
        actor=actor,
        post=post,
        area=area or prefill["area"],
        title=title or prefill["title"],
        description=description or prefill["description"],
        inherent_likelihood=inherent_likelihood,
        inherent_impact=inherent_impact,
        residual_likelihood=residual_likelihood,
        residual_impact=residual_impact,
        manifestations=manifestations,
        owner=owner,
        post_holder=post_holder,
        source=RiskSource.TICKET,
        source_reference=ticket.number,
        source_ticket=ticket,
        action="risk.raised_from_ticket",
    )


def risk_update(*, risk, actor, **changes):
    """Change what a risk says: department (managers only), post, post holder, area, title, description,
    manifestations, responsible person, and the inherent scores (regraded under the risk's own matrix
    version; the residual score may not exceed them). Residual scores change only through a review.

    The register's managers, and the officials of the risk's department. Refuses a closed risk (reopen it
    first) and unknown fields. A new post holder pulls the next review forward
    (`risk_pull_review_forward`, reason "post holder changed"). Records ``risk.updated`` with the fields
    changed, before and after.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="invalid_field",
        )
    with transaction.atomic():
        risk = _locked(risk)
        manager = can_manage_risks(actor, risk.park_id)
        if not manager and not is_department_staff(actor, risk.department_id):
            raise PermissionDenied(_("You may change only your own department's risks."))
        if not manager and MANAGER_ONLY_FIELDS & set(changes):
            raise PermissionDenied(_("Only the discipline office or the park's administrators move a risk."))
        if risk.status == RiskStatus.CLOSED:
            raise Conflict(_("This risk is closed: reopen it before changing it."), code="risk_closed")
        before = _snapshot(risk)
        previous_holder = risk.post_holder_id
        old_interval = review_interval(risk)
        changed = []
        for field, value in changes.items():
            if field in TEXT_FIELDS:
                value = (value or "").strip()
                if field != "manifestations" and not value:
                    raise DomainError(_("This field is required."), code="required", field=field)
            if field == "area" and value not in RiskArea.values:
                raise DomainError(_("Choose an area."), code="invalid_area", field="area")
            if field == "department" and (value is None or value.park_id != risk.park_id):
                raise DomainError(_("Choose a department of the park."), code="invalid_department", field=field)
            if field in ("owner", "post_holder"):
                _check_official(value, risk.park, field)
            if field in ("inherent_likelihood", "inherent_impact"):
                _check_scale(value, field)
            if getattr(risk, field) != value:
                setattr(risk, field, value)
                changed.append(field)
        if not changed:
            return risk
        if {"inherent_likelihood", "inherent_impact"} & set(changed):
            risk.inherent_score, risk.inherent_level = _grade(
                risk.matrix_version, risk.inherent_likelihood, risk.inherent_impact, "inherent"
            )
            _check_residual_not_above_inherent(risk.inherent_score, risk.residual_score)
            changed += ["inherent_score", "inherent_level"]
            _reschedule_for_new_interval(risk, old_interval, changed)
        risk.save(update_fields=[*changed, "updated_at"])
        after = _snapshot(risk)
        record_event(
            action="risk.updated",
            target=risk,
            actor=actor,
            park=risk.park_id,
            data={
                "fields": sorted(set(changed) - {"inherent_score", "inherent_level"}),
                "before": {k: v for k, v in before.items() if before[k] != after[k]},
                "after": {k: v for k, v in after.items() if before[k] != after[k]},
            },
        )
        if "owner" in changed and risk.owner is not None and risk.owner_id != actor.pk:
            _notify_people(
                risk,
                [risk.owner],
                kind="risk.assigned",
                title=_t("You are responsible for the integrity risk “%(title)s”") % {"title": risk.title},
            )
        if "post_holder" in changed and previous_holder is not None and risk.status in ACTIVE_STATUSES:
            _pull_forward(risk, reason=PullForwardReason.POST_HOLDER_CHANGED, actor=actor, note="", due=None)
    return risk


def _reschedule_for_new_interval(risk, old_interval, changed):
    """After the cadence changed (new inherent or residual level), the current period keeps its start and
    ends one new interval later, so the schedule still counts from the previous due date."""
    new_interval = review_interval(risk)
    if new_interval == old_interval or risk.review_anchor_date is None:
        return
    start = risk.review_anchor_date - dt.timedelta(days=old_interval)
    anchor = next_review_due(
        previous_due=start, reviewed_on=_today() - dt.timedelta(days=1), interval_days=new_interval
    )
    risk.review_anchor_date = anchor
    risk.review_due_date = min(anchor, risk.review_due_date) if risk.review_pulled_reason else anchor
    changed += ["review_anchor_date", "review_due_date"]


# --- transitions -----------------------------------------------------------------------------------------


def _transition(*, risk, actor, transition, note=""):
    with transaction.atomic():
        risk = _locked(risk)
        if not can_manage_risks(actor, risk.park_id):
            raise PermissionDenied(_("Only the discipline office or the park's administrators decide on risks."))
        new_status = next_risk_status(risk.status, transition)
        if transition in HEAD_TRANSITIONS and risk.residual_level in HEAD_DECISION_LEVELS:
            heads = discipline_office_head_ids(risk.park_id)
            if not heads:
                raise PermissionDenied(
                    _(
                        "Closing or accepting a %(level)s risk needs the head of the discipline office, and the park's "
                        "discipline office has no head on record."
                    )
                    % {"level": RiskLevel(risk.residual_level).label},
                    code="discipline_head_missing",
                )
            if actor.pk not in heads:
                raise PermissionDenied(
                    _(
                        "Only the head of the discipline office may close or accept a risk whose residual level is "
                        "%(level)s."
                    )
                    % {"level": RiskLevel(risk.residual_level).label},
                    code="discipline_head_required",
                )
        note = (note or "").strip()
        if transition == RiskTransition.ACCEPT and not note:
            raise DomainError(_("Say why the risk is accepted."), code="required", field="note")
        if transition == RiskTransition.MARK_CONTROLLED:
            statuses = list(risk.controls.values_list("status", flat=True))
            if ControlStatus.DONE not in statuses:
                raise Conflict(
                    _("A risk is controlled once at least one of its controls is done."), code="no_control_done"
                )
            if ControlStatus.OPEN in statuses:
                raise Conflict(
                    _("Some controls of this risk are still in progress: complete or cancel them first."),
                    code="controls_open",
                )
        before = _snapshot(risk)
        now = timezone.now()
        risk.status = new_status
        fields = ["status", "updated_at"]
        if transition in (RiskTransition.ACCEPT, RiskTransition.CLOSE):
            risk.decided_by, risk.decided_at, risk.decision_note = actor, now, note
            fields += ["decided_by", "decided_at", "decision_note"]
        if new_status == RiskStatus.CLOSED:
            risk.review_anchor_date = risk.review_due_date = None
            risk.review_pulled_reason, risk.review_pulled_note = "", ""
            fields += ["review_anchor_date", "review_due_date", "review_pulled_reason", "review_pulled_note"]
        if transition == RiskTransition.REOPEN and risk.review_due_date is None:
            risk.review_anchor_date = risk.review_due_date = first_review_due(_today(now), review_interval(risk))
            fields += ["review_anchor_date", "review_due_date"]
        risk.save(update_fields=fields)
        verb = {
            RiskTransition.MARK_CONTROLLED: "controlled",
            RiskTransition.ACCEPT: "accepted",
            RiskTransition.CLOSE: "closed",
            RiskTransition.REOPEN: "reopened",
        }[RiskTransition(transition)]
        record_event(
            action=f"risk.{verb}",
            target=risk,
            actor=actor,
            park=risk.park_id,
            data={"before": {"status": before["status"]}, "after": {"status": risk.status}, "note": note},
        )
        people = [p for p in _responsible_people(risk) if p.pk != actor.pk]
        _notify_people(
            risk,
            people,
            kind=f"risk.{verb}",
            title=_t("Integrity risk “%(title)s”: %(status)s")
            % {"title": risk.title, "status": RiskStatus(risk.status).label},
            body=note,
        )
    return risk


def risk_mark_controlled(*, risk, actor, note=""):
    """Mark a risk as controlled (open → controlled): its discipline office or park administrators, once at
    least one control is done and none is still in progress. Records ``risk.controlled``."""
    return _transition(risk=risk, actor=actor, transition=RiskTransition.MARK_CONTROLLED, note=note)


def risk_accept(*, risk, actor, note):
    """Accept a risk (open or controlled → accepted) with the reason in `note`; it stays under review.
    The discipline office or park administrators; a risk whose residual level is 高 or 重大 only the head of
    the park's discipline office. Records ``risk.accepted``."""
    return _transition(risk=risk, actor=actor, transition=RiskTransition.ACCEPT, note=note)


def risk_close(*, risk, actor, note=""):
    """Close a risk (no longer present): it leaves the review cycle. The discipline office or park
    administrators; a risk whose residual level is 高 or 重大 only the head of the park's discipline office.
    Records ``risk.closed``."""
    return _transition(risk=risk, actor=actor, transition=RiskTransition.CLOSE, note=note)


def risk_reopen(*, risk, actor, note=""):
    """Reopen a controlled, accepted or closed risk (→ open); a closed one is scheduled for review one
    interval from today. The discipline office or park administrators. Records ``risk.reopened``."""
    return _transition(risk=risk, actor=actor, transition=RiskTransition.REOPEN, note=note)


# --- controls -----------------------------------------------------------------------------------------------


def _control_snapshot(control):
    return {"status": control.status, "due_date": control.due_date, "owner": control.owner_id, "kind": control.kind}


def risk_control_add(*, risk, actor, kind, description, owner, due_date):
    """Add a control (防控措施) of one of the five kinds to a risk, with its owner and due date.

    The register's managers and the officials of the risk's department. Refuses a closed risk, an unknown
    kind, an empty description, an owner who is not an official of the park, a due date in the past
    (before the risk's registration date, for a risk carried over from an older register). Records
    ``risk_control.added``; notifies the owner.
    """
    with transaction.atomic():
        risk = _locked(risk)
        if not can_work_on_controls(actor, risk):
            raise PermissionDenied(_("You may add controls only to your own department's risks."))
        if risk.status == RiskStatus.CLOSED:
            raise Conflict(_("This risk is closed: reopen it before adding controls."), code="risk_closed")
        if kind not in ControlKind.values:
            raise DomainError(_("Choose the kind of control."), code="invalid_kind", field="kind")
        description = _required(description, "description", _("Describe the control."))
        if owner is None:
            raise DomainError(_("Name the control's owner."), code="required", field="owner")
        _check_official(owner, risk.park, "owner")
        if due_date is None:
            raise DomainError(_("Give a due date."), code="required", field="due_date")
        # Controls carried over with an older risk may be due before today, but never before the risk existed.
        if due_date < min(_today(), timezone.localdate(risk.created_at)):
            raise DomainError(_("The due date cannot be in the past."), code="due_in_past", field="due_date")
        control = RiskControl.objects.create(
            risk=risk,
            kind=kind,
            description=description,
            owner=owner,
            due_date=due_date,
            created_by=actor,
        )
        record_event(
            action="risk_control.added",
            target=control,
            actor=actor,
            park=risk.park_id,
            data={"risk": risk.pk, "after": _control_snapshot(control)},
        )
        if owner.pk != actor.pk:
            _notify_people(
                risk,
                [owner],
                kind="risk_control.assigned",
                title=_t("A control of the integrity risk “%(title)s” is yours, due %(date)s")
                % {"title": risk.title, "date": due_date.isoformat()},
                body=description,
            )
    return control


def _locked_control(control):
    return (
        RiskControl.objects.select_for_update(of=("self",))
        .select_related("risk", "risk__park", "risk__department", "owner")
        .get(pk=control.pk)
    )


def _attach_evidence(control, actor, files):
    from core.services import attachment_attach, attachment_create

    attached = []
    for item in files or ():
        if hasattr(item, "token"):  # an Attachment uploaded earlier (API)
            attached.append(attachment_attach(attachment=item, target=control, actor=actor))
        else:
            attached.append(attachment_create(file=item, actor=actor, park=control.risk.park, target=control))
    return attached


def risk_control_complete(*, control, actor, note, evidence=()):
    """Mark a control done, saying what was done, with evidence files (uploaded files, or `Attachment`s
    uploaded earlier by the actor), validated and stored through `core.attachments`.

    The control's owner and the register's managers. Refuses a control that is not in progress and an empty
    note. Records ``risk_control.completed`` (and one ``attachment.*`` event per file).
    """
    with transaction.atomic():
        control = _locked_control(control)
        if not can_complete_control(actor, control):
            raise PermissionDenied(_("Only the control's owner or the discipline office completes a control."))
        if control.status != ControlStatus.OPEN:
            raise Conflict(_("This control is not in progress."), code="control_not_open")
        note = _required(note, "note", _("Say what was done."))
        before = _control_snapshot(control)
        control.status = ControlStatus.DONE
        control.completed_at = timezone.now()
        control.completed_by = actor
        control.completion_note = note
        control.save(update_fields=["status", "completed_at", "completed_by", "completion_note"])
        files = _attach_evidence(control, actor, evidence)
        record_event(
            action="risk_control.completed",
            target=control,
            actor=actor,
            park=control.risk.park_id,
            data={
                "risk": control.risk_id,
                "before": before,
                "after": _control_snapshot(control),
                "late": control.completed_at.date() > control.due_date,
                "evidence": [f.pk for f in files],
            },
        )
    return control


def risk_control_add_evidence(*, control, actor, evidence):
    """Attach more evidence files to a control (in progress or done). The control's owner and the register's
    managers. Refuses an empty list and a cancelled control. Records ``risk_control.evidence_added``."""
    if not evidence:
        raise DomainError(_("Choose at least one file."), code="required", field="evidence")
    with transaction.atomic():
        control = _locked_control(control)
        if not can_complete_control(actor, control):
            raise PermissionDenied(_("Only the control's owner or the discipline office adds evidence."))
        if control.status == ControlStatus.CANCELLED:
            raise Conflict(_("This control was cancelled."), code="control_cancelled")
        files = _attach_evidence(control, actor, evidence)
        record_event(
            action="risk_control.evidence_added",
            target=control,
            actor=actor,
            park=control.risk.park_id,
            data={"risk": control.risk_id, "evidence": [f.pk for f in files]},
        )
    return files


def risk_control_cancel(*, control, actor, reason):
    """Cancel a control in progress, with the reason. The register's managers only. Records
    ``risk_control.cancelled``."""
    with transaction.atomic():
        control = _locked_control(control)
        if not can_manage_risks(actor, control.risk.park_id):
            raise PermissionDenied(_("Only the discipline office or the park's administrators cancel a control."))
        if control.status != ControlStatus.OPEN:
            raise Conflict(_("This control is not in progress."), code="control_not_open")
        reason = _required(reason, "reason", _("Say why the control is cancelled."))
        before = _control_snapshot(control)
        control.status = ControlStatus.CANCELLED
        control.completion_note = reason
        control.completed_at = timezone.now()
        control.completed_by = actor
        control.save(update_fields=["status", "completion_note", "completed_at", "completed_by"])
        record_event(
            action="risk_control.cancelled",
            target=control,
            actor=actor,
            park=control.risk.park_id,
            data={"risk": control.risk_id, "before": before, "after": _control_snapshot(control), "reason": reason},
        )
    return control


# --- reviews ------------------------------------------------------------------------------------------------


def risk_review_record(*, risk, actor, findings, residual_likelihood, residual_impact, reviewed_on=None):
    """Record a review of a risk (复核): findings and the new residual scores, graded under the risk's own
    matrix version (not above the inherent score).

    The register's managers, the risk's responsible person, the head of its department. Refuses a closed
    risk, a review date in the future or before the risk was registered, empty findings.

    The schedule: the next due date is counted from the previous due date (``review_anchor_date``), not
    from the review date, so it does not drift (`integrity.risk_matrix.next_review_due`), with the interval
    of the new residual level. A second review within a period already satisfied does not push the
    schedule further; a review that was pulled forward always satisfies the current period. Records
    ``risk.reviewed``; tells the discipline office when the residual level rose to 高 or 重大.
    """
    today = _today()
    reviewed_on = reviewed_on or today
    with transaction.atomic():
        risk = _locked(risk)
        if not can_review_risk(actor, risk):
            raise PermissionDenied(_("You may not review this risk."))
        if risk.status not in ACTIVE_STATUSES:
            raise Conflict(_("This risk is closed: reopen it before reviewing it."), code="risk_closed")
        if reviewed_on > today:
            raise DomainError(_("A review cannot be dated in the future."), code="future_date", field="reviewed_on")
        if reviewed_on < timezone.localdate(risk.created_at):
            raise DomainError(
                _("A review cannot be dated before the risk was registered."), code="too_early", field="reviewed_on"
            )
        findings = _required(findings, "findings", _("Write down what the review found."))
        new_score, new_level = _grade(risk.matrix_version, residual_likelihood, residual_impact, "residual")
        _check_residual_not_above_inherent(risk.inherent_score, new_score)
        before = _snapshot(risk)
        rules = MatrixRules.from_version(risk.matrix_version)
        old_interval = rules.review_interval(residual_level=risk.residual_level, inherent_level=risk.inherent_level)
        new_interval = rules.review_interval(residual_level=new_level, inherent_level=risk.inherent_level)
        previous_due = risk.review_due_date
        anchor = risk.review_anchor_date or previous_due or reviewed_on
        pulled = bool(risk.review_pulled_reason)
        advances = pulled or review_advances_schedule(
            previous_due=anchor, reviewed_on=reviewed_on, interval_days=old_interval
        )
        if advances:
            next_anchor = next_review_due(previous_due=anchor, reviewed_on=reviewed_on, interval_days=new_interval)
        else:
            # An extra review: the current period keeps its start, and ends earlier if the level rose.
            next_anchor = next_review_due(
                previous_due=anchor - dt.timedelta(days=old_interval),
                reviewed_on=reviewed_on,
                interval_days=new_interval,
            )
        previous_level = risk.residual_level
        review = RiskReview.objects.create(
            risk=risk,
            reviewer=actor,
            reviewed_on=reviewed_on,
            findings=findings,
            residual_likelihood=residual_likelihood,
            residual_impact=residual_impact,
            residual_score=new_score,
            residual_level=new_level,
            previous_residual_level=previous_level,
            matrix_version=risk.matrix_version,
            due_date=previous_due if advances else None,
            next_due_date=next_anchor,
            was_pulled_forward=pulled,
        )
        risk.residual_likelihood, risk.residual_impact = residual_likelihood, residual_impact
        risk.residual_score, risk.residual_level = new_score, new_level
        risk.last_reviewed_on = max(reviewed_on, risk.last_reviewed_on or reviewed_on)
        risk.review_anchor_date = risk.review_due_date = next_anchor
        risk.review_pulled_reason, risk.review_pulled_note = "", ""
        risk.save(
            update_fields=[
                "residual_likelihood",
                "residual_impact",
                "residual_score",
                "residual_level",
                "last_reviewed_on",
                "review_anchor_date",
                "review_due_date",
                "review_pulled_reason",
                "review_pulled_note",
                "updated_at",
            ]
        )
        after = _snapshot(risk)
        record_event(
            action="risk.reviewed",
            target=risk,
            actor=actor,
            park=risk.park_id,
            data={
                "review": review.pk,
                "reviewed_on": reviewed_on,
                "late": previous_due is not None and advances and reviewed_on > previous_due,
                "pulled_forward": pulled,
                "before": {"residual": before["residual"], "review_due_date": before["review_due_date"]},
                "after": {"residual": after["residual"], "review_due_date": after["review_due_date"]},
            },
        )
        if (
            new_level in HEAD_DECISION_LEVELS
            and LEVEL_RANK[RiskLevel(new_level)] > LEVEL_RANK[RiskLevel(previous_level)]
        ):
            _notify_people(
                risk,
                [p for p in _discipline_office(risk.park_id) if p.pk != actor.pk],
                kind="risk.level_raised",
                title=_t("Integrity risk “%(title)s” is now %(level)s")
                % {"title": risk.title, "level": RiskLevel(new_level).label},
                body=findings,
            )
    return review


def _pull_forward(risk, *, reason, actor, note, due):
    """Bring `risk` (locked, active) forward; shared by the service and by `risk_update`."""
    today = _today()
    due = due or today
    before = _snapshot(risk)
    current = risk.review_due_date
    new_due = min(current, due) if current is not None else due
    risk.review_due_date = new_due
    if risk.review_anchor_date is None:
        risk.review_anchor_date = first_review_due(today, review_interval(risk))
    risk.review_pulled_reason = reason
    risk.review_pulled_note = (note or "").strip()
    risk.save(
        update_fields=[
            "review_due_date",
            "review_anchor_date",
            "review_pulled_reason",
            "review_pulled_note",
            "updated_at",
        ]
    )
    record_event(
        action="risk.review_pulled_forward",
        target=risk,
        actor=actor,
        park=risk.park_id,
        data={
            "reason": reason,
            "note": risk.review_pulled_note,
            "before": {"review_due_date": before["review_due_date"]},
            "after": {"review_due_date": new_due},
        },
    )
    people = _responsible_people(risk)
    title = _t("Review the integrity risk “%(title)s” by %(date)s: %(reason)s") % {
        "title": risk.title,
        "date": new_due.isoformat(),
        "reason": PullForwardReason(reason).label,
    }
    if new_due <= today:
        # This notice is the "review due" reminder of the new due date: the sweep must not send it again.
        reminder, created = _reminder_once(risk, new_due, ReviewReminderKind.DUE, len(people))
        if not created:
            return risk
    _notify_people(risk, people, kind="risk.review_pulled_forward", title=title, body=risk.review_pulled_note)
    return risk


def risk_pull_review_forward(*, risk, reason, actor, note="", due_date=None):
    """Bring a risk's next review forward because something happened: a substantiated complaint, a confirmed
    red flag, an inspection finding, a change of post holder (`PullForwardReason`).

    For other apps' services (complaints, procurement, parks) as well as the register's pages: any official
    of the risk's park, or the system (``actor=None``, from a task). The review becomes due on `due_date`
    (today when not given; not in the past), or stays due earlier if it already was. The regular cadence date
    is kept, so after the pulled-forward review the schedule continues from it. Refuses a closed risk.
    Records ``risk.review_pulled_forward``; notifies the responsible people (recorded as the "due" reminder
    of that date when it is today, so the sweep does not repeat it).
    """
    if reason not in PullForwardReason.values:
        raise DomainError(_("Choose why the review is brought forward."), code="invalid_reason", field="reason")
    if due_date is not None and due_date < _today():
        raise DomainError(_("The review cannot be due in the past."), code="due_in_past", field="due_date")
    with transaction.atomic():
        risk = _locked(risk)
        if actor is not None and not (
            is_platform_admin(actor) or (has_role(actor, *OFFICIAL_ROLES) and can_see_park(actor, risk.park_id))
        ):
            raise PermissionDenied(_("Only officials of the park bring a risk's review forward."))
        if risk.status not in ACTIVE_STATUSES:
            raise Conflict(_("This risk is closed: it has no review to bring forward."), code="risk_closed")
        return _pull_forward(risk, reason=reason, actor=actor, note=note, due=due_date)


# --- reminders ----------------------------------------------------------------------------------------------


def _reminder_once(risk, due_date, kind, recipient_count):
    """Record one reminder; ``(row, False)`` when it was already recorded (by an earlier or concurrent run)."""
    try:
        with transaction.atomic():
            return (
                RiskReviewReminder.objects.create(
                    risk=risk, due_date=due_date, kind=kind, recipient_count=recipient_count
                ),
                True,
            )
    except IntegrityError:
        return RiskReviewReminder.objects.get(risk=risk, due_date=due_date, kind=kind), False


def _kinds_due(risk, now):
    """The reminder kinds whose moment has come for `risk`'s current due date, least urgent first."""
    today = _today(now)
    due = risk.review_due_date
    version = risk.matrix_version
    kinds = []
    if today >= due - dt.timedelta(days=version.upcoming_reminder_days) and today < due:
        kinds.append(ReviewReminderKind.UPCOMING)
    if today >= due:
        kinds.append(ReviewReminderKind.DUE)
        if now > add_working_days(due, version.escalate_after_working_days):
            kinds.append(ReviewReminderKind.ESCALATED)
    return kinds


def _send_review_reminders(risk_id, now):
    sent = dict.fromkeys(ReviewReminderKind.values, 0)
    with transaction.atomic():
        risk = (
            IntegrityRisk.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("park", "department", "department__head", "owner", "matrix_version")
            .filter(pk=risk_id, status__in=ACTIVE_STATUSES, review_due_date__isnull=False)
            .first()
        )
        if risk is None:
            return sent
        kinds = _kinds_due(risk, now)
        new = []
        for kind in kinds:
            _row, created = _reminder_once(risk, risk.review_due_date, kind, 0)
            if created:
                new.append(kind)
        if not new:
            return sent
        # When the sweep missed days, only the most urgent new reminder is sent; the others are recorded.
        kind = new[-1]
        due = risk.review_due_date.isoformat()
        if kind == ReviewReminderKind.ESCALATED:
            people = _discipline_office(risk.park_id)
            title = _t("Overdue risk review escalated: “%(title)s” was due %(date)s") % {
                "title": risk.title,
                "date": due,
            }
            record_event(
                action="risk.review_escalated",
                target=risk,
                actor=None,
                park=risk.park_id,
                data={"due_date": due, "department": risk.department_id},
            )
        elif kind == ReviewReminderKind.DUE:
            people = _responsible_people(risk)
            title = _t("The review of the integrity risk “%(title)s” is due (%(date)s)") % {
                "title": risk.title,
                "date": due,
            }
        else:
            people = _responsible_people(risk)
            title = _t("The integrity risk “%(title)s” is to be reviewed by %(date)s") % {
                "title": risk.title,
                "date": due,
            }
        _notify_people(risk, people, kind=f"risk.review_{kind}", title=title)
        RiskReviewReminder.objects.filter(risk=risk, due_date=risk.review_due_date, kind=kind).update(
            recipient_count=len(people)
        )
        sent[kind] = 1
    return sent


def risk_review_reminders_send(*, now=None):
    """The review sweep (Celery beat, daily): for each risk under review whose due date is near or past,
    send the reminder whose moment has come — "coming up" (the version's `upcoming_reminder_days` before),
    "due" (from the due date) to the responsible person and the department head, and the escalation to the
    discipline office once `escalate_after_working_days` working days have passed after the due date
    (`core.workcalendar.add_working_days`). Each is recorded once per risk, due date and kind (unique row),
    so running the sweep twice, or twice at once, sends nothing twice. Reads only risks due within the
    longest reminder lead and not yet escalated for their due date. Returns counts per kind. Records
    ``risk.review_escalated`` for each escalation (system actor)."""
    from django.db.models import Exists, Max, OuterRef

    now = now or timezone.now()
    today = _today(now)
    lead = RiskMatrixVersion.objects.aggregate(m=Max("upcoming_reminder_days"))["m"] or 0
    escalated = RiskReviewReminder.objects.filter(
        risk=OuterRef("pk"), due_date=OuterRef("review_due_date"), kind=ReviewReminderKind.ESCALATED
    )
    candidates = (
        IntegrityRisk.objects.filter(status__in=ACTIVE_STATUSES, review_due_date__lte=today + dt.timedelta(days=lead))
        .exclude(Exists(escalated))
        .order_by("review_due_date", "id")
        .values_list("pk", flat=True)
    )
    totals = dict.fromkeys(ReviewReminderKind.values, 0)
    for risk_id in list(candidates):
        for kind, count in _send_review_reminders(risk_id, now).items():
            totals[kind] += count
    return totals
