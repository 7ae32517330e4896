"""API of the service rating cards (监督提醒卡) under /api/v1/integrity/ (registered by `register`):

- ``service-ratings/``: individual ratings with comments, for the discipline office (scoped like the pages);
  ``POST`` rates an official through a card's token — for enterprise users with an API token (a park's mobile
  app), as their enterprise; rate-limited per client address like the public page.
- ``rating-cards/``: the user's own cards (and, for discipline officers and park administrators, their parks'
  cards), with ``POST issue/`` and one POST action per change of a card (``reissue``, ``revoke``).
- ``rating-averages/``: per official and park, the averages the user may see (officials: their own).

Querysets come from `integrity.selectors.ratings`; changes go through `integrity.services.ratings`.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.errors import DomainError, PermissionDenied
from core.scoping import enterprise_ids_for
from integrity import ratelimit_ratings
from integrity.cards import card_url
from integrity.filters_ratings import ServiceCardFilterSet, ServiceRatingFilterSet
from integrity.models import RaterKind, ServiceCard, ServiceRating
from integrity.selectors import ratings as selectors
from integrity.services import ratings as services
from parks.models import Enterprise, Park

# --- serializers ----------------------------------------------------------------------------------------

_RATER_KIND = extend_schema_field({"type": "string", "enum": list(RaterKind.values)}, "ServiceRaterKindEnum")(
    type("ServiceRaterKindField", (serializers.ChoiceField,), {})
)


class RatingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ServiceRatingSerializer(serializers.ModelSerializer):
    park = RatingRefSerializer(read_only=True)
    official = serializers.SerializerMethodField()
    enterprise = RatingRefSerializer(read_only=True, allow_null=True)
    rater_kind = _RATER_KIND(choices=RaterKind.choices, read_only=True)

    class Meta:
        model = ServiceRating
        fields = [
            "id",
            "park",
            "official",
            "created_at",
            "attitude",
            "efficiency",
            "integrity",
            "comment",
            "rater_kind",
            "enterprise",
            "is_low",
            "ticket",
        ]

    @extend_schema_field(RatingRefSerializer)
    def get_official(self, obj):
        return {"id": obj.official_id, "name": obj.official.get_full_name() or obj.official.get_username()}


class ServiceRatingCreateSerializer(serializers.Serializer):
    card = serializers.CharField(max_length=64, help_text=_("The card's token (the last part of its QR link)."))
    attitude = serializers.IntegerField(min_value=1, max_value=5)
    efficiency = serializers.IntegerField(min_value=1, max_value=5)
    integrity = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=services.COMMENT_MAX)
    enterprise = serializers.IntegerField(required=False, help_text=_("Needed when you act for several."))
    improper_demand = serializers.BooleanField(required=False, default=False)
    improper_demand_text = serializers.CharField(required=False, allow_blank=True, max_length=services.REPORT_MAX)
    report_anonymously = serializers.BooleanField(required=False, default=False)


class ServiceRatingCreatedSerializer(serializers.Serializer):
    rating = serializers.IntegerField()
    ticket = serializers.CharField(allow_null=True, help_text=_("Number of the report, when one was filed."))
    receipt_code = serializers.CharField(allow_null=True, help_text=_("Anonymous report only: shown once."))


class ServiceCardSerializer(serializers.ModelSerializer):
    park = RatingRefSerializer(read_only=True)
    official = serializers.SerializerMethodField()
    post = serializers.SerializerMethodField()
    department = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    is_valid = serializers.BooleanField(read_only=True)

    class Meta:
        model = ServiceCard
        fields = ["id", "park", "official", "post", "department", "url", "issued_at", "revoked_at", "is_valid"]

    @extend_schema_field(RatingRefSerializer)
    def get_official(self, obj):
        return {"id": obj.official_id, "name": obj.official.get_full_name() or obj.official.get_username()}

    def _profile(self, obj):
        return getattr(obj.official, "staff_profile", None)

    def get_post(self, obj) -> str:
        profile = self._profile(obj)
        return profile.position if profile else ""

    def get_department(self, obj) -> str:
        profile = self._profile(obj)
        return profile.department.name if profile and profile.department_id else ""

    def get_url(self, obj) -> str | None:
        """The rating page the card's QR code opens (None once revoked)."""
        return card_url(obj) if obj.is_valid else None


class CardIssueSerializer(serializers.Serializer):
    park = serializers.IntegerField()
    official = serializers.IntegerField(required=False, help_text=_("Default: yourself."))


class CardReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=services.REASON_MAX)


