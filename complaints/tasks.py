"""Celery tasks of the 吐槽区: thin, idempotent, each calling one service (STYLE.md).

Queues (portal.settings.CELERY_TASK_ROUTES): ``route_*`` on "routing", so new tickets are never routed
behind reminders; ``sweep_*`` on "reminders". Schedules are in portal/schedules.py.
"""

from celery import shared_task

from complaints.models import Ticket
from complaints.services.routing import sweep_unrouted_tickets as _sweep_unrouted
from complaints.services.routing import ticket_route
from complaints.services.sla import sweep_due_reminders as _sweep_due


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def route_ticket(ticket_id):
    """Route one ticket; nothing happens when it is already routed or gone."""
    if not Ticket.objects.filter(pk=ticket_id, routed_at__isnull=True).exists():
        return False
    ticket_route(ticket_id=ticket_id)
    return True


@shared_task
def sweep_unrouted_tickets():
    """Re-queue tickets a lost routing task left unrouted (DESIGN §4.6)."""
    return _sweep_unrouted()


@shared_task
def sweep_due_reminders():
    """Send the reminders due now (50 / 80 / 100 % of each clock), escalating overdue tickets."""
    return _sweep_due()
