"""FilterSets of the 吐槽区, used by the list pages, the Excel export and the API alike.

They filter a queryset that the caller has already scoped with `complaints.selectors.ticket_list_for`, so a
filter never widens what a user sees; the category and department choices are narrowed to the user's parks
when the FilterSet gets a request.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from complaints.choices import Channel, Priority, Status
from complaints.models import Category, Ticket
from complaints.selectors import co_handled_by, overdue_q
from core.scoping import filter_by_park
from parks.models import Department


def _categories(request):
    qs = Category.objects.select_related("parent").order_by("park", "order", "name")
    return filter_by_park(qs, request.user) if request is not None else qs.none()


def _departments(request):
    qs = Department.objects.order_by("park", "kind", "name")
    return filter_by_park(qs, request.user) if request is not None else qs.none()


class TicketFilterSet(django_filters.FilterSet):
    """Status, category (a top-level category includes its children), lead department, channel, priority,
    overdue, supervised, date range and a free-text search over number, subject and body."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    # distinct=False: both test a column of the ticket row, so they cannot duplicate rows, and django-filter's
    # default (distinct=True) made the filtered list a SELECT DISTINCT over every selected column.
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False, label=_("Status"))
    category = django_filters.ModelChoiceFilter(queryset=_categories, method="filter_category", label=_("Category"))
    department = django_filters.ModelChoiceFilter(
        queryset=_departments, method="filter_department", label=_("Department")
    )
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices, distinct=False, label=_("Channel"))
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label=_("Priority"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    supervised = django_filters.BooleanFilter(method="filter_supervised", label=_("Under supervision"))
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("From"))
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("To"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("created_at", "created_at"),
            ("reply_due", "reply_due"),
            ("number", "number"),
            ("supervision_level", "supervision_level"),
        ),
        label=_("Order by"),
    )

    class Meta:
        model = Ticket
        fields = ["q", "status", "category", "department", "channel", "priority", "overdue", "supervised"]

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(subject__icontains=value) | Q(body__icontains=value))

    def filter_category(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(category=value) | Q(category__parent=value))

    @extend_schema_field(OpenApiTypes.INT)  # the department's id (the filter has no model field to show)
    def filter_department(self, queryset, name, value):
        if value is None:
            return queryset
        # EXISTS rather than a join on the co-handling table: no duplicate rows, hence no DISTINCT.
        return queryset.filter(Q(lead_department=value) | Q(co_handled_by(value)))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = overdue_q(timezone.now())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_supervised(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(supervision_level__gt=0) if value else queryset.filter(supervision_level=0)


class CategoryFilterSet(django_filters.FilterSet):
    park = django_filters.NumberFilter(field_name="park_id", label=_("Park"))
    public = django_filters.BooleanFilter(field_name="show_on_public_form", label=_("On the public form"))
    active = django_filters.BooleanFilter(field_name="is_active", label=_("Active"))

    class Meta:
        model = Category
        fields = ["park", "public", "active", "kind", "is_misconduct"]
