"""API of the risk register, its controls and reviews, the screening campaigns and the notices, under
/api/v1/integrity/ (registered in `integrity.api.urls`).

Querysets come from `integrity.selectors.risks` / `.notices`, so the API shows exactly what the pages show
(anything outside the user's scope is a 404); FilterSets are the pages' (`integrity.filters_risk`); changes
go through the services, one POST action per transition. Enum fields carry explicit component names so that
the OpenAPI schema has no name collisions with other apps' ``status`` or ``kind``.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.errors import DomainError
from core.models import Attachment
from core.roles import OFFICIAL_ROLES, has_role, is_platform_admin
from core.scoping import ALL, park_ids_for
from integrity.choices_risk import (
    CampaignStatus,
    ControlKind,
    ControlStatus,
    NoticeKind,
    NoticeStatus,
    NoticeVisibility,
    PullForwardReason,
    ResponseStatus,
    RiskArea,
    RiskLevel,
    RiskSource,
    RiskStatus,
)
from integrity.filters_risk import (
    NoticeFilterSet,
    RiskControlFilterSet,
    RiskFilterSet,
    RiskReviewFilterSet,
    ScreeningCampaignFilterSet,
    ScreeningResponseFilterSet,
)
from integrity.models import (
    DisciplinaryNotice,
    IntegrityRisk,
    RiskControl,
    RiskReview,
    RiskScreeningCampaign,
    RiskScreeningResponse,
)
from integrity.selectors import notices as notice_selectors
from integrity.selectors import risks as selectors
from integrity.services import notices as notice_services
from integrity.services import risks as services
from integrity.services import screening as screening_services
from parks.models import Department, Park

# --- named enums -----------------------------------------------------------------------------------------

_ENUM_FIELDS = {}


def enum_field(choices, component_name, **kwargs):
    """A ChoiceField whose enum is the named schema component `component_name` (one field class per name,
    so every use of the same choices shares one component)."""
    field_class = _ENUM_FIELDS.get(component_name)
    if field_class is None:
        schema = {"type": "string", "enum": [value for value, _label in choices]}
        field_class = extend_schema_field(schema, component_name)(
            type(f"{component_name}Field", (serializers.ChoiceField,), {})
        )
        _ENUM_FIELDS[component_name] = field_class
    return field_class(choices=choices, **kwargs)


def area_field(**kw):
    return enum_field(RiskArea.choices, "RiskAreaEnum", **kw)


def level_field(**kw):
    return enum_field(RiskLevel.choices, "RiskLevelEnum", **kw)


class RegisterRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RegisterPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


# --- risks ---------------------------------------------------------------------------------------------


class RiskControlSerializer(serializers.ModelSerializer):
    kind = enum_field(ControlKind.choices, "RiskControlKindEnum", read_only=True)
    status = enum_field(ControlStatus.choices, "RiskControlStatusEnum", read_only=True)
    owner = RegisterPersonSerializer(read_only=True)
    is_overdue = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = RiskControl
        fields = [
            "id",
            "risk",
            "kind",
            "description",
            "owner",
            "due_date",
            "status",
            "is_overdue",
            "completed_at",
            "completion_note",
            "evidence",
            "created_at",
        ]

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"token": {"type": "string"}, "name": {"type": "string"}, "url": {"type": "string"}},
            },
        }
    )
    def get_evidence(self, obj):
        from django.urls import reverse

        from core.attachments import attachments_for

        if self.context.get("list_view"):
            return []
        return [
            {
                "token": a.token,
                "name": a.original_name,
                "url": reverse("core:attachment-download", args=[a.token]),
            }
            for a in attachments_for(obj)
        ]


class RiskSerializer(serializers.ModelSerializer):
    park = RegisterRefSerializer(read_only=True)
    department = RegisterRefSerializer(read_only=True)
    owner = RegisterPersonSerializer(read_only=True, allow_null=True)
    post_holder = RegisterPersonSerializer(read_only=True, allow_null=True)
    area = area_field(read_only=True)
    inherent_level = level_field(read_only=True)
    residual_level = level_field(read_only=True)
    status = enum_field(RiskStatus.choices, "RiskStatusEnum", read_only=True)
    source = enum_field(RiskSource.choices, "RiskSourceEnum", read_only=True)
    review_pulled_reason = serializers.CharField(read_only=True)
    matrix_version = serializers.SerializerMethodField()
    source_ticket = serializers.SerializerMethodField()
    is_review_overdue = serializers.SerializerMethodField()
    controls = serializers.SerializerMethodField()

    class Meta:
        model = IntegrityRisk
        fields = [
            "id",
            "park",
            "department",
            "post",
            "post_holder",
            "area",
            "title",
            "description",
            "manifestations",
            "owner",
            "inherent_likelihood",
            "inherent_impact",
            "inherent_score",
            "inherent_level",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "residual_level",
            "matrix_version",
            "status",
            "source",
            "source_ticket",
            "source_reference",
            "review_due_date",
            "review_anchor_date",
            "review_pulled_reason",
            "is_review_overdue",
            "last_reviewed_on",
            "controls",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "version": {"type": "integer"}}})
    def get_matrix_version(self, obj):
        return {"id": obj.matrix_version_id, "version": obj.matrix_version.version}

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_source_ticket(self, obj):
        return obj.source_ticket_id

    def get_is_review_overdue(self, obj) -> bool:
        return obj.status != RiskStatus.CLOSED and obj.is_review_overdue()

    @extend_schema_field(RiskControlSerializer(many=True))
    def get_controls(self, obj):
        context = {**self.context, "list_view": True}
        return RiskControlSerializer(obj.controls.all(), many=True, context=context).data


def _officials():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, groups__name__in=OFFICIAL_ROLES).distinct()


class RiskInputSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    post = serializers.CharField(max_length=100)
    area = area_field()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    manifestations = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.PrimaryKeyRelatedField(queryset=_officials(), required=False, allow_null=True)
    post_holder = serializers.PrimaryKeyRelatedField(queryset=_officials(), required=False, allow_null=True)
    inherent_likelihood = serializers.IntegerField(min_value=1, max_value=5)
    inherent_impact = serializers.IntegerField(min_value=1, max_value=5)
    residual_likelihood = serializers.IntegerField(min_value=1, max_value=5, required=False)
    residual_impact = serializers.IntegerField(min_value=1, max_value=5, required=False)
    screening_response = serializers.PrimaryKeyRelatedField(
        queryset=RiskScreeningResponse.objects.all(), required=False, allow_null=True
    )


class RiskUpdateSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False)
    post = serializers.CharField(max_length=100, required=False)
    area = area_field(required=False)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False)
    manifestations = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=_officials(), required=False, allow_null=True)
    post_holder = serializers.PrimaryKeyRelatedField(queryset=_officials(), required=False, allow_null=True)
    inherent_likelihood = serializers.IntegerField(min_value=1, max_value=5, required=False)
    inherent_impact = serializers.IntegerField(min_value=1, max_value=5, required=False)


class RaiseFromTicketSerializer(serializers.Serializer):
    ticket = serializers.IntegerField()
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False)
    post = serializers.CharField(max_length=100)
    area = area_field(required=False)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False)
    manifestations = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.PrimaryKeyRelatedField(queryset=_officials(), required=False, allow_null=True)
    inherent_likelihood = serializers.IntegerField(min_value=1, max_value=5)
    inherent_impact = serializers.IntegerField(min_value=1, max_value=5)
    residual_likelihood = serializers.IntegerField(min_value=1, max_value=5, required=False)
    residual_impact = serializers.IntegerField(min_value=1, max_value=5, required=False)


class RiskNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AcceptRiskSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="Why the risk is accepted.")


class RiskPullForwardSerializer(serializers.Serializer):
    reason = enum_field(PullForwardReason.choices, "RiskPullForwardReasonEnum")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    due_date = serializers.DateField(required=False, allow_null=True)


class RiskReviewInputSerializer(serializers.Serializer):
    findings = serializers.CharField()
    residual_likelihood = serializers.IntegerField(min_value=1, max_value=5)
    residual_impact = serializers.IntegerField(min_value=1, max_value=5)
    reviewed_on = serializers.DateField(required=False)


class RiskReviewSerializer(serializers.ModelSerializer):
    reviewer = RegisterPersonSerializer(read_only=True)
    residual_level = level_field(read_only=True)
    previous_residual_level = serializers.CharField(read_only=True)
    was_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = RiskReview
        fields = [
            "id",
            "risk",
            "reviewer",
            "reviewed_on",
            "findings",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "residual_level",
            "previous_residual_level",
            "due_date",
            "next_due_date",
            "was_late",
            "was_pulled_forward",
            "created_at",
        ]


class RiskReviewCreateSerializer(RiskReviewInputSerializer):
    risk = serializers.IntegerField()


def _transition_schema(request, summary):
    return extend_schema(request=request, responses=RiskSerializer, summary=summary)


@extend_schema_view(
    create=extend_schema(request=RiskInputSerializer, responses={201: RiskSerializer}),
    partial_update=extend_schema(request=RiskUpdateSerializer, responses=RiskSerializer),
)
class RiskViewSet(viewsets.ReadOnlyModelViewSet):
    """The integrity-risk register (廉政风险台账), scoped like the pages: discipline officers, park
    administrators and auditors see their parks' risks, other officials their department's, enterprise
    users and the public nothing."""

    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet
    ordering_fields = ["created_at", "review_due_date", "residual_score", "inherent_score"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.risk_list_for(self.request.user)

    def _respond(self, risk, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=risk.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        data = RiskInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        department = values.pop("department")
        risk = services.risk_create(park=department.park, department=department, actor=request.user, **values)
        return self._respond(risk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        risk = self.get_object()
        data = RiskUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return self._respond(services.risk_update(risk=risk, actor=request.user, **data.validated_data))

    @extend_schema(request=RaiseFromTicketSerializer, responses={201: RiskSerializer}, summary="Raise from a ticket")
    @action(detail=False, methods=["post"], url_path="raise-from-ticket", url_name="raise-from-ticket")
    def raise_from_ticket(self, request):
        from complaints.selectors import ticket_get_for

        data = RaiseFromTicketSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        ticket = ticket_get_for(request.user, pk=values.pop("ticket"))
        risk = services.risk_raise_from_ticket(ticket=ticket, actor=request.user, **values)
        return self._respond(risk, status.HTTP_201_CREATED)

    @_transition_schema(RiskNoteSerializer, "Mark as controlled")
    @action(detail=True, methods=["post"], url_path="mark-controlled", url_name="mark-controlled")
    def mark_controlled(self, request, pk=None):
        return self._note_action(request, services.risk_mark_controlled)

    @_transition_schema(AcceptRiskSerializer, "Accept the risk (the discipline office head for high/major)")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        risk = self.get_object()
        data = AcceptRiskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.risk_accept(risk=risk, actor=request.user, note=data.validated_data["note"]))

    @_transition_schema(RiskNoteSerializer, "Close (the discipline office head for high/major)")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._note_action(request, services.risk_close)

    @_transition_schema(RiskNoteSerializer, "Reopen")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._note_action(request, services.risk_reopen)

    def _note_action(self, request, service):
        risk = self.get_object()
        data = RiskNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(service(risk=risk, actor=request.user, note=data.validated_data["note"]))

    @_transition_schema(RiskPullForwardSerializer, "Bring the next review forward")
    @action(detail=True, methods=["post"], url_path="pull-review-forward", url_name="pull-review-forward")
    def pull_review_forward(self, request, pk=None):
        risk = self.get_object()
        data = RiskPullForwardSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return self._respond(
            services.risk_pull_review_forward(
                risk=risk,
                actor=request.user,
                reason=values["reason"],
                note=values["note"],
                due_date=values.get("due_date"),
            )
        )


class RiskControlInputSerializer(serializers.Serializer):
    risk = serializers.IntegerField()
    kind = enum_field(ControlKind.choices, "RiskControlKindEnum")
    description = serializers.CharField()
    owner = serializers.PrimaryKeyRelatedField(queryset=_officials())
    due_date = serializers.DateField()


class RiskControlEvidenceSerializer(serializers.Serializer):
    evidence = serializers.SlugRelatedField(
        slug_field="token",
        queryset=Attachment.objects.all(),
        many=True,
        help_text="Tokens of files uploaded through /api/v1/attachments/ by the caller and not yet attached.",
    )


class RiskControlCompleteSerializer(serializers.Serializer):
    note = serializers.CharField()
    evidence = serializers.SlugRelatedField(
        slug_field="token",
        queryset=Attachment.objects.all(),
        many=True,
        required=False,
        help_text="Tokens of files uploaded through /api/v1/attachments/ by the caller and not yet attached.",
    )


class RegisterReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


def _own_uploads(user, attachments):
    # Only the caller's own unattached uploads may become evidence (attachment_attach checks it again).
    return [a for a in attachments if a.uploaded_by_id == user.pk]


@extend_schema_view(create=extend_schema(request=RiskControlInputSerializer, responses={201: RiskControlSerializer}))
class RiskControlViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Controls (防控措施) of the risks the user may see. ``POST`` adds one to a risk; ``complete``,
    ``add-evidence`` and ``cancel`` change it."""

    serializer_class = RiskControlSerializer
    filterset_class = RiskControlFilterSet
    ordering_fields = ["due_date", "created_at"]

    def get_queryset(self):
        return selectors.control_list_for(self.request.user)

    def get_serializer_context(self):
        # Evidence files are listed on a single control, not in the list (one query per control otherwise).
        return {**super().get_serializer_context(), "list_view": self.action == "list"}

    def _respond(self, control, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=control.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        data = RiskControlInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        risk = selectors.risk_get_for(request.user, values.pop("risk"))
        return self._respond(
            services.risk_control_add(risk=risk, actor=request.user, **values), status.HTTP_201_CREATED
        )

    @extend_schema(request=RiskControlCompleteSerializer, responses=RiskControlSerializer, summary="Mark as done")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        control = self.get_object()
        data = RiskControlCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = _own_uploads(request.user, data.validated_data.get("evidence", []))
        return self._respond(
            services.risk_control_complete(
                control=control, actor=request.user, note=data.validated_data["note"], evidence=evidence
            )
        )

    @extend_schema(request=RiskControlEvidenceSerializer, responses=RiskControlSerializer, summary="Attach evidence")
    @action(detail=True, methods=["post"], url_path="add-evidence", url_name="add-evidence")
    def add_evidence(self, request, pk=None):
        control = self.get_object()
        data = RiskControlEvidenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = _own_uploads(request.user, data.validated_data["evidence"])
        services.risk_control_add_evidence(control=control, actor=request.user, evidence=evidence)
        return self._respond(control)

    @extend_schema(request=RegisterReasonSerializer, responses=RiskControlSerializer, summary="Cancel")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        control = self.get_object()
        data = RegisterReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            services.risk_control_cancel(control=control, actor=request.user, reason=data.validated_data["reason"])
        )


