"""State changes of the screening campaigns (廉洁风险排查): launching one, each department's answer (risks
reported or a nil response), closing it, and the reminders to departments that have not answered.

Risks a department reports are registered with `integrity.services.risks.risk_create` (passing the
response), which links them; the answer then names them, or says there is nothing to report.
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
from integrity.choices_risk import CampaignStatus, ResponseStatus, RiskArea
from integrity.models import RiskScreeningCampaign, RiskScreeningReminder, RiskScreeningResponse
from integrity.selectors.risks import can_manage_risks, department_people, is_department_staff
from parks.models import Department


def _campaign_url(campaign):
    return reverse("integrity:screening-detail", kwargs={"pk": campaign.pk})


def _response_url(response):
    return reverse("integrity:screening-response", kwargs={"pk": response.pk})


def screening_campaign_launch(
    *, park, actor, title, deadline, instructions="", departments=None, areas=(), reminder_days=None
):
    """Launch a screening campaign: every active department of the park (or those given) is asked to report
    its risk points by `deadline`, and told so.

    The park's discipline officers and administrators, and platform administrators. Refuses an empty title,
    a deadline before today, departments of another park, unknown areas, and reminder days that are not
    whole numbers from -30 to 60. Records ``screening_campaign.launched``; notifies each department's head
    and officials.
    """
    if not can_manage_risks(actor, park):
        raise PermissionDenied(_("Only the discipline office or the park's administrators launch a screening."))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the campaign a title."), code="required", field="title")
    if deadline is None or deadline < timezone.localdate():
        raise DomainError(_("The deadline cannot be in the past."), code="deadline_in_past", field="deadline")
    areas = list(areas or ())
    if any(area not in RiskArea.values for area in areas):
        raise DomainError(_("Choose areas from the list."), code="invalid_area", field="areas")
    if reminder_days is None:
        reminder_days = RiskScreeningCampaign._meta.get_field("reminder_days").get_default()
    if any(not isinstance(d, int) or isinstance(d, bool) or not -30 <= d <= 60 for d in reminder_days):
        raise DomainError(
            _("Reminder days are whole numbers from -30 to 60."), code="invalid_reminders", field="reminder_days"
        )
    if departments is None:
        departments = list(Department.objects.filter(park=park, is_active=True).order_by("kind", "name"))
    else:
        departments = list(departments)
        if any(d.park_id != park.pk for d in departments):
            raise DomainError(_("Choose departments of the park."), code="invalid_department", field="departments")
    if not departments:
        raise DomainError(_("The park has no department to ask."), code="no_departments", field="departments")
    with transaction.atomic():
        campaign = RiskScreeningCampaign.objects.create(
            park=park,
            title=title[:200],
            instructions=(instructions or "").strip(),
            areas=areas,
            deadline=deadline,
            reminder_days=sorted(set(reminder_days), reverse=True),
            created_by=actor,
        )
        RiskScreeningResponse.objects.bulk_create(
            RiskScreeningResponse(campaign=campaign, department=department) for department in departments
        )
        record_event(
            action="screening_campaign.launched",
            target=campaign,
            actor=actor,
            park=park,
            data={
                "after": {"title": campaign.title, "deadline": deadline, "status": campaign.status},
                "departments": [d.pk for d in departments],
            },
        )
        for response in campaign.responses.select_related("department", "department__head"):
            notify(
                recipients=department_people(response.department),
                kind="screening.launched",
                title=_t("Integrity-risk screening “%(title)s”: report your department's risks by %(date)s")
                % {"title": campaign.title, "date": deadline.isoformat()},
                body=campaign.instructions,
                url=_response_url(response),
                park=park,
            )
    return campaign


def screening_campaign_close(*, campaign, actor):
    """Close a campaign: no answers are taken afterwards; departments that did not answer stay "missing" in
    the completion view. The park's discipline officers and administrators. Refuses a closed campaign.
    Records ``screening_campaign.closed``."""
    with transaction.atomic():
        campaign = RiskScreeningCampaign.objects.select_for_update().get(pk=campaign.pk)
        if not can_manage_risks(actor, campaign.park_id):
            raise PermissionDenied(_("Only the discipline office or the park's administrators close a screening."))
        if campaign.status != CampaignStatus.OPEN:
            raise Conflict(_("This screening campaign is already closed."), code="campaign_closed")
        missing = campaign.responses.filter(status=ResponseStatus.PENDING).count()
        campaign.status = CampaignStatus.CLOSED
        campaign.closed_at = timezone.now()
        campaign.closed_by = actor
        campaign.save(update_fields=["status", "closed_at", "closed_by"])
        record_event(
            action="screening_campaign.closed",
            target=campaign,
            actor=actor,
            park=campaign.park_id,
            data={"before": {"status": CampaignStatus.OPEN}, "after": {"status": campaign.status}, "missing": missing},
        )
    return campaign


def screening_response_submit(*, response, actor, nil=False, note="", risks=()):
    """A department's answer to a campaign: the risks it reports (registered for the department, usually in
    answer to this campaign), or a nil response ("no risk to report", with ``nil=True``).

    The department's own officials, and the park's discipline officers and administrators (on the
    department's behalf). May be given again while the campaign is open (the latest answer counts). Refuses
    a closed campaign, a nil answer that names risks, an answer that names none, and risks of another
    department. Records ``screening_response.answered`` or ``screening_response.nil``.
    """
    risks = list(risks or ())
    with transaction.atomic():
        response = (
            RiskScreeningResponse.objects.select_for_update(of=("self",))
            .select_related("campaign", "department", "campaign__created_by")
            .get(pk=response.pk)
        )
        campaign = response.campaign
        if not (can_manage_risks(actor, campaign.park_id) or is_department_staff(actor, response.department_id)):
            raise PermissionDenied(_("Only the department's officials or the discipline office answer for it."))
        if campaign.status != CampaignStatus.OPEN:
            raise Conflict(_("This screening campaign is closed."), code="campaign_closed")
        linked = list(response.risks.all())
        named = {r.pk: r for r in [*linked, *risks]}
        if any(r.department_id != response.department_id for r in named.values()):
            raise DomainError(
                _("Report only risks of the answering department."), code="wrong_department", field="risks"
            )
        if nil and risks:
            raise DomainError(_("A nil response names no risks."), code="nil_with_risks", field="risks")
        if nil and linked:
            raise DomainError(
                _("Risks are already reported in answer to this campaign: it cannot be a nil response."),
                code="nil_with_risks",
                field="risks",
            )
        if not nil and not named:
            raise DomainError(
                _("Report at least one risk, or answer that there is nothing to report."),
                code="no_risks",
                field="risks",
            )
        before = {"status": response.status, "risks": sorted(r.pk for r in linked)}
        response.status = ResponseStatus.NIL if nil else ResponseStatus.ANSWERED
        response.note = (note or "").strip()
        response.answered_at = timezone.now()
        response.answered_by = actor
        response.save(update_fields=["status", "note", "answered_at", "answered_by"])
        if risks:
            response.risks.add(*risks)
        record_event(
            action=f"screening_response.{'nil' if nil else 'answered'}",
            target=response,
            actor=actor,
            park=campaign.park_id,
            data={
                "campaign": campaign.pk,
                "department": response.department_id,
                "before": before,
                "after": {"status": response.status, "risks": sorted(named)},
                "late": timezone.localdate(response.answered_at) > campaign.deadline,
            },
        )
    return response


def _record_reminder(response, threshold, notified):
    try:
        with transaction.atomic():
            RiskScreeningReminder.objects.create(response=response, threshold=threshold, notified=notified)
            return True
    except IntegrityError:
        return False


def _remind_response(response_id, today):
    with transaction.atomic():
        response = (
            RiskScreeningResponse.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("campaign", "campaign__created_by", "department", "department__head")
            .filter(pk=response_id, status=ResponseStatus.PENDING, campaign__status=CampaignStatus.OPEN)
            .first()
        )
        if response is None:
            return 0
        campaign = response.campaign
        passed = [d for d in campaign.reminder_days if today >= campaign.deadline - dt.timedelta(days=d)]
        if not passed:
            return 0
        # The most urgent threshold reached is the one sent; earlier ones a missed sweep skipped are recorded
        # without a message, so that none is sent late.
        urgent = min(passed)
        created = [d for d in sorted(passed, reverse=True) if _record_reminder(response, d, notified=d == urgent)]
        if urgent not in created:
            return 0
        people = department_people(response.department)
        if urgent < 0:
            title = _t("Overdue: your department has not answered the risk screening “%(title)s” (due %(date)s)")
            if campaign.created_by is not None and campaign.created_by.is_active:
                people = [*people, campaign.created_by]
        else:
            title = _t("Reminder: answer the risk screening “%(title)s” by %(date)s")
        notify(
            recipients=people,
            kind="screening.reminder",
            title=title % {"title": campaign.title, "date": campaign.deadline.isoformat()},
            url=_response_url(response),
            park=campaign.park,
        )
        return 1


def screening_reminders_send(*, now=None):
    """The screening sweep (Celery beat, daily): remind each department that has not answered an open
    campaign, at each threshold of the campaign's `reminder_days` (days before the deadline; negative after
    it, when the organiser is told too). Each threshold is recorded once per response (unique row), so a
    second or concurrent run sends nothing twice; when a sweep was missed only the most urgent threshold
    reached is sent. Returns the number of reminders sent."""
    today = timezone.localdate(now or timezone.now())
    sent = 0
    pending = (
        RiskScreeningResponse.objects.filter(status=ResponseStatus.PENDING, campaign__status=CampaignStatus.OPEN)
        .order_by("campaign_id", "id")
        .values_list("pk", flat=True)
    )
    for response_id in list(pending):
        sent += _remind_response(response_id, today)
    return sent
