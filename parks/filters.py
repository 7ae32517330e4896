"""FilterSets of parks/, shared by the list pages and the API viewsets.

The park choices are the parks the requesting user may see, so a filter form never lists another park.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parks.choices import EnterpriseStatus
from parks.models import Department, Enterprise, Park
from parks.selectors import park_list_for


def _visible_parks(request):
    if request is None:
        return Park.objects.none()
    return park_list_for(request.user).prefetch_related(None)


class ParkFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("level"), choices=Park.Level.choices)
    is_active = django_filters.BooleanFilter(label=_("active"))
    search = django_filters.CharFilter(label=_("Search"), method="filter_search", help_text=_("Name or code"))

    class Meta:
        model = Park
        fields = ["level", "is_active"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value) | Q(region__icontains=value))


class DepartmentFilterSet(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("park"), queryset=_visible_parks)
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Department.Kind.choices)
    is_active = django_filters.BooleanFilter(label=_("active"))
    search = django_filters.CharFilter(label=_("Search"), method="filter_search", help_text=_("Name"))

    class Meta:
        model = Department
        fields = ["park", "kind", "is_active"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset


class EnterpriseFilterSet(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("park"), queryset=_visible_parks)
    status = django_filters.ChoiceFilter(label=_("status"), choices=EnterpriseStatus.choices)
    industry = django_filters.CharFilter(label=_("industry"), lookup_expr="icontains")
    search = django_filters.CharFilter(
        label=_("Search"), method="filter_search", help_text=_("Name or unified social credit code")
    )

    class Meta:
        model = Enterprise
        fields = ["park", "status", "industry"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__istartswith=value.upper()))