@extend_schema_view(create=extend_schema(request=RiskReviewCreateSerializer, responses={201: RiskReviewSerializer}))
class RiskReviewViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Reviews of the risks the user may see, newest first. ``POST`` records one (new residual scores; the
    next due date counts from the previous one)."""

    serializer_class = RiskReviewSerializer
    filterset_class = RiskReviewFilterSet
    ordering_fields = ["reviewed_on", "created_at"]

    def get_queryset(self):
        return selectors.review_list_for(self.request.user)

    def create(self, request, *args, **kwargs):
        data = RiskReviewCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        risk = selectors.risk_get_for(request.user, values.pop("risk"))
        review = services.risk_review_record(risk=risk, actor=request.user, **values)
        fresh = self.get_queryset().get(pk=review.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


# --- screening campaigns -------------------------------------------------------------------------------------


class ScreeningCampaignSerializer(serializers.ModelSerializer):
    park = RegisterRefSerializer(read_only=True)
    status = enum_field(CampaignStatus.choices, "ScreeningCampaignStatusEnum", read_only=True)
    departments_total = serializers.IntegerField(read_only=True)
    answered_count = serializers.IntegerField(read_only=True)
    nil_count = serializers.IntegerField(read_only=True)
    missing_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = RiskScreeningCampaign
        fields = [
            "id",
            "park",
            "title",
            "instructions",
            "areas",
            "deadline",
            "reminder_days",
            "status",
            "departments_total",
            "answered_count",
            "nil_count",
            "missing_count",
            "created_at",
            "closed_at",
        ]


class ScreeningCampaignInputSerializer(serializers.Serializer):
    park = serializers.PrimaryKeyRelatedField(queryset=Park.objects.filter(is_active=True))
    title = serializers.CharField(max_length=200)
    deadline = serializers.DateField()
    instructions = serializers.CharField(required=False, allow_blank=True, default="")
    areas = serializers.ListField(child=area_field(), required=False, default=list)
    departments = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), many=True, required=False)


class ScreeningResponseSerializer(serializers.ModelSerializer):
    department = RegisterRefSerializer(read_only=True)
    status = enum_field(ResponseStatus.choices, "ScreeningResponseStatusEnum", read_only=True)
    risks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    is_late = serializers.SerializerMethodField()

    class Meta:
        model = RiskScreeningResponse
        fields = ["id", "campaign", "department", "status", "risks", "note", "answered_at", "is_late"]

    def get_is_late(self, obj) -> bool:
        return obj.is_late()


class ScreeningCompletionRowSerializer(serializers.Serializer):
    department = RegisterRefSerializer()
    status = enum_field(ResponseStatus.choices, "ScreeningResponseStatusEnum")
    answered_at = serializers.DateTimeField(allow_null=True)
    risks = serializers.IntegerField()
    late = serializers.BooleanField()


class ScreeningCompletionSerializer(serializers.Serializer):
    answered = serializers.IntegerField()
    nil = serializers.IntegerField()
    missing = serializers.IntegerField()
    late = serializers.IntegerField()
    total = serializers.IntegerField()
    answered_share = serializers.IntegerField(allow_null=True)
    departments = ScreeningCompletionRowSerializer(many=True)


class ScreeningAnswerSerializer(serializers.Serializer):
    nil = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    risks = serializers.PrimaryKeyRelatedField(queryset=IntegrityRisk.objects.all(), many=True, required=False)


@extend_schema_view(
    create=extend_schema(request=ScreeningCampaignInputSerializer, responses={201: ScreeningCampaignSerializer})
)
class ScreeningCampaignViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Screening campaigns (排查) the user may see, with answer counts. ``POST`` launches one;
    ``completion`` gives answered / nil / missing per department; ``close`` ends it."""

    serializer_class = ScreeningCampaignSerializer
    filterset_class = ScreeningCampaignFilterSet
    ordering_fields = ["created_at", "deadline"]

    def get_queryset(self):
        return selectors.campaign_list_for(self.request.user)

    def create(self, request, *args, **kwargs):
        data = ScreeningCampaignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        campaign = screening_services.screening_campaign_launch(
            park=values["park"],
            actor=request.user,
            title=values["title"],
            deadline=values["deadline"],
            instructions=values["instructions"],
            areas=values["areas"],
            departments=values.get("departments"),
        )
        fresh = self.get_queryset().get(pk=campaign.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ScreeningCampaignSerializer, summary="Close the campaign")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        campaign = screening_services.screening_campaign_close(campaign=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=campaign.pk)).data)

    @extend_schema(responses=ScreeningCompletionSerializer, summary="Completion per department")
    @action(detail=True, methods=["get"])
    def completion(self, request, pk=None):
        campaign = self.get_object()
        if not selectors.can_read_register(request.user, campaign.park_id):
            raise DomainError(_("No such screening campaign."), code="not_found", kind="not_found")
        completion = selectors.campaign_completion(campaign)
        rows = [
            {
                "department": {"id": row["department"].pk, "name": row["department"].name},
                "status": row["response"].status,
                "answered_at": row["response"].answered_at,
                "risks": row["response"].risk_count,
                "late": row["late"],
            }
            for row in completion["rows"]
        ]
        totals = completion["totals"]
        payload = {key: totals[key] for key in ("answered", "nil", "missing", "late", "total", "answered_share")}
        return Response(ScreeningCompletionSerializer({**payload, "departments": rows}).data)


