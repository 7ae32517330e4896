"""Celery tasks of the integrity registers: thin periodic sweeps over services that record each reminder
once (unique rows), so running a sweep twice, or twice at once, sends nothing twice."""

from celery import shared_task

from integrity.services.declarations import declaration_reminders_send
from integrity.services.pledges import pledge_reminders_send
from integrity.services.yearly import yearly_reminders_send


@shared_task(acks_late=True)
def sweep_pledge_renewals():
    """Renewal reminders for pledges nearing or reaching expiry (30 and 7 days before, and at expiry)."""
    return pledge_reminders_send()


@shared_task(acks_late=True)
def sweep_declaration_reminders():
    """Reminders for drafts near or past their due date, uncorrected returns and unreported actions."""
    return declaration_reminders_send()


@shared_task(acks_late=True)
def sweep_yearly_returns():
    """Open last year's round in January, enrol new officials, remind those whose return is pending."""
    return yearly_reminders_send()


from integrity.tasks_risk import sweep_risk_reviews, sweep_screening_reminders  # noqa: E402,F401
