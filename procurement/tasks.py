"""Celery tasks of procurement: thin, idempotent, call services."""

from celery import shared_task


@shared_task(acks_late=True)
def compute_red_flags(tender_id, trigger):
    """(Re)compute the red flags of one tender after `trigger`; idempotent through each flag's fingerprint."""
    from procurement.services.flags import flags_compute

    flags_compute(tender_id=tender_id, trigger=trigger)