class ScreeningResponseViewSet(viewsets.ReadOnlyModelViewSet):
    """Departments' answers to campaigns: all of a park whose register the user reads, else their own
    department's. ``answer`` sends the answer (risks or nil)."""

    serializer_class = ScreeningResponseSerializer
    filterset_class = ScreeningResponseFilterSet
    ordering_fields = ["answered_at"]

    def get_queryset(self):
        return selectors.response_list_for(self.request.user)

    @extend_schema(
        request=ScreeningAnswerSerializer, responses=ScreeningResponseSerializer, summary="Answer (risks or nil)"
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        response = self.get_object()
        data = ScreeningAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        screening_services.screening_response_submit(
            response=response,
            actor=request.user,
            nil=values["nil"],
            note=values["note"],
            risks=values.get("risks", []),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=response.pk)).data)


# --- notices ---------------------------------------------------------------------------------------------


class NoticePersonSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


def _full_park_ids(user):
    """Parks whose notices `user` reads with names in full (``ALL`` for platform administrators)."""
    if is_platform_admin(user):
        return ALL
    if not getattr(user, "is_authenticated", False) or not has_role(user, *OFFICIAL_ROLES):
        return frozenset()
    return park_ids_for(user)


class NoticeSerializer(serializers.ModelSerializer):
    """A notice; the persons' names are masked (in the title, the text and the list of persons) unless the
    reader is an official of its park (``names_masked`` says which)."""

    park = RegisterRefSerializer(read_only=True)
    kind = enum_field(NoticeKind.choices, "NoticeKindEnum", read_only=True)
    visibility = enum_field(NoticeVisibility.choices, "NoticeVisibilityEnum", read_only=True)
    status = enum_field(NoticeStatus.choices, "NoticeStatusEnum", read_only=True)
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    persons = serializers.SerializerMethodField()
    names_masked = serializers.SerializerMethodField()

    class Meta:
        model = DisciplinaryNotice
        fields = [
            "id",
            "park",
            "number",
            "kind",
            "title",
            "body",
            "issued_on",
            "visibility",
            "status",
            "published_at",
            "persons",
            "names_masked",
        ]

    def _masked(self, obj):
        parks = self.context.get("_full_parks")
        if parks is None:
            parks = self.context["_full_parks"] = _full_park_ids(self.context["request"].user)
        return not (parks is ALL or obj.park_id in parks)

    def get_names_masked(self, obj) -> bool:
        return self._masked(obj)

    def get_title(self, obj) -> str:
        return obj.masked_title if self._masked(obj) else obj.title

    def get_body(self, obj) -> str:
        return obj.masked_body if self._masked(obj) else obj.body

    @extend_schema_field(NoticePersonSerializer(many=True))
    def get_persons(self, obj):
        masked = self._masked(obj)
        return [{"name": p.masked_name if masked else p.name, "position": p.position} for p in obj.persons.all()]


