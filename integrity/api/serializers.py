"""Serializers of the integrity API: small explicit read shapes, and input shapes for the services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from integrity.choices import ConductKind, DeclarationKind, DeclarationStatus, RequiredAction
from integrity.models import (
    ConductItem,
    ConductList,
    Declaration,
    FamilyEventDeclaration,
    GiftDeclaration,
    InterestDeclaration,
    Pledge,
    PledgeTemplate,
)
from integrity.services.declarations import FAMILY_EVENT_FIELDS, GIFT_FIELDS, INTEREST_FIELDS
from parks.models import Enterprise, Park

_NAMED_FIELDS = {}


def named_choice_field(choices, component_name, **kwargs):
    """A ChoiceField whose enum is its own named schema component. drf-spectacular names enums after the
    field, so ``kind`` and ``status`` (used by other apps with other choices) and ``action`` /
    ``required_action`` (one choice set under two names) would otherwise collide. One field class per
    component name, so the schema sees one identity."""
    field_class = _NAMED_FIELDS.get(component_name)
    if field_class is None:
        schema = {"type": "string", "enum": [value for value, _label in choices]}
        field_class = extend_schema_field(schema, component_name)(
            type(f"{component_name}Field", (serializers.ChoiceField,), {})
        )
        _NAMED_FIELDS[component_name] = field_class
    return field_class(choices=choices, **kwargs)


class ConductItemSerializer(serializers.ModelSerializer):
    kind = named_choice_field(ConductKind.choices, "ConductKindEnum", read_only=True)

    class Meta:
        model = ConductItem
        fields = ["id", "kind", "order", "text"]


class ConductListSerializer(serializers.ModelSerializer):
    park_code = serializers.CharField(source="park.code", read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    items = ConductItemSerializer(many=True, read_only=True)

    class Meta:
        model = ConductList
        fields = [
            "id",
            "park",
            "park_code",
            "audience",
            "version",
            "title",
            "introduction",
            "published_at",
            "superseded_at",
            "is_current",
            "items",
        ]


class PledgeTemplateSerializer(serializers.ModelSerializer):
    is_current = serializers.BooleanField(read_only=True)
    cited_items = ConductItemSerializer(many=True, read_only=True)
    sha256 = serializers.SerializerMethodField(help_text="SHA-256 of the document a signer agrees to.")
    document = serializers.SerializerMethodField(help_text="Title, text and cited items, exactly as signed.")

    class Meta:
        model = PledgeTemplate
        fields = [
            "id",
            "park",
            "signer_kind",
            "version",
            "title",
            "text",
            "term_days",
            "published_at",
            "superseded_at",
            "is_current",
            "cited_items",
            "document",
            "sha256",
        ]

    def _items(self, obj):
        # Prefetched by the selector, in document order.
        return list(obj.cited_items.all())

    @extend_schema_field(serializers.CharField())
    def get_document(self, obj):
        return obj.document(self._items(obj))

    @extend_schema_field(serializers.CharField())
    def get_sha256(self, obj):
        return obj.document_sha256(self._items(obj))


class PledgeSerializer(serializers.ModelSerializer):
    is_valid = serializers.SerializerMethodField()

    class Meta:
        model = Pledge
        fields = [
            "id",
            "park",
            "template",
            "template_version",
            "signer_kind",
            "signer",
            "signer_name",
            "signer_post",
            "enterprise",
            "enterprise_name",
            "reference",
            "text_sha256",
            "signed_at",
            "expires_at",
            "is_valid",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_is_valid(self, obj):
        return obj.is_valid()


class PledgeSignSerializer(serializers.Serializer):
    template = serializers.PrimaryKeyRelatedField(queryset=PledgeTemplate.objects.all())
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False, allow_null=True)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    expected_sha256 = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="The sha256 of the version the signer read; signing is refused if the text changed.",
    )


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


DECLARATION_FIELDS = [
    "id",
    "park",
    "kind",
    "declarant",
    "declarant_name",
    "declarant_post",
    "status",
    "due_date",
    "first_submitted_at",
    "submitted_at",
    "is_late",
    "flags",
    "is_flagged",
    "reviewer",
    "reviewed_at",
    "review_reason",
    "required_action",
    "response_due",
    "returns_count",
    "action_report",
    "action_reported_at",
    "created_at",
    "updated_at",
]


class DeclarationSerializer(serializers.ModelSerializer):
    kind = named_choice_field(DeclarationKind.choices, "DeclarationKindEnum", read_only=True)
    status = named_choice_field(DeclarationStatus.choices, "DeclarationStatusEnum", read_only=True)
    required_action = named_choice_field(RequiredAction.choices, "RequiredActionEnum", read_only=True)
    declarant_name = serializers.CharField(source="declarant.get_full_name", read_only=True)
    flags = FlagSerializer(many=True, read_only=True)

    class Meta:
        model = Declaration
        fields = DECLARATION_FIELDS
        read_only_fields = DECLARATION_FIELDS


class GiftDeclarationSerializer(DeclarationSerializer):
    class Meta(DeclarationSerializer.Meta):
        model = GiftDeclaration
        fields = [*DECLARATION_FIELDS, *GIFT_FIELDS]
        read_only_fields = fields


class FamilyEventDeclarationSerializer(DeclarationSerializer):
    class Meta(DeclarationSerializer.Meta):
        model = FamilyEventDeclaration
        fields = [*DECLARATION_FIELDS, *FAMILY_EVENT_FIELDS]
        read_only_fields = fields


class InterestDeclarationSerializer(DeclarationSerializer):
    class Meta(DeclarationSerializer.Meta):
        model = InterestDeclaration
        fields = [*DECLARATION_FIELDS, *INTEREST_FIELDS, "enterprise"]
        read_only_fields = fields


class _InputMixin:
    """Content fields for the services; ``park`` is required when creating."""

    def get_fields(self):
        fields = super().get_fields()
        fields["park"] = serializers.PrimaryKeyRelatedField(
            queryset=Park.objects.filter(is_active=True), required=not self.partial
        )
        return fields


class GiftDeclarationInputSerializer(_InputMixin, serializers.ModelSerializer):
    class Meta:
        model = GiftDeclaration
        fields = list(GIFT_FIELDS)


class FamilyEventDeclarationInputSerializer(_InputMixin, serializers.ModelSerializer):
    class Meta:
        model = FamilyEventDeclaration
        fields = list(FAMILY_EVENT_FIELDS)


class InterestDeclarationInputSerializer(_InputMixin, serializers.ModelSerializer):
    class Meta:
        model = InterestDeclaration
        fields = list(INTEREST_FIELDS)


class AcceptSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RequireActionSerializer(serializers.Serializer):
    action = named_choice_field(RequiredAction.choices, "RequiredActionEnum")
    reason = serializers.CharField()


class ReportActionSerializer(serializers.Serializer):
    report = serializers.CharField()
    done_on = serializers.DateField(required=False, allow_null=True)
