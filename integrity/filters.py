"""FilterSets of the integrity registers, shared by the list pages, the Excel export and the API viewsets.
They narrow querysets the selectors have already scoped; they never widen them."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.choices import (
    AWAITING_REVIEW_STATUSES,
    Audience,
    DeclarationKind,
    DeclarationStatus,
    FamilyEventKind,
    GiftHandling,
    GiftKind,
    InterestOutcome,
    SignerKind,
)
from integrity.models import (
    ConductList,
    Declaration,
    FamilyEventDeclaration,
    GiftDeclaration,
    InterestDeclaration,
    Pledge,
    PledgeTemplate,
)
from parks.models import Park


def _parks():
    return Park.objects.filter(is_active=True).order_by("name")


class DeclarationFilterSet(django_filters.FilterSet):
    """Filters of the review queue, the own-declarations list, the export and the declarations API."""

    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks())
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DeclarationKind.choices)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=DeclarationStatus.choices)
    awaiting_review = django_filters.BooleanFilter(
        label=_("Awaiting review"), method="filter_awaiting_review", widget=django_filters.widgets.BooleanWidget()
    )
    is_late = django_filters.BooleanFilter(label=_("Late"), widget=django_filters.widgets.BooleanWidget())
    is_flagged = django_filters.BooleanFilter(label=_("Flagged"), widget=django_filters.widgets.BooleanWidget())
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"), field_name="first_submitted_at", lookup_expr="date__gte"
    )
    submitted_until = django_filters.DateFilter(
        label=_("Submitted until"), field_name="first_submitted_at", lookup_expr="date__lte"
    )
    declarant = django_filters.CharFilter(label=_("Declarant"), method="filter_declarant")

    class Meta:
        model = Declaration
        fields = ["park", "kind", "status", "is_late", "is_flagged"]

    def filter_awaiting_review(self, queryset, name, value):
        if value is None:
            return queryset
        q = Q(status__in=AWAITING_REVIEW_STATUSES)
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_declarant(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(declarant__display_name__icontains=value)
            | Q(declarant__username__iexact=value)
            | Q(declarant__last_name__icontains=value)
        )


class GiftDeclarationFilterSet(DeclarationFilterSet):
    gift_kind = django_filters.ChoiceFilter(label=_("Kind of gift"), choices=GiftKind.choices)
    handling = django_filters.ChoiceFilter(label=_("Handling"), choices=GiftHandling.choices)

    class Meta(DeclarationFilterSet.Meta):
        model = GiftDeclaration
        fields = [*DeclarationFilterSet.Meta.fields, "gift_kind", "handling"]


class FamilyEventDeclarationFilterSet(DeclarationFilterSet):
    event_kind = django_filters.ChoiceFilter(label=_("Event"), choices=FamilyEventKind.choices)

    class Meta(DeclarationFilterSet.Meta):
        model = FamilyEventDeclaration
        fields = [*DeclarationFilterSet.Meta.fields, "event_kind"]


class InterestDeclarationFilterSet(DeclarationFilterSet):
    credit_code = django_filters.CharFilter(label=_("Unified social credit code"), method="filter_credit_code")
    outcome = django_filters.ChoiceFilter(label=_("Handling"), choices=InterestOutcome.choices)

    class Meta(DeclarationFilterSet.Meta):
        model = InterestDeclaration
        fields = [*DeclarationFilterSet.Meta.fields, "outcome"]

    def filter_credit_code(self, queryset, name, value):
        return queryset.filter(credit_code=(value or "").strip().upper()) if value else queryset


class PledgeTemplateFilterSet(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks())
    signer_kind = django_filters.ChoiceFilter(label=_("Signed by"), choices=SignerKind.choices)
    current = django_filters.BooleanFilter(
        label=_("In force"),
        field_name="superseded_at",
        lookup_expr="isnull",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = PledgeTemplate
        fields = ["park", "signer_kind", "current"]


class PledgeFilterSet(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks())
    signer_kind = django_filters.ChoiceFilter(label=_("Signed as"), choices=SignerKind.choices)
    valid = django_filters.BooleanFilter(
        label=_("Valid"), method="filter_valid", widget=django_filters.widgets.BooleanWidget()
    )
    enterprise = django_filters.NumberFilter(label=_("Enterprise"), field_name="enterprise_id")

    class Meta:
        model = Pledge
        fields = ["park", "signer_kind", "valid", "enterprise"]

    def filter_valid(self, queryset, name, value):
        if value is None:
            return queryset
        now = timezone.now()
        return queryset.filter(expires_at__gt=now) if value else queryset.filter(expires_at__lte=now)


class ConductListFilterSet(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks())
    audience = django_filters.ChoiceFilter(label=_("Audience"), choices=Audience.choices)
    current = django_filters.BooleanFilter(
        label=_("In force"),
        field_name="superseded_at",
        lookup_expr="isnull",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = ConductList
        fields = ["park", "audience", "current"]
