"""The register's services: registering risks, the transitions (and the discipline office head's decision on
高/重大 risks), controls with evidence, and raising a risk from a ticket."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from core.attachments import attachments_for
from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Notification
from integrity.choices_risk import (
    ControlKind,
    ControlStatus,
    RiskArea,
    RiskLevel,
    RiskSource,
    RiskStatus,
    RiskTransition,
)
from integrity.services import risks as services
from tests.complaints.factories import CategoryFactory, TicketFactory
from tests.integrity.factories_risk import RiskControlFactory, make_head, register_risk


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def actions(record):
    return [event.action for event in events_for(record)]


# --- registering -----------------------------------------------------------------------------------------


def test_a_discipline_officer_registers_a_risk_graded_under_the_current_matrix(world_a):
    risk = register_risk(world_a, inherent_likelihood=4, inherent_impact=5, residual_likelihood=2, residual_impact=4)

    assert (risk.inherent_score, risk.inherent_level) == (20, RiskLevel.MAJOR)
    assert (risk.residual_score, risk.residual_level) == (8, RiskLevel.MEDIUM)
    assert risk.matrix_version.park is None and risk.matrix_version.version == 1
    assert actions(risk) == ["risk.registered"]


def test_the_residual_scores_default_to_the_inherent_ones(world_a):
    risk = register_risk(world_a, residual_likelihood=None, residual_impact=None)

    assert (risk.residual_likelihood, risk.residual_impact, risk.residual_level) == (3, 3, RiskLevel.MEDIUM)


def test_a_residual_score_above_the_inherent_one_is_refused(world_a):
    with pytest.raises(DomainError) as error:
        register_risk(world_a, inherent_likelihood=2, inherent_impact=2, residual_likelihood=3, residual_impact=3)

    assert error.value.code == "residual_above_inherent"


def test_a_score_outside_the_matrix_is_refused(world_a):
    with pytest.raises(DomainError) as error:
        register_risk(world_a, inherent_likelihood=6)

    assert error.value.field == "inherent_likelihood"


def test_a_handler_registers_a_risk_of_their_own_department(world_a):
    risk = register_risk(world_a, actor=world_a.handler)

    assert risk.department == world_a.business and risk.created_by == world_a.handler


def test_a_handler_cannot_register_a_risk_of_another_department(world_a):
    with pytest.raises(PermissionDenied):
        register_risk(world_a, actor=world_a.handler, department=world_a.dispatch)


@pytest.mark.parametrize("role", ["enterprise_user", "auditor"])
def test_enterprise_users_and_auditors_cannot_register_risks(world_a, role):
    with pytest.raises(PermissionDenied):
        register_risk(world_a, actor=getattr(world_a, role))


def test_a_discipline_officer_of_another_park_cannot_register_risks_here(world_a, world_b):
    with pytest.raises(PermissionDenied):
        register_risk(world_a, actor=world_b.discipline)


def test_a_department_of_another_park_is_refused(world_a, world_b):
    with pytest.raises(DomainError) as error:
        register_risk(world_a, department=world_b.business)

    assert error.value.field == "department"


def test_an_owner_who_is_not_an_official_of_the_park_is_refused(world_a, world_b):
    with pytest.raises(DomainError) as error:
        register_risk(world_a, owner=world_b.handler)

    assert error.value.field == "owner"


def test_the_first_review_is_due_one_interval_after_registration(world_a):
    risk = register_risk(world_a)  # residual 中: every 180 days

    assert risk.review_due_date == timezone.localdate() + dt.timedelta(days=180)
    assert risk.review_anchor_date == risk.review_due_date


def test_an_inherently_major_risk_is_reviewed_at_least_every_90_days(world_a):
    risk = register_risk(world_a, inherent_likelihood=5, inherent_impact=5, residual_likelihood=1, residual_impact=2)

    assert risk.residual_level == RiskLevel.LOW
    assert risk.review_due_date == timezone.localdate() + dt.timedelta(days=90)


def test_registering_a_major_risk_tells_the_discipline_office(world_a):
    register_risk(
        world_a,
        actor=world_a.handler,
        inherent_likelihood=5,
        inherent_impact=5,
        residual_likelihood=4,
        residual_impact=5,
    )

    assert Notification.objects.filter(recipient=world_a.discipline, kind="risk.registered").exists()


def test_a_park_matrix_version_grades_new_risks_and_old_ones_keep_theirs(world_a):
    old = register_risk(world_a, inherent_likelihood=2, inherent_impact=2, residual_likelihood=2, residual_impact=2)
    services.risk_matrix_publish(
        actor=world_a.discipline,
        park=world_a.park,
        medium_from=3,
        high_from=8,
        major_from=15,
        impact_floors={"5": "major"},
        review_days={"major": 15, "high": 60, "medium": 120, "low": 365},
        inherent_major_max_days=60,
    )

    new = register_risk(world_a, inherent_likelihood=2, inherent_impact=2, residual_likelihood=2, residual_impact=2)
    old.refresh_from_db()

    assert (old.matrix_version.version, old.residual_level) == (1, RiskLevel.LOW)
    assert (new.matrix_version.park, new.residual_level) == (world_a.park, RiskLevel.MEDIUM)


def test_only_platform_administrators_change_the_default_matrix(world_a):
    with pytest.raises(PermissionDenied):
        services.risk_matrix_publish(
            actor=world_a.discipline,
            park=None,
            medium_from=5,
            high_from=10,
            major_from=20,
            impact_floors={},
            review_days={"major": 30, "high": 90, "medium": 180, "low": 365},
            inherent_major_max_days=90,
        )


def test_a_matrix_whose_thresholds_do_not_rise_is_refused(world_a):
    with pytest.raises(DomainError) as error:
        services.risk_matrix_publish(
            actor=world_a.discipline,
            park=world_a.park,
            medium_from=10,
            high_from=5,
            major_from=20,
            impact_floors={},
            review_days={"major": 30, "high": 90, "medium": 180, "low": 365},
            inherent_major_max_days=90,
        )

    assert error.value.field == "thresholds"


def test_changing_the_post_holder_pulls_the_review_forward(world_a):
    risk = register_risk(world_a, post_holder=world_a.handler)

    risk = services.risk_update(risk=risk, actor=world_a.discipline, post_holder=world_a.dispatcher)

    assert risk.review_due_date == timezone.localdate()
    assert risk.review_pulled_reason == "post_holder_changed"
    assert actions(risk)[-2:] == ["risk.updated", "risk.review_pulled_forward"]


def test_a_handler_cannot_move_a_risk_to_another_department(world_a):
    risk = register_risk(world_a, actor=world_a.handler)

    with pytest.raises(PermissionDenied):
        services.risk_update(risk=risk, actor=world_a.handler, department=world_a.dispatch)


def test_raising_the_inherent_impact_regrades_the_risk(world_a):
    risk = register_risk(world_a)

    risk = services.risk_update(risk=risk, actor=world_a.discipline, inherent_impact=5)

    assert (risk.inherent_score, risk.inherent_level) == (15, RiskLevel.HIGH)


# --- transitions -----------------------------------------------------------------------------------------


def _controlled(world):
    risk = register_risk(world)
    control = services.risk_control_add(
        risk=risk,
        actor=world.discipline,
        kind=ControlKind.INTERNAL_CONTROL,
        description="资金拨付实行分管领导、财政部门双审核。",
        owner=world.handler,
        due_date=timezone.localdate() + dt.timedelta(days=10),
    )
    services.risk_control_complete(control=control, actor=world.handler, note="已建立双审核制度。")
    return services.risk_mark_controlled(risk=risk, actor=world.discipline)


TRANSITIONS = [
    (RiskStatus.OPEN, RiskTransition.ACCEPT, RiskStatus.ACCEPTED, "risk.accepted"),
    (RiskStatus.OPEN, RiskTransition.CLOSE, RiskStatus.CLOSED, "risk.closed"),
    (RiskStatus.CONTROLLED, RiskTransition.ACCEPT, RiskStatus.ACCEPTED, "risk.accepted"),
    (RiskStatus.CONTROLLED, RiskTransition.CLOSE, RiskStatus.CLOSED, "risk.closed"),
    (RiskStatus.CONTROLLED, RiskTransition.REOPEN, RiskStatus.OPEN, "risk.reopened"),
]
SERVICES = {
    RiskTransition.ACCEPT: services.risk_accept,
    RiskTransition.CLOSE: services.risk_close,
    RiskTransition.REOPEN: services.risk_reopen,
    RiskTransition.MARK_CONTROLLED: services.risk_mark_controlled,
}


@pytest.mark.parametrize(("start", "transition", "end", "action"), TRANSITIONS)
def test_allowed_transitions_change_the_status_and_are_audited(world_a, start, transition, end, action):
    risk = _controlled(world_a) if start == RiskStatus.CONTROLLED else register_risk(world_a)

    risk = SERVICES[transition](risk=risk, actor=world_a.discipline, note="经评估，风险可控。")

    assert risk.status == end
    assert actions(risk)[-1] == action


def test_a_controlled_risk_was_audited_as_such(world_a):
    risk = _controlled(world_a)

    assert risk.status == RiskStatus.CONTROLLED and actions(risk)[-1] == "risk.controlled"


@pytest.mark.parametrize("transition", [RiskTransition.MARK_CONTROLLED, RiskTransition.ACCEPT, RiskTransition.CLOSE])
def test_a_closed_risk_can_only_be_reopened(world_a, transition):
    risk = services.risk_close(risk=register_risk(world_a), actor=world_a.discipline)

    with pytest.raises(Conflict):
        SERVICES[transition](risk=risk, actor=world_a.discipline, note="x")


def test_reopening_a_closed_risk_schedules_a_review(world_a):
    risk = services.risk_close(risk=register_risk(world_a), actor=world_a.discipline)
    assert risk.review_due_date is None

    risk = services.risk_reopen(risk=risk, actor=world_a.discipline)

    assert risk.status == RiskStatus.OPEN
    assert risk.review_due_date == timezone.localdate() + dt.timedelta(days=180)


def test_a_risk_without_a_completed_control_cannot_be_marked_controlled(world_a):
    risk = register_risk(world_a)

    with pytest.raises(Conflict) as error:
        services.risk_mark_controlled(risk=risk, actor=world_a.discipline)

    assert error.value.code == "no_control_done"


def test_a_risk_with_a_control_in_progress_cannot_be_marked_controlled(world_a):
    risk = register_risk(world_a)
    RiskControlFactory(risk=risk, owner=world_a.handler, status=ControlStatus.DONE)
    RiskControlFactory(risk=risk, owner=world_a.handler, status=ControlStatus.OPEN)

    with pytest.raises(Conflict) as error:
        services.risk_mark_controlled(risk=risk, actor=world_a.discipline)

    assert error.value.code == "controls_open"


def test_accepting_needs_a_reason(world_a):
    with pytest.raises(DomainError) as error:
        services.risk_accept(risk=register_risk(world_a), actor=world_a.discipline, note="  ")

    assert error.value.field == "note"


def test_a_handler_cannot_close_a_risk(world_a):
    with pytest.raises(PermissionDenied):
        services.risk_close(risk=register_risk(world_a, actor=world_a.handler), actor=world_a.handler)


HIGH = {"inherent_likelihood": 4, "inherent_impact": 4, "residual_likelihood": 3, "residual_impact": 4}  # 12: 高
MAJOR = {"inherent_likelihood": 5, "inherent_impact": 5, "residual_likelihood": 4, "residual_impact": 5}  # 20: 重大


@pytest.mark.parametrize("scores", [HIGH, MAJOR], ids=["high", "major"])
@pytest.mark.parametrize("service", [services.risk_close, services.risk_accept], ids=["close", "accept"])
def test_closing_or_accepting_a_high_or_major_risk_is_refused_to_a_discipline_officer_who_is_not_the_head(
    world_a, scores, service
):
    make_head(world_a.discipline_dept, world_a.park_admin)
    risk = register_risk(world_a, **scores)

    with translation.override("en"), pytest.raises(PermissionDenied) as error:
        service(risk=risk, actor=world_a.discipline, note="可接受")

    assert error.value.code == "discipline_head_required"
    assert "Only the head of the discipline office" in str(error.value)


@pytest.mark.parametrize("service", [services.risk_close, services.risk_accept], ids=["close", "accept"])
def test_the_head_of_the_discipline_office_closes_or_accepts_a_major_risk(world_a, service):
    make_head(world_a.discipline_dept, world_a.discipline)
    risk = register_risk(world_a, **MAJOR)

    risk = service(risk=risk, actor=world_a.discipline, note="已采取充分措施。")

    assert risk.decided_by == world_a.discipline


def test_without_a_head_on_record_the_refusal_says_so(world_a):
    risk = register_risk(world_a, **HIGH)

    with pytest.raises(PermissionDenied) as error:
        services.risk_close(risk=risk, actor=world_a.discipline)

    assert error.value.code == "discipline_head_missing"


def test_a_park_administrator_closes_a_medium_risk_without_the_head(world_a):
    risk = services.risk_close(risk=register_risk(world_a), actor=world_a.park_admin)

    assert risk.status == RiskStatus.CLOSED


# --- controls -----------------------------------------------------------------------------------------------


def test_adding_a_control_is_audited_and_tells_its_owner(world_a):
    risk = register_risk(world_a)

    control = services.risk_control_add(
        risk=risk,
        actor=world_a.discipline,
        kind=ControlKind.EARLY_WARNING,
        description="对兑现资金异常申报自动预警。",
        owner=world_a.handler,
        due_date=timezone.localdate() + dt.timedelta(days=30),
    )

    assert actions(control) == ["risk_control.added"]
    assert Notification.objects.filter(recipient=world_a.handler, kind="risk_control.assigned").exists()


def test_a_control_due_in_the_past_is_refused(world_a):
    with pytest.raises(DomainError) as error:
        services.risk_control_add(
            risk=register_risk(world_a),
            actor=world_a.discipline,
            kind=ControlKind.EDUCATION,
            description="开展警示教育。",
            owner=world_a.handler,
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )

    assert error.value.field == "due_date"


def test_an_unknown_control_kind_is_refused(world_a):
    with pytest.raises(DomainError) as error:
        services.risk_control_add(
            risk=register_risk(world_a),
            actor=world_a.discipline,
            kind="prayer",
            description="x",
            owner=world_a.handler,
            due_date=timezone.localdate(),
        )

    assert error.value.field == "kind"


def test_the_owner_completes_a_control_with_evidence(world_a):
    control = RiskControlFactory(risk=register_risk(world_a), owner=world_a.handler)
    photo = SimpleUploadedFile("制度.png", png_bytes(), content_type="image/png")

    control = services.risk_control_complete(
        control=control, actor=world_a.handler, note="已印发制度。", evidence=[photo]
    )

    assert control.status == ControlStatus.DONE and control.completed_by == world_a.handler
    assert [a.original_name for a in attachments_for(control)] == ["制度.png"]
    assert actions(control)[-1] == "risk_control.completed"


def test_evidence_that_is_not_an_allowed_file_is_refused_and_nothing_changes(world_a):
    control = RiskControlFactory(risk=register_risk(world_a), owner=world_a.handler)
    script = SimpleUploadedFile("evidence.exe", b"MZ\x90\x00" + b"\x00" * 64)

    with pytest.raises(DomainError):
        services.risk_control_complete(control=control, actor=world_a.handler, note="x", evidence=[script])

    control.refresh_from_db()
    assert control.status == ControlStatus.OPEN


def test_another_official_cannot_complete_someone_elses_control(world_a):
    control = RiskControlFactory(risk=register_risk(world_a), owner=world_a.handler)

    with pytest.raises(PermissionDenied):
        services.risk_control_complete(control=control, actor=world_a.dispatcher, note="done")


def test_a_completed_control_cannot_be_completed_again(world_a):
    control = RiskControlFactory(risk=register_risk(world_a), owner=world_a.handler, status=ControlStatus.DONE)

    with pytest.raises(Conflict):
        services.risk_control_complete(control=control, actor=world_a.handler, note="again")


def test_a_control_past_its_due_date_and_still_open_is_overdue(world_a):
    control = RiskControlFactory(
        risk=register_risk(world_a), owner=world_a.handler, due_date=timezone.localdate() - dt.timedelta(days=1)
    )

    assert control.is_overdue()


def test_a_manager_cancels_a_control_with_a_reason(world_a):
    control = RiskControlFactory(risk=register_risk(world_a), owner=world_a.handler)

    control = services.risk_control_cancel(control=control, actor=world_a.discipline, reason="与其他措施重复。")

    assert control.status == ControlStatus.CANCELLED and actions(control)[-1] == "risk_control.cancelled"


# --- raising a risk from a ticket ------------------------------------------------------------------------


def _ticket(world, **kw):
    category = CategoryFactory(park=world.park, name="惠企政策")
    values = {
        "park": world.park,
        "category": category,
        "subject": "奖补资金兑现被要求请客",
        "body": "企业申领人才奖补资金时，经办人暗示需要请客吃饭才能尽快兑现。",
        "lead_department": world.business,
        "is_confidential": True,
    }
    values.update(kw)
    return TicketFactory(**values)


def test_a_discipline_officer_raises_a_risk_from_a_ticket_prefilled_from_it(world_a):
    ticket = _ticket(world_a)

    risk = services.risk_raise_from_ticket(
        ticket=ticket, actor=world_a.discipline, post="奖补资金经办岗", inherent_likelihood=3, inherent_impact=4
    )

    assert (risk.title, risk.area, risk.department) == (ticket.subject, RiskArea.POLICY_PAYOUTS, world_a.business)
    assert (risk.source, risk.source_ticket, risk.source_reference) == (RiskSource.TICKET, ticket, ticket.number)
    assert actions(risk) == ["risk.raised_from_ticket"]


def test_the_department_of_the_accused_official_is_preferred(world_a):
    ticket = _ticket(world_a, accused_official=world_a.dispatcher, lead_department=world_a.discipline_dept)

    risk = services.risk_raise_from_ticket(
        ticket=ticket, actor=world_a.discipline, post="受理岗", inherent_likelihood=2, inherent_impact=3
    )

    assert risk.department == world_a.dispatch


@pytest.mark.parametrize("role", ["park_admin", "handler", "dispatcher"])
def test_only_discipline_officers_raise_risks_from_tickets(world_a, role):
    with pytest.raises(PermissionDenied):
        services.risk_raise_from_ticket(
            ticket=_ticket(world_a, is_confidential=False),
            actor=getattr(world_a, role),
            post="岗位",
            inherent_likelihood=2,
            inherent_impact=2,
        )


def test_a_discipline_officer_of_another_park_cannot_raise_a_risk_from_the_ticket(world_a, world_b):
    with pytest.raises(PermissionDenied):
        services.risk_raise_from_ticket(
            ticket=_ticket(world_a), actor=world_b.discipline, post="岗位", inherent_likelihood=2, inherent_impact=2
        )


# --- carrying over an older register --------------------------------------------------------------------


def test_a_risk_carried_over_from_an_older_register_keeps_its_date_and_may_be_overdue(world_a):
    registered = timezone.localdate() - dt.timedelta(days=200)

    risk = register_risk(world_a, registered_on=registered)

    assert timezone.localdate(risk.created_at) == registered
    assert risk.review_due_date == registered + dt.timedelta(days=180)
    assert risk.is_review_overdue()


def test_only_the_registers_managers_carry_over_older_risks(world_a):
    with pytest.raises(PermissionDenied):
        register_risk(world_a, actor=world_a.handler, registered_on=timezone.localdate() - dt.timedelta(days=30))


def test_a_carried_over_risk_takes_controls_due_since_its_registration_but_not_before(world_a):
    registered = timezone.localdate() - dt.timedelta(days=60)
    risk = register_risk(world_a, registered_on=registered)

    def add(due):
        return services.risk_control_add(
            risk=risk,
            actor=world_a.discipline,
            kind=ControlKind.INTERNAL_CONTROL,
            description="建立台账",
            owner=world_a.handler,
            due_date=due,
        )

    assert add(registered + dt.timedelta(days=30)).is_overdue()
    with pytest.raises(DomainError):
        add(registered - dt.timedelta(days=1))
