"""FilterSets of procurement lists, shared by the pages and the API (they narrow querysets the selectors have
already scoped; they never widen them)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parks.models import Park
from procurement.choices import Method, QualificationKind, SupplierStatus, TenderChangeKind, TenderStatus
from procurement.models import ClarificationQuestion, Qualification, Supplier, Tender, TenderChange


def _parks(request):
    return Park.objects.filter(is_active=True).order_by("name")


class TenderFilterSet(django_filters.FilterSet):
    """Filters of the tender lists (public and officials') and ``/api/v1/procurement/tenders/``."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks)
    method = django_filters.MultipleChoiceFilter(label=_("Method"), choices=Method.choices)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=TenderStatus.choices)
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=[("goods", _("Goods")), ("services", _("Services")), ("works", _("Works"))]
    )
    deadline_after = django_filters.DateFilter(
        label=_("Deadline from"), field_name="bid_deadline__date", lookup_expr="gte"
    )
    deadline_before = django_filters.DateFilter(
        label=_("Deadline until"), field_name="bid_deadline__date", lookup_expr="lte"
    )

    class Meta:
        model = Tender
        fields = ["park", "method", "status", "category"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(number__icontains=value) | Q(needs__icontains=value))


class SupplierFilterSet(django_filters.FilterSet):
    """Filters of the supplier directory, the review queue and ``/api/v1/procurement/suppliers/``."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=SupplierStatus.choices)

    class Meta:
        model = Supplier
        fields = ["park", "status"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(enterprise__credit_code__icontains=value)
            | Q(business_scope__icontains=value)
            | Q(categories__icontains=value)
        )


class SupplierDirectoryFilterSet(SupplierFilterSet):
    """The public directory: approved suppliers only, so no status filter."""

    status = None

    class Meta:
        model = Supplier
        fields = ["park"]


class QualificationFilterSet(django_filters.FilterSet):
    supplier = django_filters.NumberFilter(label=_("Supplier"), field_name="supplier_id")
    kind = django_filters.MultipleChoiceFilter(label=_("Type"), choices=QualificationKind.choices)
    expires_before = django_filters.DateFilter(label=_("Expires by"), field_name="expires_on", lookup_expr="lte")

    class Meta:
        model = Qualification
        fields = ["supplier", "kind"]


class TenderChangeFilterSet(django_filters.FilterSet):
    tender = django_filters.NumberFilter(label=_("Tender"), field_name="tender_id")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=TenderChangeKind.choices)

    class Meta:
        model = TenderChange
        fields = ["tender", "kind"]


class ClarificationFilterSet(django_filters.FilterSet):
    tender = django_filters.NumberFilter(label=_("Tender"), field_name="tender_id")
    answered = django_filters.BooleanFilter(label=_("Answered"), method="filter_answered")

    class Meta:
        model = ClarificationQuestion
        fields = ["tender"]

    def filter_answered(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(answered_at__isnull=not value)
