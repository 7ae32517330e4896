"""Read queries of the published answer lists: public batches, and the tickets an official may publish.

The publishable list starts from `complaints.selectors.ticket_list_for`, so an official is offered only
tickets they can see — never a confidential one.
"""

from django.db.models import Count, Prefetch

from complaints.choices import Status
from complaints.models import AnswerBatch, AnswerBatchItem
from complaints.selectors import ticket_list_for


def publishable_tickets_for(user, park):
    """Closed tickets of `park` with an answer and the filer's consent, not confidential, not yet published."""
    return (
        ticket_list_for(user)
        .filter(
            park=park,
            status=Status.CLOSED,
            consent_to_publish=True,
            is_confidential=False,
            published_item__isnull=True,
        )
        .exclude(reply="")
        .order_by("-closed_at", "-id")
    )


def answer_batches_public(park=None):
    """Published batches, newest first, with their number of items (optionally of one park)."""
    qs = AnswerBatch.objects.select_related("park").annotate(item_count=Count("items"))
    if park is not None:
        qs = qs.filter(park=park)
    return qs.order_by("-published_at", "-id")


def answer_batch_public(pk):
    """One published batch with its items in order; raises `AnswerBatch.DoesNotExist`."""
    return (
        AnswerBatch.objects.select_related("park")
        .prefetch_related(Prefetch("items", queryset=AnswerBatchItem.objects.order_by("position", "id")))
        .get(pk=pk)
    )
