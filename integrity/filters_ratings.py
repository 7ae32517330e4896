"""FilterSets of the service ratings and cards, shared by the discipline office's list page and the API. They
narrow querysets `integrity.selectors.ratings` has already scoped; they never widen them."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.roles import OFFICIAL_ROLES
from integrity.models import RaterKind, ServiceCard, ServiceRating
from parks.models import Park


def _parks(request):
    from core.scoping import ALL, park_ids_for

    queryset = Park.objects.filter(is_active=True).order_by("name")
    user = getattr(request, "user", None)
    if user is None:
        return queryset
    ids = park_ids_for(user)
    return queryset if ids is ALL else queryset.filter(pk__in=ids)


def _officials(request):
    from core.scoping import ALL, park_ids_for

    queryset = get_user_model().objects.filter(groups__name__in=OFFICIAL_ROLES).distinct().order_by("username")
    user = getattr(request, "user", None)
    if user is None:
        return queryset
    ids = park_ids_for(user)
    return queryset if ids is ALL else queryset.filter(staff_profile__parks__in=ids)


class ServiceRatingFilterSet(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks)
    official = django_filters.ModelChoiceFilter(label=_("Official"), queryset=_officials)
    rater_kind = django_filters.ChoiceFilter(label=_("Rated by"), choices=RaterKind.choices)
    is_low = django_filters.BooleanFilter(label=_("Low ratings only"), widget=django_filters.widgets.BooleanWidget)
    rated_from = django_filters.DateFilter(label=_("Rated from"), field_name="created_at", lookup_expr="date__gte")
    rated_to = django_filters.DateFilter(label=_("Rated until"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = ServiceRating
        fields = ["park", "official", "rater_kind", "is_low", "rated_from", "rated_to"]


class ServiceCardFilterSet(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks)
    valid = django_filters.BooleanFilter(
        label=_("Valid"), field_name="revoked_at", lookup_expr="isnull", widget=django_filters.widgets.BooleanWidget
    )

    class Meta:
        model = ServiceCard
        fields = ["park", "valid"]
