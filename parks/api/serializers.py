"""Serializers of the parks API: small and explicit, one per resource and one per transition input."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from parks.choices import STATISTIC_FIELDS
from parks.models import Department, Enterprise, Park, ParkStatistic
from parks.selectors import park_statistics_with_growth


class ParkStatisticSerializer(serializers.ModelSerializer):
    """One period's figures (亿元) with year-on-year growth in percent (null when it cannot be computed)."""

    period = serializers.CharField(source="period_label", read_only=True)
    growth = serializers.SerializerMethodField()

    class Meta:
        model = ParkStatistic
        fields = [
            "year",
            "period_kind",
            "period_number",
            "period",
            *STATISTIC_FIELDS,
            "enterprise_count",
            "growth",
            "reported_growth",
            "source",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "description": "Year-on-year growth in percent against the same period of the previous year.",
            "properties": {name: {"type": "number", "nullable": True} for name in STATISTIC_FIELDS},
        }
    )
    def get_growth(self, obj):
        growth = self.context.get("growth", {}).get(obj.pk, {})
        return {name: float(value) if value is not None else None for name, value in growth.items()}


class ParkSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    verified_enterprises = serializers.IntegerField(read_only=True)
    statistics = serializers.SerializerMethodField()

    class Meta:
        model = Park
        fields = [
            "id",
            "code",
            "name",
            "level",
            "level_display",
            "region",
            "address",
            "industries",
            "description",
            "established",
            "is_active",
            "verified_enterprises",
            "statistics",
        ]

    @extend_schema_field(ParkStatisticSerializer(many=True))
    def get_statistics(self, obj):
        rows = park_statistics_with_growth(obj.statistics.all())
        context = {**self.context, "growth": {row.statistic.pk: row.growth for row in rows}}
        return ParkStatisticSerializer([row.statistic for row in rows], many=True, context=context).data


class DepartmentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    park_code = serializers.CharField(source="park.code", read_only=True)
    head_name = serializers.SerializerMethodField()

    class Meta:
        model = Department
        fields = ["id", "park", "park_code", "name", "kind", "kind_display", "head", "head_name", "phone", "is_active"]

    def get_head_name(self, obj) -> str:
        return obj.head.get_full_name() if obj.head else ""


class EnterpriseSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    park_code = serializers.CharField(source="park.code", read_only=True)
    park_name = serializers.CharField(source="park.name", read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "park",
            "park_code",
            "park_name",
            "name",
            "credit_code",
            "industry",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "contact_email",
            "address",
            "status",
            "status_display",
            "verified_at",
            "rejected_at",
            "rejection_reason",
            "created_at",
        ]
        read_only_fields = fields


class EnterpriseRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000, help_text=_("Why the registration is rejected; the applicant is told this reason.")
    )
