"""Red flags: computing them (after opening, award and every contract amendment) and deciding them."""

from django.db import transaction


def schedule_flag_check(tender, trigger):
    """Queue the red-flag computation for `tender` after the current transaction commits. `trigger` is one of
    "opening", "award", "contract", "amendment". Called by the services of those steps."""
    from procurement.tasks import compute_red_flags

    tender_id = getattr(tender, "pk", tender)
    transaction.on_commit(lambda: compute_red_flags.delay(tender_id, trigger))
