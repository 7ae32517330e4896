"""Serializers of the 吐槽区 API: one output serializer per resource and one small input serializer per
transition. Identities follow `ticket_identity_visible_to` (保密), contacts are masked in lists, and
nothing here writes: the views call `complaints.services`."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from complaints.choices import Channel, Finding, FollowUpChannel, Priority
from complaints.models import AnswerBatch, AnswerBatchItem, Category, Ticket, TicketMessage
from complaints.selectors import ticket_actions_for, ticket_identity_visible_to
from complaints.trail import trail_entries
from parks.models import Department, Enterprise, Park


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TicketParkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class CategorySerializer(serializers.ModelSerializer):
    park = serializers.SlugRelatedField(slug_field="code", read_only=True)
    full_name = serializers.CharField(source="__str__", read_only=True)
    reply_days = serializers.IntegerField(source="effective_reply_days", read_only=True)
    confidential = serializers.BooleanField(read_only=True)
    default_department = NamedRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Category
        fields = [
            "id",
            "park",
            "parent",
            "code",
            "name",
            "full_name",
            "description",
            "kind",
            "accept_days",
            "sign_days",
            "reply_days",
            "urgent_same_day",
            "is_misconduct",
            "confidential",
            "show_on_public_form",
            "default_department",
            "is_active",
        ]
        read_only_fields = fields


class TicketSerializer(serializers.ModelSerializer):
    """A ticket as lists show it: the filer only where the user may see it, contacts masked."""

    park = TicketParkSerializer(read_only=True)
    category = serializers.SerializerMethodField()
    # Plain strings: their values are listed in the filters; as enums they would collide with the other
    # apps' "status" and "channel" enums in the OpenAPI components.
    status = serializers.CharField(
        read_only=True, help_text="submitted, accepted, rejected, merged, assigned, in_progress, replied or closed"
    )
    channel = serializers.CharField(read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    identity_visible = serializers.SerializerMethodField()
    enterprise = serializers.SerializerMethodField()
    contact_name = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()
    lead_department = NamedRefSerializer(read_only=True, allow_null=True)
    co_departments = NamedRefSerializer(many=True, read_only=True)
    merged_into = serializers.SlugRelatedField(slug_field="number", read_only=True)
    overdue = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    masked = True

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "park",
            "channel",
            "channel_display",
            "category",
            "subject",
            "body",
            "place",
            "status",
            "status_display",
            "priority",
            "is_confidential",
            "is_anonymous",
            "hide_identity",
            "identity_visible",
            "enterprise",
            "contact_name",
            "contact_phone",
            "lead_department",
            "co_departments",
            "supervision_level",
            "accept_due",
            "sign_due",
            "reply_due",
            "created_at",
            "accepted_at",
            "dispatched_at",
            "signed_at",
            "replied_at",
            "closed_at",
            "closure_reason",
            "reply",
            "rectification_measures",
            "finding",
            "satisfaction",
            "satisfaction_comment",
            "consent_to_publish",
            "merged_into",
            "reopen_count",
            "extension_count",
            "return_count",
            "overdue",
            "allowed_actions",
        ]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    def _visible(self, obj):
        cache = self.context.setdefault("_identity", {})
        if obj.pk not in cache:
            cache[obj.pk] = ticket_identity_visible_to(self._user(), obj)
        return cache[obj.pk]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}})
    def get_category(self, obj):
        return {"id": obj.category_id, "name": str(obj.category)}

    def get_identity_visible(self, obj) -> bool:
        return self._visible(obj)

    @extend_schema_field(NamedRefSerializer(allow_null=True))
    def get_enterprise(self, obj):
        if obj.enterprise_id is None or not self._visible(obj):
            return None
        return {"id": obj.enterprise_id, "name": obj.enterprise.name}

    def get_contact_name(self, obj) -> str:
        if not self._visible(obj):
            return ""
        return obj.contact_name_masked if self.masked else obj.contact_name

    def get_contact_phone(self, obj) -> str:
        if not self._visible(obj):
            return ""
        return obj.contact_phone_masked if self.masked else obj.contact_phone

    def get_overdue(self, obj) -> bool:
        now = self.context.setdefault("_now", None)
        if now is None:
            from django.utils import timezone

            now = self.context["_now"] = timezone.now()
        return obj.is_overdue(now)

    def get_allowed_actions(self, obj) -> list[str]:
        return ticket_actions_for(self._user(), obj)


class TrailEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    label = serializers.CharField()
    actor = serializers.CharField()
    details = serializers.SerializerMethodField()

    def get_details(self, obj) -> list[dict]:
        return [
            {"label": str(label), "value": value.isoformat() if hasattr(value, "isoformat") else str(value)}
            for label, value in obj.details
        ]


class TicketDetailSerializer(TicketSerializer):
    """One ticket with its full contact (where the identity is visible) and its trail."""

    masked = False
    trail = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "trail"]
        read_only_fields = fields

    @extend_schema_field(TrailEntrySerializer(many=True))
    def get_trail(self, obj):
        from complaints.selectors import ticket_trail

        entries = trail_entries(obj, ticket_trail(obj), identity_visible=self._visible(obj))
        return TrailEntrySerializer(entries, many=True).data


class TicketCreateSerializer(serializers.Serializer):
    """Input of ``POST /tickets/``: what `ticket_submit` takes."""

    park = serializers.SlugRelatedField(slug_field="code", queryset=Park.objects.filter(is_active=True))
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=10_000)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.APP)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False, allow_null=True)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    is_anonymous = serializers.BooleanField(default=False)
    hide_identity = serializers.BooleanField(default=False)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    accused_official = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), required=False, allow_null=True
    )
    consent_to_publish = serializers.BooleanField(default=False)
    files = serializers.ListField(child=serializers.FileField(), required=False, max_length=5)


class SubmissionSerializer(serializers.Serializer):
    """The answer to a submission: the ticket, and for an anonymous report its receipt code — returned
    this once and stored nowhere."""

    ticket = TicketDetailSerializer()
    receipt_code = serializers.CharField(allow_null=True)


class MessageSerializer(serializers.ModelSerializer):
    ticket = serializers.PrimaryKeyRelatedField(read_only=True)
    author = serializers.SerializerMethodField()

    class Meta:
        model = TicketMessage
        fields = ["id", "ticket", "author", "author_kind", "body", "internal", "created_at"]
        read_only_fields = fields

    def get_author(self, obj) -> str:
        from django.utils.translation import gettext as _

        if obj.author_id is None:
            return _("Anonymous reporter") if obj.author_kind == "reporter" else _("System")
        ticket = obj.ticket
        if obj.author_id == ticket.submitter_id and not ticket_identity_visible_to(
            self.context["request"].user, ticket
        ):
            return _("The filer (identity protected)")
        return obj.author.get_full_name()


class MessageCreateSerializer(serializers.Serializer):
    ticket = serializers.IntegerField()
    body = serializers.CharField(max_length=5000)
    internal = serializers.BooleanField(default=False)


class AnswerBatchItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnswerBatchItem
        fields = [
            "position",
            "category_name",
            "department_name",
            "subject",
            "demand",
            "reply",
            "rectification_measures",
            "submitted_on",
            "replied_on",
        ]
        read_only_fields = fields


class AnswerBatchSerializer(serializers.ModelSerializer):
    park = serializers.SlugRelatedField(slug_field="code", read_only=True)
    items = AnswerBatchItemSerializer(many=True, read_only=True)

    class Meta:
        model = AnswerBatch
        fields = ["id", "park", "number", "title", "introduction", "published_at", "items"]
        read_only_fields = fields


# --- transition inputs ----------------------------------------------------------------------------------


def _departments():
    return Department.objects.filter(is_active=True)


class AcceptInput(serializers.Serializer):
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, allow_null=True)
    apply_suggestion = serializers.BooleanField(default=True)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class MergeInput(serializers.Serializer):
    into = serializers.IntegerField(help_text="Id of the earlier ticket this one duplicates.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DispatchInput(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=_departments())
    co_departments = serializers.PrimaryKeyRelatedField(queryset=_departments(), many=True, required=False)


class ReturnInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    suggested_department = serializers.PrimaryKeyRelatedField(queryset=_departments(), required=False, allow_null=True)


class ReturnDecideInput(serializers.Serializer):
    redispatch_to = serializers.PrimaryKeyRelatedField(
        queryset=_departments(), required=False, allow_null=True, help_text="Empty: refuse the return."
    )
    co_departments = serializers.PrimaryKeyRelatedField(queryset=_departments(), many=True, required=False)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ExtensionRequestInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    requested_due = serializers.DateField()


class ExtensionDecideInput(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReplyInput(serializers.Serializer):
    reply = serializers.CharField(max_length=10_000)
    rectification_measures = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    finding = serializers.ChoiceField(choices=Finding.choices, required=False, allow_blank=True, default="")


class ConfirmInput(serializers.Serializer):
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    consent_to_publish = serializers.BooleanField(required=False, allow_null=True, default=None)


class FollowupInput(serializers.Serializer):
    followup_channel = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in FollowUpChannel if c != FollowUpChannel.ONLINE],
        default=FollowUpChannel.PHONE,
    )
    reachable = serializers.BooleanField(default=True)
    satisfaction = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SuperviseInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class TicketMessageInput(serializers.Serializer):
    body = serializers.CharField(max_length=5000)
    internal = serializers.BooleanField(default=False)


class DuplicateDismissInput(serializers.Serializer):
    suggestion = serializers.IntegerField()
