"""Celery tasks of the risk register and the screening campaigns: thin daily sweeps over services that record
each reminder once (unique rows), so running a sweep twice, or twice at once, sends nothing twice.
Imported by `integrity.tasks`, which Celery autodiscovers; scheduled in `portal.schedules`."""

from celery import shared_task

from integrity.services.risks import risk_review_reminders_send
from integrity.services.screening import screening_reminders_send


# Named under integrity.tasks (where Celery finds them) so the "*.tasks.sweep_*" route sends them to the
# reminders queue like the other sweeps.
@shared_task(name="integrity.tasks.sweep_risk_reviews", acks_late=True)
def sweep_risk_reviews():
    """Review reminders (coming up, due) and escalations to the discipline office 5 working days after a
    missed review."""
    return risk_review_reminders_send()


@shared_task(name="integrity.tasks.sweep_screening_reminders", acks_late=True)
def sweep_screening_reminders():
    """Reminders to departments that have not answered an open screening campaign."""
    return screening_reminders_send()
