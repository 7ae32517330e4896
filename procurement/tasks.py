"""Celery tasks of procurement: thin, idempotent, call services."""

from celery import shared_task


@shared_task(acks_late=True)
def compute_red_flags(tender_id, trigger):
    """(Re)compute the red flags of one tender after `trigger`; idempotent through each flag's fingerprint."""
    from procurement.services.flags import flags_compute

    flags_compute(tender_id=tender_id, trigger=trigger)


@shared_task(acks_late=True)
def sweep_red_flags():
    """Recompute the red flags of the recent openings, awards, contracts and amendments, in case the broker
    lost a `compute_red_flags` message (DESIGN §4.6). Idempotent: existing flags are never raised again."""
    from procurement.services.flags import flags_sweep

    flags_sweep()
