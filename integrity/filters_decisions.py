"""FilterSets of the 三重一大 register, shared by its list pages and the API viewsets. They narrow querysets
the selectors have already scoped; they never widen them. `DecisionFlagFilterSet` validates the flag list's
parameters (park, kind, period) for the page and the API alike: flags are computed, not rows."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integrity.choices_decisions import BodyKind, DecisionKind, MeetingType, Outcome
from integrity.decisions_flags import FlagKind
from integrity.models import CollectiveDecision, DecisionBody, FundPayment, Meeting
from parks.models import Park


def _parks(request):
    from integrity.selectors.decisions import readable_parks

    user = getattr(request, "user", None)
    if user is None:
        return Park.objects.filter(is_active=True).order_by("name")
    return readable_parks(user)


def _bodies(request):
    from integrity.selectors.decisions import readable_park_ids

    queryset = DecisionBody.objects.select_related("park").order_by("park__name", "name")
    user = getattr(request, "user", None)
    if user is None:
        return queryset
    from core.scoping import ALL

    ids = readable_park_ids(user)
    return queryset if ids is ALL else queryset.filter(park_id__in=ids)


class DecisionBodyFilterSet(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=BodyKind.choices)
    active = django_filters.BooleanFilter(label=_("Active"), widget=django_filters.widgets.BooleanWidget)

    class Meta:
        model = DecisionBody
        fields = ["park", "kind", "active"]


class MeetingFilterSet(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks)
    body = django_filters.ModelChoiceFilter(label=_("Body"), queryset=_bodies)
    meeting_type = django_filters.ChoiceFilter(label=_("Meeting type"), choices=MeetingType.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="held_on", lookup_expr="year")
    held_from = django_filters.DateFilter(label=_("Held from"), field_name="held_on", lookup_expr="gte")
    held_until = django_filters.DateFilter(label=_("Held until"), field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = ["park", "body", "meeting_type"]


class CollectiveDecisionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks)
    body = django_filters.ModelChoiceFilter(label=_("Body"), queryset=_bodies, field_name="meeting__body")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=DecisionKind.choices)
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=Outcome.choices)
    meeting = django_filters.NumberFilter(label=_("Meeting"), field_name="meeting_id")
    year = django_filters.NumberFilter(label=_("Year"), field_name="meeting__held_on", lookup_expr="year")
    extempore = django_filters.BooleanFilter(
        label=_("Raised without notice"), method="filter_extempore", widget=django_filters.widgets.BooleanWidget
    )

    class Meta:
        model = CollectiveDecision
        fields = ["park", "kind", "outcome"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))

    def filter_extempore(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(notified_in_advance=not value)


class FundPaymentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks)
    linked = django_filters.BooleanFilter(
        label=_("Linked to a decision"), method="filter_linked", widget=django_filters.widgets.BooleanWidget
    )
    paid_from = django_filters.DateFilter(label=_("Paid from"), field_name="paid_on", lookup_expr="gte")
    paid_until = django_filters.DateFilter(label=_("Paid until"), field_name="paid_on", lookup_expr="lte")
    min_amount = django_filters.NumberFilter(label=_("Amount from"), field_name="amount", lookup_expr="gte")

    class Meta:
        model = FundPayment
        fields = ["park"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(payee__icontains=value) | Q(purpose__icontains=value) | Q(reference__icontains=value))

    def filter_linked(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(decision__isnull=not value)


class DecisionFlagFilterSet(django_filters.FilterSet):
    """The flag list's parameters. Its form is what the page and the API validate; `flag_arguments` turns
    the cleaned values into `flags_for`'s arguments (the flags are computed by the selector)."""

    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks, method="keep")
    kind = django_filters.ChoiceFilter(label=_("Flag"), choices=FlagKind.choices, method="keep")
    since = django_filters.DateFilter(label=_("From"), method="keep")
    until = django_filters.DateFilter(label=_("Until"), method="keep")

    class Meta:
        model = CollectiveDecision
        fields = []

    def keep(self, queryset, name, value):
        return queryset

    def flag_arguments(self):
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "park": data.get("park"),
            "kind": data.get("kind") or None,
            "since": data.get("since"),
            "until": data.get("until"),
        }
