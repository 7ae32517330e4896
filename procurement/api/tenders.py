"""API of suppliers, qualifications, tenders, their notices and clarification questions, under
/api/v1/procurement/ (registered by `procurement.api.urls`).

Querysets come from `procurement.selectors.suppliers` / `.tenders`, so the API shows what the pages show
(anything outside the user's scope is a 404); FilterSets are the pages' (`procurement.filters`); changes go
through the services, one POST action per transition. Who asked a clarification question is never in a
response, except to the park's procurement officers (`asked_by`, null for everyone else).
"""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.errors import DomainError
from core.models import Attachment
from parks.models import Department, Enterprise, Park
from procurement.choices import Method, QualificationKind, SupplierStatus, TenderChangeKind, TenderStatus
from procurement.filters import (
    ClarificationFilterSet,
    QualificationFilterSet,
    SupplierFilterSet,
    TenderChangeFilterSet,
    TenderFilterSet,
)
from procurement.models import ClarificationQuestion, Qualification, Supplier, Tender, TenderChange
from procurement.selectors import suppliers as supplier_selectors
from procurement.selectors import tenders as tender_selectors
from procurement.services import suppliers as supplier_services
from procurement.services import tenders as tender_services

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


CATEGORY_CHOICES = [("goods", "goods"), ("services", "services"), ("works", "works")]


class ProcurementRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _own_uploads(user, attachments):
    # Only the caller's own unattached uploads may become documents (attachment_attach checks it again).
    return [a for a in attachments if a.uploaded_by_id == user.pk]


def _not_found_to_404(getter, *args):
    from django.http import Http404

    try:
        return getter(*args)
    except DomainError as error:
        if error.kind == "not_found":
            raise Http404(str(error.message)) from None
        raise


# --- suppliers -------------------------------------------------------------------------------------------------


class QualificationSerializer(serializers.ModelSerializer):
    kind = enum_field(QualificationKind.choices, "QualificationKindEnum", read_only=True)
    is_valid = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Qualification
        fields = [
            "id",
            "supplier",
            "kind",
            "name",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "is_valid",
            "documents",
            "created_at",
        ]

    def get_is_valid(self, obj) -> bool:
        return obj.is_valid()

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"token": {"type": "string"}, "name": {"type": "string"}, "url": {"type": "string"}},
            },
        }
    )
    def get_documents(self, obj):
        from django.urls import reverse

        from core.attachments import attachments_for

        if self.context.get("list_view"):
            return []
        return [
            {"token": a.token, "name": a.original_name, "url": reverse("core:attachment-download", args=[a.token])}
            for a in attachments_for(obj)
        ]


class SupplierSerializer(serializers.ModelSerializer):
    park = ProcurementRefSerializer(read_only=True)
    enterprise = serializers.SerializerMethodField()
    status = enum_field(SupplierStatus.choices, "SupplierStatusEnum", read_only=True)
    can_bid = serializers.SerializerMethodField()
    qualifications = serializers.SerializerMethodField()

    class Meta:
        model = Supplier
        fields = [
            "id",
            "park",
            "enterprise",
            "status",
            "status_reason",
            "status_changed_at",
            "business_scope",
            "categories",
            "registered_at",
            "can_bid",
            "qualifications",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "credit_code": {"type": "string"},
            },
        }
    )
    def get_enterprise(self, obj):
        return {"id": obj.enterprise_id, "name": obj.enterprise.name, "credit_code": obj.enterprise.credit_code}

    @extend_schema_field(
        {"type": "object", "properties": {"allowed": {"type": "boolean"}, "reason": {"type": "string"}}}
    )
    def get_can_bid(self, obj):
        allowed, reason = supplier_selectors.supplier_can_bid(obj)
        return {"allowed": allowed, "reason": str(reason)}

    @extend_schema_field(QualificationSerializer(many=True))
    def get_qualifications(self, obj):
        context = {**self.context, "list_view": True}
        return QualificationSerializer(obj.qualifications.all(), many=True, context=context).data


class QualificationInputSerializer(serializers.Serializer):
    kind = enum_field(QualificationKind.choices, "QualificationKindEnum")
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    number = serializers.CharField(max_length=100)
    issuer = serializers.CharField(max_length=200)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    documents = serializers.SlugRelatedField(
        slug_field="token",
        queryset=Attachment.objects.all(),
        many=True,
        required=False,
        help_text="Tokens of files uploaded through /api/v1/attachments/ by the caller and not yet attached.",
    )


