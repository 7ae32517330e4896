"""The FilterSet of bids, shared by the "my bids" page and ``/api/v1/procurement/bids/``. It narrows the
querysets `procurement.selectors.bids` has already scoped; it never widens them."""

import django_filters
from django.utils.translation import gettext_lazy as _

from procurement.choices import BidStatus
from procurement.models import Bid


class BidFilterSet(django_filters.FilterSet):
    tender = django_filters.NumberFilter(label=_("Tender"), field_name="tender_id")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=BidStatus.choices)

    class Meta:
        model = Bid
        fields = ["tender", "status"]
