"""API of sealed bids and openings under /api/v1/procurement/ (registered by `procurement.api.urls`).

- ``bids/``: the caller's own bids (receipts). ``POST`` submits a sealed bid — the fields `procurement.sealing.
  client_seal` returns, base64 (``ciphertext`` may instead be sent as a multipart file ``ciphertext_file`` of raw
  bytes, for bids over the JSON body limit); ``POST bids/{id}/withdraw/`` withdraws it.
- ``bid-commitments/?tender=ID``: the commitments and receipt codes published at the deadline (public tenders,
  anyone signed in).
- ``openings/``: tenders awaiting opening (for their procurement officers) and opened tenders whose record the
  caller may read (officials, bidders); ``POST openings/{id}/open/`` opens, co-signed by a discipline officer's
  password; the record lists supplier names, prices and commitment checks.

No serializer here has a field for the ciphertext, the wrapped key, the IV or any key material, and before
opening there is no price to return: the server never had it.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.scoping import ALL
from procurement.api.tenders import enum_field
from procurement.choices import PUBLIC_TENDER_STATUSES, BidStatus, TenderStatus
from procurement.filters_bids import BidFilterSet
from procurement.models import Bid, Supplier, Tender
from procurement.selectors import bids as selectors
from procurement.selectors.access import procurement_park_ids, supplier_enterprise_ids
from procurement.services.bids import bid_submit, bid_withdraw
from procurement.services.opening import tender_open


class BidSerializer(serializers.ModelSerializer):
    """A bid as its bidder sees it: the receipt. Never the ciphertext or the wrapped key."""

    tender_number = serializers.CharField(source="tender.number", read_only=True)
    supplier_name = serializers.CharField(source="supplier.enterprise.name", read_only=True)
    status = enum_field(BidStatus.choices, "BidStatusEnum", read_only=True)

    class Meta:
        model = Bid
        fields = [
            "id",
            "tender",
            "tender_number",
            "supplier",
            "supplier_name",
            "status",
            "receipt",
            "commitment",
            "ciphertext_sha256",
            "submitted_at",
            "withdrawn_at",
            "opened_at",
        ]
        read_only_fields = fields


class BidSubmitSerializer(serializers.Serializer):
    tender = serializers.IntegerField()
    supplier = serializers.IntegerField()
    ciphertext = serializers.CharField(required=False, allow_blank=False, trim_whitespace=True)
    ciphertext_file = serializers.FileField(required=False)
    wrapped_key = serializers.CharField(help_text="base64 of the RSA-OAEP-wrapped AES key (384 bytes)")
    iv = serializers.CharField(help_text="base64 of the 12-byte AES-GCM IV")
    commitment = serializers.CharField(help_text="SHA-256 hex of the plaintext", max_length=64)

    def validate(self, attrs):
        if bool(attrs.get("ciphertext")) == bool(attrs.get("ciphertext_file")):
            raise serializers.ValidationError(
                "Send the ciphertext either as base64 `ciphertext` or as `ciphertext_file`."
            )
        return attrs


class CommitmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bid
        fields = ["tender", "receipt", "commitment", "ciphertext_sha256"]
        read_only_fields = fields


class OpenedBidSerializer(serializers.ModelSerializer):
    """One line of the opening record (开标记录)."""

    supplier_name = serializers.CharField(source="supplier.enterprise.name", read_only=True)
    status = enum_field(BidStatus.choices, "BidStatusEnum", read_only=True)

    class Meta:
        model = Bid
        fields = [
            "id",
            "supplier",
            "supplier_name",
            "status",
            "receipt",
            "commitment",
            "commitment_ok",
            "price",
            "is_valid",
            "invalid_reason",
            "opening_note",
            "opened_at",
        ]
        read_only_fields = fields


class OpeningSerializer(serializers.ModelSerializer):
    bids = serializers.SerializerMethodField()
    status = enum_field(TenderStatus.choices, "TenderStatusEnum", read_only=True)
    opening_cosigned_by = serializers.CharField(source="opening_cosigned_by.username", default=None, read_only=True)

    class Meta:
        model = Tender
        fields = [
            "id",
            "number",
            "title",
            "status",
            "bid_deadline",
            "commitments_published_at",
            "opened_at",
            "opening_cosigned_by",
            "failure_reason",
            "bids",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenedBidSerializer(many=True))
    def get_bids(self, tender):
        if tender.opened_at is None:
            return []
        return OpenedBidSerializer(selectors.opening_record(tender), many=True).data


class OpenInputSerializer(serializers.Serializer):
    officer = serializers.IntegerField(help_text="id of the co-signing discipline officer (not the caller)")
    officer_password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


@extend_schema_view(create=extend_schema(request=BidSubmitSerializer, responses={201: BidSerializer}))
class BidViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The caller's bids (receipts). ``POST`` submits a sealed bid (replacing the supplier's live one)."""

    serializer_class = BidSerializer
    filterset_class = BidFilterSet
    ordering_fields = ["submitted_at"]

    def get_queryset(self):
        return selectors.supplier_bids_for(self.request.user)

    def create(self, request, *args, **kwargs):
        data = BidSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        tender = Tender.objects.filter(pk=values["tender"], status__in=PUBLIC_TENDER_STATUSES).first()
        supplier = Supplier.objects.filter(
            pk=values["supplier"], enterprise_id__in=supplier_enterprise_ids(request.user)
        ).first()
        if tender is None or supplier is None:
            raise NotFound()
        upload = values.get("ciphertext_file")
        bid = bid_submit(
            tender=tender,
            supplier=supplier,
            actor=request.user,
            ciphertext=upload.read() if upload else values["ciphertext"],
            wrapped_key=values["wrapped_key"],
            iv=values["iv"],
            commitment=values["commitment"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=bid.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BidSerializer, summary="Withdraw a sealed bid before the deadline")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        bid = bid_withdraw(bid=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=bid.pk)).data)


class CommitmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Commitments and receipt codes published at the deadline: ``?tender=ID`` (required)."""

    serializer_class = CommitmentSerializer
    filterset_class = None

    @extend_schema(parameters=[OpenApiParameter("tender", OpenApiTypes.INT, required=True)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        tender_id = self.request.query_params.get("tender", "")
        tender = (
            Tender.objects.filter(pk=int(tender_id), status__in=PUBLIC_TENDER_STATUSES).first()
            if tender_id.isdigit()
            else None
        )
        return selectors.published_commitments(tender) if tender else Bid.objects.none()


class OpeningViewSet(viewsets.ReadOnlyModelViewSet):
    """Tenders awaiting opening (for their procurement officers) and opening records the caller may read."""

    serializer_class = OpeningSerializer
    filterset_class = None

    def get_queryset(self):
        user = self.request.user
        ids = procurement_park_ids(user)
        official = Tender.objects.filter(Q(status=TenderStatus.CLOSED) | Q(opened_at__isnull=False))
        if ids is not ALL:
            official = official.filter(park_id__in=ids)
        as_bidder = Tender.objects.filter(
            opened_at__isnull=False, bids__supplier__enterprise_id__in=supplier_enterprise_ids(user)
        )
        return (
            Tender.objects.filter(Q(pk__in=official.values("pk")) | Q(pk__in=as_bidder.values("pk")))
            .select_related("opening_cosigned_by")
            .order_by("-bid_deadline", "-id")
        )

    @extend_schema(request=OpenInputSerializer, responses=OpeningSerializer, summary="Open the sealed bids")
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        tender = self.get_object()
        data = OpenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        officer = get_user_model().objects.filter(pk=data.validated_data["officer"], is_active=True).first()
        tender = tender_open(
            tender=tender,
            actor=request.user,
            officer=officer,
            officer_password=data.validated_data["officer_password"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=tender.pk)).data)


def register(router):
    """Registers this module's viewsets on the procurement API router."""
    router.register("bids", BidViewSet, basename="bid")
    router.register("bid-commitments", CommitmentViewSet, basename="bid-commitment")
    router.register("openings", OpeningViewSet, basename="opening")
