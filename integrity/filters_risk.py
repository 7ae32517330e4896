"""FilterSets of the risk register, its controls, reviews, screening campaigns and the notices, shared by the
list pages, the Excel export and the API viewsets. They narrow querysets the selectors have already scoped;
they never widen them."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.choices_risk import (
    ACTIVE_STATUSES,
    CampaignStatus,
    ControlKind,
    ControlStatus,
    NoticeKind,
    NoticeStatus,
    NoticeVisibility,
    ResponseStatus,
    RiskArea,
    RiskLevel,
    RiskSource,
    RiskStatus,
)
from integrity.models import (
    DisciplinaryNotice,
    IntegrityRisk,
    RiskControl,
    RiskReview,
    RiskScreeningCampaign,
    RiskScreeningResponse,
)
from parks.models import Department, Park


def _parks(request):
    from core.scoping import ALL, park_ids_for

    queryset = Park.objects.filter(is_active=True).order_by("name")
    user = getattr(request, "user", None)
    if user is None:
        return queryset
    ids = park_ids_for(user)
    return queryset if ids is ALL else queryset.filter(pk__in=ids)


def _departments(request):
    from core.scoping import ALL, park_ids_for

    queryset = Department.objects.filter(is_active=True).select_related("park").order_by("park__name", "name")
    user = getattr(request, "user", None)
    if user is None:
        return queryset
    ids = park_ids_for(user)
    return queryset if ids is ALL else queryset.filter(park_id__in=ids)


def _boolean(label, method):
    # The widget is passed as a class so each form builds its own, with choices in the request's language.
    return django_filters.BooleanFilter(label=label, method=method, widget=django_filters.widgets.BooleanWidget)


class RiskFilterSet(django_filters.FilterSet):
    """Filters of the register page, its Excel export and ``/api/v1/integrity/risks/``."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks)
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=_departments)
    area = django_filters.MultipleChoiceFilter(label=_("Area"), choices=RiskArea.choices)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=RiskStatus.choices)
    residual_level = django_filters.MultipleChoiceFilter(label=_("Residual level"), choices=RiskLevel.choices)
    inherent_level = django_filters.MultipleChoiceFilter(label=_("Inherent level"), choices=RiskLevel.choices)
    source = django_filters.ChoiceFilter(label=_("Source"), choices=RiskSource.choices)
    review_overdue = _boolean(_("Review overdue"), "filter_review_overdue")
    controls_overdue = _boolean(_("Controls overdue"), "filter_controls_overdue")
    active = _boolean(_("Under review"), "filter_active")

    class Meta:
        model = IntegrityRisk
        fields = ["park", "department", "area", "status", "residual_level", "inherent_level", "source"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(post__icontains=value)
            | Q(description__icontains=value)
            | Q(manifestations__icontains=value)
        )

    def filter_review_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status__in=ACTIVE_STATUSES, review_due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_controls_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = RiskControl.objects.filter(status=ControlStatus.OPEN, due_date__lt=timezone.localdate()).values(
            "risk_id"
        )
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=ACTIVE_STATUSES) if value else queryset.exclude(status__in=ACTIVE_STATUSES)


class RiskControlFilterSet(django_filters.FilterSet):
    risk = django_filters.NumberFilter(label=_("Risk"), field_name="risk_id")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=ControlKind.choices)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ControlStatus.choices)
    owner = django_filters.NumberFilter(label=_("Owner"), field_name="owner_id")
    overdue = _boolean(_("Overdue"), "filter_overdue")
    due_before = django_filters.DateFilter(label=_("Due before"), field_name="due_date", lookup_expr="lt")

    class Meta:
        model = RiskControl
        fields = ["risk", "kind", "status", "owner"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status=ControlStatus.OPEN, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class RiskReviewFilterSet(django_filters.FilterSet):
    risk = django_filters.NumberFilter(label=_("Risk"), field_name="risk_id")
    reviewer = django_filters.NumberFilter(label=_("Reviewer"), field_name="reviewer_id")
    residual_level = django_filters.MultipleChoiceFilter(label=_("Residual level"), choices=RiskLevel.choices)
    reviewed_from = django_filters.DateFilter(label=_("Reviewed from"), field_name="reviewed_on", lookup_expr="gte")
    reviewed_until = django_filters.DateFilter(label=_("Reviewed until"), field_name="reviewed_on", lookup_expr="lte")

    class Meta:
        model = RiskReview
        fields = ["risk", "reviewer", "residual_level"]


class ScreeningCampaignFilterSet(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=_parks)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CampaignStatus.choices)

    class Meta:
        model = RiskScreeningCampaign
        fields = ["park", "status"]


class ScreeningResponseFilterSet(django_filters.FilterSet):
    campaign = django_filters.NumberFilter(label=_("Campaign"), field_name="campaign_id")
    department = django_filters.NumberFilter(label=_("Department"), field_name="department_id")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ResponseStatus.choices)

    class Meta:
        model = RiskScreeningResponse
        fields = ["campaign", "department", "status"]


class NoticeFilterSet(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=Park.objects.filter(is_active=True))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=NoticeKind.choices)
    visibility = django_filters.ChoiceFilter(label=_("Visibility"), choices=NoticeVisibility.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=NoticeStatus.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="issued_on", lookup_expr="year")

    class Meta:
        model = DisciplinaryNotice
        fields = ["park", "kind", "visibility", "status"]


class PublicNoticeFilterSet(django_filters.FilterSet):
    """The public list's filters: no status or visibility (it shows published public notices only)."""

    park = django_filters.ModelChoiceFilter(label=_("Park"), queryset=Park.objects.filter(is_active=True))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=NoticeKind.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="issued_on", lookup_expr="year")

    class Meta:
        model = DisciplinaryNotice
        fields = ["park", "kind"]
