"""API of the integrity registers under /api/v1/integrity/.

Querysets come from `integrity.selectors`, so the API shows exactly what the pages show: declarations only
to their declarant, the park's discipline officers and platform administrators; anything outside the
user's scope is a 404. Changes go through `integrity.services` (one POST action per transition).
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from integrity.api import serializers as s
from integrity.filters import (
    ConductListFilterSet,
    FamilyEventDeclarationFilterSet,
    GiftDeclarationFilterSet,
    InterestDeclarationFilterSet,
    PledgeFilterSet,
    PledgeTemplateFilterSet,
)
from integrity.selectors.conduct import public_conduct_lists
from integrity.selectors.declarations import (
    family_event_declarations_for,
    gift_declarations_for,
    interest_declarations_for,
)
from integrity.selectors.pledges import pledges_for, templates_for
from integrity.services import declarations as services
from integrity.services.pledges import pledge_sign


class ConductListViewSet(viewsets.ReadOnlyModelViewSet):
    """Every published version of the parks' conduct lists (正负清单): public, like the pages."""

    serializer_class = s.ConductListSerializer
    filterset_class = ConductListFilterSet
    permission_classes = [AllowAny]
    ordering_fields = ["version", "published_at"]

    def get_queryset(self):
        return public_conduct_lists()


class PledgeTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """Pledge texts, every version, of the parks the user may see; ``?current=true`` for those in force."""

    serializer_class = s.PledgeTemplateSerializer
    filterset_class = PledgeTemplateFilterSet
    ordering_fields = ["version", "published_at"]

    def get_queryset(self):
        return templates_for(self.request.user)


class PledgeViewSet(viewsets.ReadOnlyModelViewSet):
    """Signatures: staff see those of their parks, enterprise users those for their enterprises, everyone
    their own. ``POST sign/`` signs a pledge text."""

    serializer_class = s.PledgeSerializer
    filterset_class = PledgeFilterSet
    ordering_fields = ["signed_at", "expires_at"]

    def get_queryset(self):
        return pledges_for(self.request.user).order_by("-signed_at", "-id")

    @extend_schema(request=s.PledgeSignSerializer, responses={201: s.PledgeSerializer}, summary="Sign a pledge")
    @action(detail=False, methods=["post"])
    def sign(self, request):
        data = s.PledgeSignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        pledge = pledge_sign(
            template=values["template"],
            actor=request.user,
            enterprise=values.get("enterprise"),
            reference=values.get("reference", ""),
            expected_sha256=values.get("expected_sha256") or None,
        )
        pledge = self.get_queryset().get(pk=pledge.pk)
        return Response(self.get_serializer(pledge).data, status=status.HTTP_201_CREATED)


class _DeclarationViewSet(viewsets.ReadOnlyModelViewSet):
    """Common shape of the three declaration endpoints: list and read (confidential scope), create a draft,
    change a draft or a returned one (PATCH), and one POST action per transition."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering_fields = ["created_at", "submitted_at", "due_date"]
    selector = None
    input_serializer_class = None
    create_service = None
    update_service = None

    def get_queryset(self):
        return type(self).selector(self.request.user).order_by("-created_at", "-id")

    def _respond(self, declaration, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=declaration.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self.input_serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        park = values.pop("park")
        declaration = type(self).create_service(park=park, actor=request.user, data=values)
        return self._respond(declaration, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        declaration = self.get_object()
        data = self.input_serializer_class(declaration, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("park", None)
        declaration = type(self).update_service(declaration=declaration, actor=request.user, data=values)
        return self._respond(declaration)

    @extend_schema(request=None, summary="Submit to the discipline office (declarant)")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._respond(services.declaration_submit(declaration=self.get_object(), actor=request.user))

    @extend_schema(request=s.AcceptSerializer, summary="Accept (discipline officer)")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        declaration = self.get_object()
        data = s.AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = data.validated_data.get("note", "")
        return self._respond(services.declaration_accept(declaration=declaration, actor=request.user, note=note))

    @extend_schema(request=s.ReasonSerializer, summary="Return for correction (discipline officer)")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_for_correction(self, request, pk=None):
        declaration = self.get_object()
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reason = data.validated_data["reason"]
        return self._respond(services.declaration_return(declaration=declaration, actor=request.user, reason=reason))

    @extend_schema(request=s.RequireActionSerializer, summary="Require an action (discipline officer)")
    @action(detail=True, methods=["post"], url_path="require-action", url_name="require-action")
    def require_action(self, request, pk=None):
        declaration = self.get_object()
        data = s.RequireActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            services.declaration_require_action(
                declaration=declaration,
                actor=request.user,
                action=data.validated_data["action"],
                reason=data.validated_data["reason"],
            )
        )

    @extend_schema(request=s.ReportActionSerializer, summary="Report the required action done (declarant)")
    @action(detail=True, methods=["post"], url_path="report-action", url_name="report-action")
    def report_action(self, request, pk=None):
        declaration = self.get_object()
        data = s.ReportActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            services.declaration_report_action(
                declaration=declaration,
                actor=request.user,
                report=data.validated_data["report"],
                done_on=data.validated_data.get("done_on"),
            )
        )


def _write_schema(input_serializer, output_serializer):
    """Document the create and PATCH bodies with the input serializer, the answers with the read one."""
    return extend_schema_view(
        create=extend_schema(request=input_serializer, responses={201: output_serializer}),
        partial_update=extend_schema(request=input_serializer, responses=output_serializer),
    )


@_write_schema(s.GiftDeclarationInputSerializer, s.GiftDeclarationSerializer)
class GiftDeclarationViewSet(_DeclarationViewSet):
    """Gift and money declarations (礼品礼金登记)."""

    serializer_class = s.GiftDeclarationSerializer
    filterset_class = GiftDeclarationFilterSet
    input_serializer_class = s.GiftDeclarationInputSerializer
    selector = staticmethod(gift_declarations_for)
    create_service = staticmethod(services.gift_declaration_create)
    update_service = staticmethod(services.gift_declaration_update)


@_write_schema(s.FamilyEventDeclarationInputSerializer, s.FamilyEventDeclarationSerializer)
class FamilyEventDeclarationViewSet(_DeclarationViewSet):
    """Family event reports (婚丧喜庆事宜报告)."""

    serializer_class = s.FamilyEventDeclarationSerializer
    filterset_class = FamilyEventDeclarationFilterSet
    input_serializer_class = s.FamilyEventDeclarationInputSerializer
    selector = staticmethod(family_event_declarations_for)
    create_service = staticmethod(services.family_event_declaration_create)
    update_service = staticmethod(services.family_event_declaration_update)


@_write_schema(s.InterestDeclarationInputSerializer, s.InterestDeclarationSerializer)
class InterestDeclarationViewSet(_DeclarationViewSet):
    """Relatives' business declarations (亲属经商办企业报告)."""

    serializer_class = s.InterestDeclarationSerializer
    filterset_class = InterestDeclarationFilterSet
    input_serializer_class = s.InterestDeclarationInputSerializer
    selector = staticmethod(interest_declarations_for)
    create_service = staticmethod(services.interest_declaration_create)
    update_service = staticmethod(services.interest_declaration_update)