class NoticeInputSerializer(serializers.Serializer):
    park = serializers.PrimaryKeyRelatedField(queryset=Park.objects.filter(is_active=True))
    number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    kind = enum_field(NoticeKind.choices, "NoticeKindEnum", default=NoticeKind.CRITICISM)
    visibility = enum_field(NoticeVisibility.choices, "NoticeVisibilityEnum", default=NoticeVisibility.INTERNAL)
    issued_on = serializers.DateField(required=False)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    persons = NoticePersonSerializer(many=True, required=False, default=list)


class NoticeUpdateSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    kind = enum_field(NoticeKind.choices, "NoticeKindEnum", required=False)
    visibility = enum_field(NoticeVisibility.choices, "NoticeVisibilityEnum", required=False)
    issued_on = serializers.DateField(required=False)
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(required=False)
    persons = NoticePersonSerializer(many=True, required=False)


@extend_schema_view(
    create=extend_schema(request=NoticeInputSerializer, responses={201: NoticeSerializer}),
    partial_update=extend_schema(request=NoticeUpdateSerializer, responses=NoticeSerializer),
)
class NoticeViewSet(viewsets.ReadOnlyModelViewSet):
    """Disciplinary notices (通报). Anyone (no sign-in) reads the published public ones with the persons'
    names masked; officials of a park read its internal ones too, names in full; its discipline officers also
    drafts and withdrawn ones, and draft (``POST``), change a draft (``PATCH``), ``publish`` and
    ``withdraw``."""

    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet
    ordering_fields = ["issued_on", "published_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return [AllowAny()]
        return super().get_permissions()

    def get_queryset(self):
        user = self.request.user
        public = Q(status=NoticeStatus.PUBLISHED, visibility=NoticeVisibility.PUBLIC, park__is_active=True)
        scope = notice_selectors.notice_scope_q(user)
        visible = public if scope is None else public | scope
        return (
            DisciplinaryNotice.objects.filter(visible)
            .select_related("park")
            .prefetch_related("persons")
            .order_by("-issued_on", "-id")
        )

    def _respond(self, notice, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=notice.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        data = NoticeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        notice = notice_services.notice_draft(actor=request.user, **values)
        return self._respond(notice, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        notice = self.get_object()
        data = NoticeUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        persons = values.pop("persons", None)
        return self._respond(
            notice_services.notice_update(notice=notice, actor=request.user, persons=persons, **values)
        )

    @extend_schema(request=None, responses=NoticeSerializer, summary="Publish a draft")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._respond(notice_services.notice_publish(notice=self.get_object(), actor=request.user))

    @extend_schema(request=RegisterReasonSerializer, responses=NoticeSerializer, summary="Withdraw a published notice")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        notice = self.get_object()
        data = RegisterReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            notice_services.notice_withdraw(notice=notice, actor=request.user, reason=data.validated_data["reason"])
        )
