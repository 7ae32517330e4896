"""The FilterSet of red flags, shared by the flag list page and ``/api/v1/procurement/red-flags/``. It narrows
the querysets `procurement.selectors.flags` has already scoped; it never widens them."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from procurement.choices import FlagKind, FlagStatus
from procurement.models import RedFlag


def _parks(request):
    from core.scoping import ALL
    from parks.models import Park
    from procurement.selectors.access import procurement_park_ids

    queryset = Park.objects.filter(is_active=True).order_by("name")
    user = getattr(request, "user", None)
    if user is None:
        return queryset.none()
    ids = procurement_park_ids(user)
    return queryset if ids is ALL else queryset.filter(pk__in=ids)


class RedFlagFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=FlagStatus.choices)
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=FlagKind.choices)
    blocking = django_filters.BooleanFilter(
        label=_("Blocks the next step"), widget=django_filters.widgets.BooleanWidget
    )
    tender = django_filters.NumberFilter(label=_("Tender"), field_name="tender_id")
    raised_after = django_filters.DateFilter(label=_("Raised from"), field_name="raised_at", lookup_expr="date__gte")
    raised_before = django_filters.DateFilter(label=_("Raised until"), field_name="raised_at", lookup_expr="date__lte")

    class Meta:
        model = RedFlag
        fields = ["park", "status", "kind", "blocking", "tender"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(summary__icontains=value)
            | Q(tender__number__icontains=value)
            | Q(tender__title__icontains=value)
            | Q(supplier__enterprise__name__icontains=value)
            | Q(contract__number__icontains=value)
        )