class QualificationCreateSerializer(QualificationInputSerializer):
    supplier = serializers.IntegerField()


class SupplierRegisterSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    park = serializers.PrimaryKeyRelatedField(queryset=Park.objects.filter(is_active=True), required=False)
    business_scope = serializers.CharField()
    categories = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    qualifications = QualificationInputSerializer(many=True)


class SupplierReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def _qualification_values(user, item):
    values = dict(item)
    values["files"] = _own_uploads(user, values.pop("documents", []))
    return values


def _supplier_action(summary):
    return extend_schema(request=SupplierReasonSerializer, responses=SupplierSerializer, summary=summary)


@extend_schema_view(create=extend_schema(request=SupplierRegisterSerializer, responses={201: SupplierSerializer}))
class SupplierViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Supplier registrations (供应商): the park's procurement readers see its suppliers, enterprise users their
    own. ``POST`` registers an enterprise the caller acts for; the transitions are the officer's decisions."""

    serializer_class = SupplierSerializer
    filterset_class = SupplierFilterSet
    ordering_fields = ["registered_at", "status_changed_at"]

    def get_queryset(self):
        return supplier_selectors.supplier_list_for(self.request.user)

    def _respond(self, supplier, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=supplier.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        data = SupplierRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        enterprise = values["enterprise"]
        supplier = supplier_services.supplier_register(
            enterprise=enterprise,
            park=values.get("park") or enterprise.park,
            actor=request.user,
            business_scope=values["business_scope"],
            categories=values["categories"],
            qualifications=[_qualification_values(request.user, q) for q in values["qualifications"]],
        )
        return self._respond(supplier, status.HTTP_201_CREATED)

    def _decide(self, request, service):
        supplier = self.get_object()
        data = SupplierReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(service(supplier=supplier, actor=request.user, reason=data.validated_data["reason"]))

    @_supplier_action("Approve")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, supplier_services.supplier_approve)

    @_supplier_action("Reject (reason required)")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, supplier_services.supplier_reject)

    @_supplier_action("Suspend (reason required)")
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._decide(request, supplier_services.supplier_suspend)

    @_supplier_action("Blacklist (reason required)")
    @action(detail=True, methods=["post"])
    def blacklist(self, request, pk=None):
        return self._decide(request, supplier_services.supplier_blacklist)

    @_supplier_action("Reinstate a suspended supplier (reason required)")
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        return self._decide(request, supplier_services.supplier_reinstate)


