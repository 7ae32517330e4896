"""Read-only API of parks, departments and enterprises, plus the enterprise review transitions.

Querysets come from `parks.selectors`, so the API shows exactly what the pages show: a record outside the
user's scope is a 404, never a 403 that would confirm it exists.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from parks.api.serializers import (
    DepartmentSerializer,
    EnterpriseRejectSerializer,
    EnterpriseSerializer,
    ParkSerializer,
)
from parks.filters import DepartmentFilterSet, EnterpriseFilterSet, ParkFilterSet
from parks.selectors import department_list_for, enterprise_list_for, park_list_for
from parks.services import enterprise_reject, enterprise_verify


class ParkViewSet(viewsets.ReadOnlyModelViewSet):
    """Parks the user may see, with their statistics and year-on-year growth."""

    serializer_class = ParkSerializer
    filterset_class = ParkFilterSet
    ordering_fields = ["name", "code"]

    def get_queryset(self):
        return park_list_for(self.request.user)


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Departments of the parks the user may see."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet
    ordering_fields = ["name", "kind"]

    def get_queryset(self):
        return department_list_for(self.request.user)


REVIEW_ERRORS = {
    403: OpenApiResponse(description="The user is not an administrator of the enterprise's park."),
    404: OpenApiResponse(description="The enterprise is not visible to the user."),
    409: OpenApiResponse(description="The enterprise is not pending verification."),
}


class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    """Enterprises of the user's parks (officials, auditors) or their own (enterprise users)."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    ordering_fields = ["name", "created_at", "status"]

    def get_queryset(self):
        return enterprise_list_for(self.request.user)

    @extend_schema(
        request=None,
        responses={200: EnterpriseSerializer, **REVIEW_ERRORS},
        summary="Verify a pending registration",
        description="Park administrators (of the enterprise's park) and platform administrators only.",
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        enterprise = enterprise_verify(enterprise=self.get_object(), actor=request.user)
        return Response(EnterpriseSerializer(enterprise, context=self.get_serializer_context()).data)

    @extend_schema(
        request=EnterpriseRejectSerializer,
        responses={200: EnterpriseSerializer, 400: OpenApiResponse(description="No reason given."), **REVIEW_ERRORS},
        summary="Reject a pending registration",
        description="Park administrators (of the enterprise's park) and platform administrators only; the reason "
        "is sent to the enterprise's members.",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        enterprise = self.get_object()
        data = EnterpriseRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enterprise = enterprise_reject(enterprise=enterprise, actor=request.user, reason=data.validated_data["reason"])
        return Response(EnterpriseSerializer(enterprise, context=self.get_serializer_context()).data)
