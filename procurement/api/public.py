"""API of procurement transparency, under /api/v1/procurement/ (registered by `procurement.api.urls`):

- ``ocds/releases/?park=<code>&from=YYYY-MM-DD&to=YYYY-MM-DD`` — the OCDS 1.1 release package (no sign-in);
- ``notices/?park=<code>&kind=<kind>`` — the public notices board (no sign-in);
- ``dossiers/<tender id>/`` — an auditor's dossier of one tender, with its trail (who may read the park's
  procurement files; anyone else gets 404).

All read-only: this module has no POST action. The public events are not a queryset (they are gathered from
several tables), so the notices endpoint takes its two filters as query parameters instead of a FilterSet.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from core.api.pagination import StandardPagination
from core.errors import DomainError
from core.roles import AUDITOR, ENTERPRISE, EXPERT, OFFICIAL_ROLES, has_role
from parks.models import Park
from procurement import ocds
from procurement.selectors.dossier import dossier_sections, dossier_tender_for, dossier_trail
from procurement.selectors.public import NOTICE_KINDS, public_events
from procurement.views.public import notice_label, notice_url

PARK = OpenApiParameter("park", str, description="Park code; all active parks when absent.")
DATE_FROM = OpenApiParameter("from", OpenApiTypes.DATE, description="First day (local date), inclusive.")
DATE_TO = OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (local date), inclusive.")
KIND = OpenApiParameter("kind", str, enum=list(NOTICE_KINDS), description="One kind of notice.")
ERROR = inline_serializer("ProcurementPublicError", {"detail": serializers.CharField()})


class AuditorsReadOnly(BasePermission):
    """Auditors (核查员) read every procurement file of their parks and change nothing: a POST, PUT, PATCH or
    DELETE from a user who is an auditor and holds no role that acts in procurement is refused with 403
    before any input is read. Added to every procurement viewset by `procurement.api.urls`; the services
    refuse auditors too, this only makes the answer a clean 403 instead of a 400 about missing fields."""

    message = gettext_lazy("Auditors have read-only access to procurement.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return not (has_role(user, AUDITOR) and not has_role(user, *OFFICIAL_ROLES, ENTERPRISE, EXPERT))


def _park(code):
    if not code:
        return None
    park = Park.objects.filter(code__iexact=code, is_active=True).first()
    if park is None:
        raise Http404(_("No such park."))
    return park


class OcdsReleaseViewSet(viewsets.ViewSet):
    """The OCDS 1.1 release package of a park's procurement (or of every active park), by date range."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        parameters=[PARK, DATE_FROM, DATE_TO],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="An OCDS 1.1 release package."),
            400: OpenApiResponse(ERROR, description="A date is not YYYY-MM-DD, or the range is reversed."),
            404: OpenApiResponse(ERROR, description="No such park, or no release in the range."),
        },
    )
    def list(self, request):
        park = _park(request.query_params.get("park"))
        try:
            date_from, date_to = ocds.parse_date_range(request.query_params.get("from"), request.query_params.get("to"))
        except DomainError as error:
            return Response({"detail": str(error.message), "code": error.code}, status=400)
        releases = ocds.releases_for(park=park, date_from=date_from, date_to=date_to)
        if not releases:
            return Response({"detail": _("No public procurement release in this range.")}, status=404)
        return Response(ocds.release_package(releases, uri=request.build_absolute_uri()))


class ProcurementNoticeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k, k) for k in NOTICE_KINDS])
    label = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(source="at")
    tender_id = serializers.IntegerField(source="tender.pk")
    tender_number = serializers.CharField(source="tender.number")
    tender_title = serializers.CharField(source="tender.title")
    park = serializers.CharField(source="tender.park.code")
    method = serializers.CharField(source="tender.method")
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_label(self, event):
        return str(notice_label(event))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, event):
        url = notice_url(event)
        return self.context["request"].build_absolute_uri(url) if url else None


class NoticeViewSet(viewsets.ViewSet):
    """The public notices of procurement, newest first (the board's content)."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
    pagination_class = StandardPagination

    @extend_schema(parameters=[PARK, KIND], responses={200: ProcurementNoticeSerializer(many=True), 404: ERROR})
    def list(self, request):
        park = _park(request.query_params.get("park"))
        kind = request.query_params.get("kind")
        kinds = {kind} if kind in NOTICE_KINDS else set(NOTICE_KINDS)
        events = public_events(park=park, kinds=kinds, newest_first=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(events, request, view=self)
        data = ProcurementNoticeSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class DossierSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_blank=True)))
    note = serializers.CharField(allow_blank=True)


class DossierTrailSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    target = serializers.CharField()
    actor = serializers.CharField()
    data = serializers.CharField(allow_blank=True)


class TenderDossierSerializer(serializers.Serializer):
    tender_id = serializers.IntegerField(source="tender.pk")
    number = serializers.CharField(source="tender.number")
    sections = DossierSectionSerializer(many=True)
    trail = DossierTrailSerializer(many=True)


def _text_rows(sections):
    for section in sections:
        section.headers = [str(h) for h in section.headers]
        section.rows = [["" if v is None else str(v) for v in row] for row in section.rows]
        section.title, section.note = str(section.title), str(section.note)
    return sections


class DossierViewSet(viewsets.ViewSet):
    """An auditor's dossier of one tender (id = the tender's id): every stage's records and the trail,
    read-only; 404 for anyone who may not read the park's procurement files."""

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The tender's id.")],
        responses={200: TenderDossierSerializer, 404: ERROR},
    )
    def retrieve(self, request, pk=None):
        try:
            tender = dossier_tender_for(request.user, int(pk))
        except (DomainError, ValueError):
            raise Http404(_("No such tender file.")) from None
        payload = {
            "tender": tender,
            "sections": _text_rows(dossier_sections(tender)),
            "trail": dossier_trail(tender, request.user),
        }
        return Response(TenderDossierSerializer(payload).data)


def register(router):
    """Registers this module's viewsets on the procurement API router."""
    router.register("ocds/releases", OcdsReleaseViewSet, basename="ocds-release")
    router.register("notices", NoticeViewSet, basename="notice")
    router.register("dossiers", DossierViewSet, basename="dossier")