@extend_schema_view(
    create=extend_schema(request=QualificationCreateSerializer, responses={201: QualificationSerializer})
)
class QualificationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Qualifications (资质) of the suppliers the user may see; ``POST`` adds one to the caller's supplier."""

    serializer_class = QualificationSerializer
    filterset_class = QualificationFilterSet
    ordering_fields = ["expires_on", "created_at"]

    def get_queryset(self):
        return supplier_selectors.qualification_list_for(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "list_view": self.action == "list"}

    def create(self, request, *args, **kwargs):
        data = QualificationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = _qualification_values(request.user, data.validated_data)
        supplier = _not_found_to_404(supplier_selectors.supplier_get_for, request.user, values.pop("supplier"))
        qualification = supplier_services.qualification_add(supplier=supplier, actor=request.user, **values)
        fresh = self.get_queryset().get(pk=qualification.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


# --- tenders ---------------------------------------------------------------------------------------------------


class TenderChangeSerializer(serializers.ModelSerializer):
    kind = enum_field(TenderChangeKind.choices, "TenderChangeKindEnum", read_only=True)

    class Meta:
        model = TenderChange
        fields = ["id", "tender", "kind", "text", "deadline_before", "deadline_after", "published_at"]


class TenderSerializer(serializers.ModelSerializer):
    park = ProcurementRefSerializer(read_only=True)
    method = enum_field(Method.choices, "TenderMethodEnum", read_only=True)
    status = enum_field(TenderStatus.choices, "TenderStatusEnum", read_only=True)
    category = enum_field(CATEGORY_CHOICES, "TenderCategoryEnum", read_only=True)
    buyer_department = serializers.SerializerMethodField()
    proposed_supplier = serializers.SerializerMethodField()
    invited_suppliers = serializers.SerializerMethodField()
    accepts_bids = serializers.SerializerMethodField()

    class Meta:
        model = Tender
        fields = [
            "id",
            "number",
            "park",
            "title",
            "method",
            "status",
            "category",
            "buyer_department",
            "needs",
            "qualification_requirements",
            "budget",
            "price_weight",
            "justification",
            "proposed_supplier",
            "invited_suppliers",
            "previous_tender",
            "justification_published_at",
            "justification_ends_at",
            "published_at",
            "clarification_deadline",
            "bid_deadline",
            "closed_at",
            "commitments_published_at",
            "opened_at",
            "failed_at",
            "failure_reason",
            "public_key_pem",
            "accepts_bids",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(ProcurementRefSerializer(allow_null=True))
    def get_buyer_department(self, obj):
        department = obj.buyer_department
        return {"id": department.pk, "name": department.name} if department else None

    @extend_schema_field(ProcurementRefSerializer(allow_null=True))
    def get_proposed_supplier(self, obj):
        supplier = obj.proposed_supplier
        return {"id": supplier.pk, "name": supplier.enterprise.name} if supplier else None

    @extend_schema_field(ProcurementRefSerializer(many=True))
    def get_invited_suppliers(self, obj):
        return [{"id": s.pk, "name": s.enterprise.name} for s in obj.invited_suppliers.all()]

    def get_accepts_bids(self, obj) -> bool:
        return tender_selectors.tender_accepts_bids(obj)


class TenderInputSerializer(serializers.Serializer):
    park = serializers.PrimaryKeyRelatedField(queryset=Park.objects.filter(is_active=True))
    title = serializers.CharField(max_length=200)
    method = enum_field(Method.choices, "TenderMethodEnum")
    category = enum_field(CATEGORY_CHOICES, "TenderCategoryEnum", required=False)
    buyer_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    needs = serializers.CharField()
    qualification_requirements = serializers.CharField(required=False, allow_blank=True)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    price_weight = serializers.IntegerField(min_value=0, max_value=100, required=False)
    justification = serializers.CharField(required=False, allow_blank=True)
    proposed_supplier = serializers.PrimaryKeyRelatedField(
        queryset=Supplier.objects.all(), required=False, allow_null=True
    )
    invited_suppliers = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all(), many=True, required=False)


class TenderUpdateSerializer(TenderInputSerializer):
    park = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class TenderPublishSerializer(serializers.Serializer):
    bid_deadline = serializers.DateTimeField()
    clarification_deadline = serializers.DateTimeField(required=False, allow_null=True, default=None)


class TenderChangeInputSerializer(serializers.Serializer):
    kind = enum_field(
        [(k.value, k.label) for k in tender_services.CHANGE_KINDS], "TenderChangeInputKindEnum", required=True
    )
    text = serializers.CharField()
    new_deadline = serializers.DateTimeField(required=False, allow_null=True, default=None)


class TenderReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class EmptySerializer(serializers.Serializer):
    pass


def _tender_action(request_serializer, summary, responses=None):
    return extend_schema(request=request_serializer, responses=responses or TenderSerializer, summary=summary)


@extend_schema_view(
    create=extend_schema(request=TenderInputSerializer, responses={201: TenderSerializer}),
    partial_update=extend_schema(request=TenderUpdateSerializer, responses=TenderSerializer),
)
class TenderViewSet(viewsets.ReadOnlyModelViewSet):
    """Tenders (采购项目): everything published, plus the drafts of the parks whose procurement the user reads.
    ``POST`` drafts one; ``PATCH`` edits a draft; the transitions are actions."""

    serializer_class = TenderSerializer
    filterset_class = TenderFilterSet
    ordering_fields = ["published_at", "bid_deadline", "budget", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return tender_selectors.tender_list_for(self.request.user).prefetch_related("invited_suppliers__enterprise")

    def _respond(self, tender, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=tender.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        data = TenderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        park = values.pop("park")
        return self._respond(
            tender_services.tender_create(park=park, actor=request.user, **values), status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        tender = self.get_object()
        data = TenderUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return self._respond(tender_services.tender_update(tender=tender, actor=request.user, **data.validated_data))

    @_tender_action(TenderPublishSerializer, "Publish (checks the method's period rules)")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        tender = self.get_object()
        data = TenderPublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(tender_services.tender_publish(tender=tender, actor=request.user, **data.validated_data))

    @_tender_action(EmptySerializer, "Publish the single-source justification")
    @action(detail=True, methods=["post"], url_path="publish-justification", url_name="publish-justification")
    def publish_justification(self, request, pk=None):
        tender = self.get_object()
        return self._respond(tender_services.tender_justification_publish(tender=tender, actor=request.user))

    @_tender_action(
        TenderChangeInputSerializer, "Publish a change notice (may move the deadline)", {201: TenderChangeSerializer}
    )
    @action(detail=True, methods=["post"], url_path="publish-change", url_name="publish-change")
    def publish_change(self, request, pk=None):
        tender = self.get_object()
        data = TenderChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = tender_services.tender_change_publish(tender=tender, actor=request.user, **data.validated_data)
        return Response(TenderChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @_tender_action(EmptySerializer, "Close bidding (at or after the deadline)")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._respond(tender_services.tender_close(tender=self.get_object(), actor=request.user))

    @_tender_action(TenderReasonSerializer, "Fail the tender (废标)")
    @action(detail=True, methods=["post"])
    def fail(self, request, pk=None):
        tender = self.get_object()
        data = TenderReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            tender_services.tender_fail(tender=tender, actor=request.user, reason=data.validated_data["reason"])
        )

    @_tender_action(TenderReasonSerializer, "Cancel")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        tender = self.get_object()
        data = TenderReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            tender_services.tender_cancel(tender=tender, actor=request.user, reason=data.validated_data["reason"])
        )

    @_tender_action(EmptySerializer, "Re-tender: a new draft copying this failed tender", {201: TenderSerializer})
    @action(detail=True, methods=["post"])
    def retender(self, request, pk=None):
        new = tender_services.tender_retender(tender=self.get_object(), actor=request.user)
        return self._respond(new, status.HTTP_201_CREATED)


class TenderChangeViewSet(viewsets.ReadOnlyModelViewSet):
    """Public notices (更正公告, clarifications, cancellations, failures) of the tenders the user may see."""

    serializer_class = TenderChangeSerializer
    filterset_class = TenderChangeFilterSet
    ordering_fields = ["published_at"]

    def get_queryset(self):
        return tender_selectors.tender_change_list_for(self.request.user)


class ClarificationSerializer(serializers.ModelSerializer):
    asked_by = serializers.SerializerMethodField()
    mine = serializers.SerializerMethodField()

    class Meta:
        model = ClarificationQuestion
        fields = ["id", "tender", "question", "asked_at", "answer", "answered_at", "asked_by", "mine"]

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            "description": "Only for the park's procurement officers; null for everyone else.",
        }
    )
    def get_asked_by(self, obj):
        user = self.context["request"].user
        if not tender_selectors.can_see_asker(user, obj):
            return None
        return {"id": obj.asked_by_id, "name": obj.asked_by.get_full_name() or obj.asked_by.get_username()}

    def get_mine(self, obj) -> bool:
        return obj.asked_by_id == self.context["request"].user.pk


class ClarificationAskSerializer(serializers.Serializer):
    tender = serializers.IntegerField()
    question = serializers.CharField()


class ClarificationAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()


@extend_schema_view(create=extend_schema(request=ClarificationAskSerializer, responses={201: ClarificationSerializer}))
class ClarificationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Clarification questions: answered ones of every visible tender (without the asker), the caller's own,
    and all of the tenders the caller manages. ``POST`` asks; ``answer`` answers publicly."""

    serializer_class = ClarificationSerializer
    filterset_class = ClarificationFilterSet
    ordering_fields = ["asked_at", "answered_at"]

    def get_queryset(self):
        return tender_selectors.clarification_list_for(self.request.user).select_related("asked_by", "tender")

    def create(self, request, *args, **kwargs):
        data = ClarificationAskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tender = _not_found_to_404(tender_selectors.tender_get_for, request.user, data.validated_data["tender"])
        item = tender_services.clarification_ask(
            tender=tender, actor=request.user, question=data.validated_data["question"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ClarificationAnswerSerializer, responses=ClarificationSerializer, summary="Answer publicly")
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        item = self.get_object()
        data = ClarificationAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tender_services.clarification_answer(question=item, actor=request.user, answer=data.validated_data["answer"])
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)


def register(router):
    """Registers this module's viewsets on the procurement API router."""
    router.register("suppliers", SupplierViewSet, basename="supplier")
    router.register("qualifications", QualificationViewSet, basename="qualification")
    router.register("tenders", TenderViewSet, basename="tender")
    router.register("tender-changes", TenderChangeViewSet, basename="tender-change")
    router.register("clarifications", ClarificationViewSet, basename="clarification")
