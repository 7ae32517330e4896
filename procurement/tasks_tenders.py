"""Celery tasks of suppliers and tenders: thin, idempotent sweeps over the services (closing due tenders every
minute, qualification expiry reminders daily). Running one twice, or twice at once, does nothing twice:
closing skips locked rows and already-closed tenders, reminders are unique rows.

Registered when `procurement.navigation.register_all` imports this module (from the app's ready()), named
under ``procurement.tasks`` so that the "*.tasks.sweep_*" route sends them to the reminders queue; scheduled
in `portal.schedules`."""

from celery import shared_task

from procurement.services.suppliers import qualification_reminders_send
from procurement.services.tenders import tenders_close_due


@shared_task(name="procurement.tasks.sweep_due_tenders", acks_late=True)
def sweep_due_tenders():
    """Close bidding on every published tender whose deadline has passed and publish its commitments."""
    return tenders_close_due()


@shared_task(name="procurement.tasks.sweep_qualification_reminders", acks_late=True)
def sweep_qualification_reminders():
    """Qualification expiry reminders at 30 and 7 days and on expiry, each once."""
    return qualification_reminders_send()