class OfficialAveragesSerializer(serializers.Serializer):
    official_id = serializers.IntegerField()
    official_name = serializers.CharField()
    park_id = serializers.IntegerField()
    park_name = serializers.CharField()
    count = serializers.IntegerField()
    attitude = serializers.FloatField(allow_null=True)
    efficiency = serializers.FloatField(allow_null=True)
    integrity = serializers.FloatField(allow_null=True)
    overall = serializers.FloatField(allow_null=True)
    low = serializers.IntegerField()
    last_rated = serializers.DateTimeField(allow_null=True)


# --- viewsets -------------------------------------------------------------------------------------------


class ServiceRatingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Ratings with comments (discipline office); ``POST`` rates an official as an enterprise user."""

    serializer_class = ServiceRatingSerializer
    filterset_class = ServiceRatingFilterSet
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.rating_list_for(self.request.user)

    @extend_schema(request=ServiceRatingCreateSerializer, responses={201: ServiceRatingCreatedSerializer})
    def create(self, request, *args, **kwargs):
        if ratelimit_ratings.is_blocked(request):
            return Response(
                {"detail": _("Too many ratings from your network in the last hour. Please try again later.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        ratelimit_ratings.record_attempt(request)
        data = ServiceRatingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        card = selectors.card_for_token(values.pop("card"))
        if card is None:
            raise DomainError(_("This card is not valid."), code="card_invalid", field="card", kind="not_found")
        mine = Enterprise.objects.filter(pk__in=enterprise_ids_for(request.user), park_id=card.park_id)
        if not mine.exists():
            # Through the API only as an enterprise: anonymous raters use the card's page (browser cookie).
            raise PermissionDenied(_("You can rate only for your own enterprise in this park."), code="enterprise")
        enterprise_id = values.pop("enterprise", None)
        enterprise = None
        if enterprise_id is not None:
            enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
            if enterprise is None:
                raise DomainError(_("Unknown enterprise."), field="enterprise")
        submission = services.service_rating_submit(card=card, actor=request.user, enterprise=enterprise, **values)
        body = {
            "rating": submission.rating.pk,
            "ticket": submission.ticket.number if submission.ticket else None,
            "receipt_code": submission.receipt_code,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class ServiceCardViewSet(viewsets.ReadOnlyModelViewSet):
    """Cards the user may see: their own, and the cards of the parks they manage."""

    serializer_class = ServiceCardSerializer
    filterset_class = ServiceCardFilterSet
    ordering_fields = ["issued_at"]

    def get_queryset(self):
        return selectors.card_list_for(self.request.user)

    def _card(self, card, code=status.HTTP_200_OK):
        fresh = selectors.card_list_for(self.request.user).get(pk=card.pk)
        return Response(ServiceCardSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=CardIssueSerializer, responses={201: ServiceCardSerializer}, summary="Issue a card")
    @action(detail=False, methods=["post"])
    def issue(self, request):
        data = CardIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        park = Park.objects.filter(pk=data.validated_data["park"], is_active=True).first()
        if park is None:
            raise DomainError(_("Unknown park."), field="park")
        official = request.user
        if "official" in data.validated_data:
            official = selectors.card_holders(park).filter(pk=data.validated_data["official"]).first()
            if official is None:
                raise DomainError(
                    _("Cards are issued to the park's officials only."), code="not_an_official", field="official"
                )
        card = services.service_card_issue(park=park, official=official, actor=request.user)
        return self._card(card, status.HTTP_201_CREATED)

    @extend_schema(request=CardReasonSerializer, responses=ServiceCardSerializer, summary="Replace a card")
    @action(detail=True, methods=["post"])
    def reissue(self, request, pk=None):
        data = CardReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        card = services.service_card_reissue(
            card=self.get_object(), actor=request.user, reason=data.validated_data.get("reason", "")
        )
        return self._card(card, status.HTTP_201_CREATED)

    @extend_schema(request=CardReasonSerializer, responses=ServiceCardSerializer, summary="Revoke a card")
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        data = CardReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        card = services.service_card_revoke(
            card=self.get_object(), actor=request.user, reason=data.validated_data.get("reason", "")
        )
        return self._card(card)


class RatingAveragesViewSet(viewsets.GenericViewSet):
    """Averages per official and park, lowest first: every official of the parks whose averages the user reads
    (discipline officers, park administrators, auditors), else the user's own."""

    serializer_class = OfficialAveragesSerializer
    filterset_class = ServiceRatingFilterSet
    pagination_class = None

    def get_queryset(self):
        return selectors.average_scope_for(self.request.user)

    @extend_schema(responses=OfficialAveragesSerializer(many=True))
    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        return Response(OfficialAveragesSerializer(selectors.official_averages(queryset), many=True).data)


def register(router):
    """Registers this module's viewsets on the integrity API router."""
    router.register("service-ratings", ServiceRatingViewSet, basename="service-rating")
    router.register("rating-cards", ServiceCardViewSet, basename="rating-card")
    router.register("rating-averages", RatingAveragesViewSet, basename="rating-average")
