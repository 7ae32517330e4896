"""API of red flags and the red-flag thresholds, under /api/v1/procurement/ (registered by
`procurement.api.urls`).

- ``red-flags/``: the flags the user may see (`procurement.selectors.flags`: a flag outside their parks is a
  404; enterprise users and experts get an empty list), filtered by the list page's FilterSet; evidence is
  redacted exactly as on the page; ``confirm`` and ``dismiss`` are the discipline officer's transitions.
- ``flag-settings/``: the thresholds in force for each park the user reads procurement of (read-only; they
  are changed in the admin).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.scoping import ALL
from parks.models import Department, Park
from procurement.choices import FlagKind, FlagStatus
from procurement.filters_flags import RedFlagFilterSet
from procurement.models import RedFlag
from procurement.rules import flag_settings
from procurement.selectors import flags as selectors
from procurement.selectors.access import procurement_park_ids
from procurement.services import flags as services

_ENUM_FIELDS = {}


def enum_field(choices, component_name, **kwargs):
    """A ChoiceField whose enum is the named schema component (no collisions with other apps' `status`)."""
    field_class = _ENUM_FIELDS.get(component_name)
    if field_class is None:
        schema = {"type": "string", "enum": [value for value, _label in choices]}
        field_class = extend_schema_field(schema, component_name)(
            type(f"{component_name}Field", (serializers.ChoiceField,), {})
        )
        _ENUM_FIELDS[component_name] = field_class
    return field_class(choices=choices, **kwargs)


class FlagRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class RedFlagSerializer(serializers.ModelSerializer):
    park = serializers.SerializerMethodField()
    tender = serializers.SerializerMethodField()
    contract = serializers.SerializerMethodField()
    supplier = serializers.SerializerMethodField()
    kind = enum_field(FlagKind.choices, "RedFlagKindEnum", read_only=True)
    status = enum_field(FlagStatus.choices, "RedFlagStatusEnum", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    evidence = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    risk = serializers.SerializerMethodField()

    class Meta:
        model = RedFlag
        fields = [
            "id",
            "park",
            "tender",
            "contract",
            "supplier",
            "kind",
            "kind_label",
            "blocking",
            "summary",
            "evidence",
            "status",
            "raised_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "risk",
        ]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}})
    def get_park(self, obj):
        return {"id": obj.park_id, "name": obj.park.name}

    @extend_schema_field(FlagRefSerializer(allow_null=True))
    def get_tender(self, obj):
        return {"id": obj.tender_id, "number": obj.tender.number} if obj.tender_id else None

    @extend_schema_field(FlagRefSerializer(allow_null=True))
    def get_contract(self, obj):
        return {"id": obj.contract_id, "number": obj.contract.number} if obj.contract_id else None

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        }
    )
    def get_supplier(self, obj):
        return {"id": obj.supplier_id, "name": obj.supplier.enterprise.name} if obj.supplier_id else None

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": True,
            "description": "What the check found; restricted parts (declared interests) are left out, with "
            '"redacted": true, for anyone but the discipline office.',
        }
    )
    def get_evidence(self, obj):
        return selectors.evidence_for(self.context["request"].user, obj)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_decided_by(self, obj):
        if obj.decided_by_id is None:
            return None
        return obj.decided_by.get_full_name() or obj.decided_by.get_username()

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_risk(self, obj):
        return obj.risk_id


class FlagConfirmSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        help_text="The risk's department, needed only when the tender names no buying department.",
    )


class FlagDismissSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the flag needs no action.")


class RedFlagViewSet(viewsets.ReadOnlyModelViewSet):
    """Red flags of the user's parks (discipline officers, park administrators, procurement officers, auditors,
    platform administrators). ``confirm`` / ``dismiss``: the park's discipline officers."""

    serializer_class = RedFlagSerializer
    filterset_class = RedFlagFilterSet
    ordering_fields = ["raised_at", "decided_at"]

    def get_queryset(self):
        return selectors.flag_list_for(self.request.user)

    def _respond(self, flag):
        return Response(self.get_serializer(self.get_queryset().get(pk=flag.pk)).data)

    @extend_schema(
        request=FlagConfirmSerializer, responses=RedFlagSerializer, summary="Confirm (into the risk register)"
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        flag = self.get_object()
        data = FlagConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return self._respond(
            services.flag_confirm(
                flag=flag, actor=request.user, note=values["note"], department=values.get("department")
            )
        )

    @extend_schema(request=FlagDismissSerializer, responses=RedFlagSerializer, summary="Dismiss with a reason")
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        flag = self.get_object()
        data = FlagDismissSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.flag_dismiss(flag=flag, actor=request.user, reason=data.validated_data["reason"]))


class FlagSettingsSerializer(serializers.Serializer):
    park = serializers.IntegerField(source="park_id_in_force")
    park_name = serializers.CharField()
    is_park_specific = serializers.BooleanField()
    near_budget_ratio = serializers.DecimalField(max_digits=5, decimal_places=4)
    close_price_ratio = serializers.DecimalField(max_digits=5, decimal_places=4)
    dominance_share = serializers.DecimalField(max_digits=5, decimal_places=4)
    dominance_months = serializers.IntegerField()
    dominance_min_awards = serializers.IntegerField()
    split_window_days = serializers.IntegerField()
    split_min_awards = serializers.IntegerField()
    open_tender_threshold = serializers.DecimalField(max_digits=14, decimal_places=2)
    amendment_growth_ratio = serializers.DecimalField(max_digits=5, decimal_places=4)


def _parks_for(user):
    ids = procurement_park_ids(user)
    parks = Park.objects.filter(is_active=True).order_by("name")
    return parks if ids is ALL else parks.filter(pk__in=ids)


def _settings_of(park):
    found = flag_settings(park)
    found.park_id_in_force = park.pk
    found.park_name = park.name
    found.is_park_specific = found.park_id == park.pk
    return found


class FlagSettingsViewSet(viewsets.ViewSet):
    """The red-flag thresholds in force in each park whose procurement the user reads (the park's own, else
    the platform default). Read-only: they change in the admin. The id in the path is the park's."""

    serializer_class = FlagSettingsSerializer
    filterset_class = None

    @extend_schema(responses=FlagSettingsSerializer(many=True))
    def list(self, request):
        return Response(FlagSettingsSerializer([_settings_of(p) for p in _parks_for(request.user)], many=True).data)

    @extend_schema(
        responses=FlagSettingsSerializer,
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The park's id.")],
    )
    def retrieve(self, request, pk=None):
        try:
            park = _parks_for(request.user).get(pk=int(pk))
        except (Park.DoesNotExist, ValueError, TypeError):
            raise NotFound() from None
        return Response(FlagSettingsSerializer(_settings_of(park)).data)


def register(router):
    """Registers this module's viewsets on the procurement API router."""
    router.register("red-flags", RedFlagViewSet, basename="red-flag")
    router.register("flag-settings", FlagSettingsViewSet, basename="flag-settings")
