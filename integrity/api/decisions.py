"""API of the 三重一大 register under /api/v1/integrity/: decision-bodies (with rosters), meetings (with
attendance and minutes), collective-decisions (with each member's position), fund-payments, and the
computed decision-flags.

Querysets come from `integrity.selectors.decisions`, so the API shows exactly what the pages show (a record
outside the user's parks is a 404; dispatchers, handlers and enterprise users see nothing); FilterSets are
the pages' (`integrity.filters_decisions`); changes go through `integrity.services.decisions`, one POST per
action. Ids given in a body (a meeting, a member, a decision) are looked up within the user's scope.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.errors import DomainError
from core.models import Attachment
from integrity.api.risks import RegisterRefSerializer, enum_field
from integrity.choices_decisions import Attendance, BodyKind, DecisionKind, MeetingType, Outcome, Position
from integrity.decisions_flags import (
    FlagKind,
    Thresholds,
    decision_facts,
    meeting_facts,
    spending_flags,
)
from integrity.decisions_spending import fund_payment_item
from integrity.filters_decisions import (
    CollectiveDecisionFilterSet,
    DecisionBodyFilterSet,
    DecisionFlagFilterSet,
    FundPaymentFilterSet,
    MeetingFilterSet,
)
from integrity.models import CollectiveDecision, DecisionBody, DecisionBodyMember, FundPayment, Meeting
from integrity.selectors import decisions as selectors
from integrity.services import decisions as services
from parks.models import Park

MONEY = {"max_digits": 14, "decimal_places": 2}


def _kind_field(**kw):
    return enum_field(DecisionKind.choices, "DecisionKindEnum", **kw)


# --- flags ----------------------------------------------------------------------------------------------------


class DecisionFlagSerializer(serializers.Serializer):
    kind = enum_field(FlagKind.choices, "DecisionFlagKindEnum")
    label = serializers.CharField()
    park = serializers.IntegerField(source="park_id")
    date = serializers.DateField()
    subject = serializers.CharField()
    url = serializers.CharField()
    detail = serializers.CharField()
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True)
    decision = serializers.IntegerField(source="decision_id", allow_null=True)
    reference = serializers.CharField()


# --- bodies ---------------------------------------------------------------------------------------------------


class DecisionBodyMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = DecisionBodyMember
        fields = ["id", "name", "user", "post", "from_date", "to_date"]


class DecisionBodySerializer(serializers.ModelSerializer):
    park = RegisterRefSerializer(read_only=True)
    kind = enum_field(BodyKind.choices, "DecisionBodyKindEnum", read_only=True)
    members = DecisionBodyMemberSerializer(many=True, read_only=True)

    class Meta:
        model = DecisionBody
        fields = ["id", "park", "name", "kind", "description", "active", "members", "created_at"]


class DecisionBodyInputSerializer(serializers.Serializer):
    park = serializers.PrimaryKeyRelatedField(queryset=Park.objects.all())
    name = serializers.CharField(max_length=100)
    kind = enum_field(BodyKind.choices, "DecisionBodyKindEnum")
    description = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionBodyMemberInputSerializer(serializers.Serializer):
    user = serializers.IntegerField(
        required=False, allow_null=True, help_text="A portal user (an official of the park)."
    )
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    post = serializers.CharField(max_length=100)
    from_date = serializers.DateField()
    to_date = serializers.DateField(required=False, allow_null=True)


class DecisionBodyMemberEndSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    to_date = serializers.DateField()


@extend_schema_view(create=extend_schema(request=DecisionBodyInputSerializer, responses={201: DecisionBodySerializer}))
class DecisionBodyViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Decision bodies (党工委会议, 管委会主任办公会…) of the parks whose register the user reads, with their
    rosters. ``POST`` creates one; ``members`` adds a seat, ``end-member`` ends one."""

    serializer_class = DecisionBodySerializer
    filterset_class = DecisionBodyFilterSet
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        return selectors.body_list_for(self.request.user)

    def _respond(self, body, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=body.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        data = DecisionBodyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            services.decision_body_create(actor=request.user, **data.validated_data), status.HTTP_201_CREATED
        )

    @extend_schema(request=DecisionBodyMemberInputSerializer, responses=DecisionBodySerializer, summary="Add a seat")
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        from django.contrib.auth import get_user_model

        body = self.get_object()
        data = DecisionBodyMemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user_id = values.pop("user", None)
        user = None
        if user_id is not None:
            user = get_user_model().objects.filter(pk=user_id).first()
            if user is None:
                raise DomainError(_no_user(), code="invalid_user", field="user")
        services.body_member_add(body=body, actor=request.user, user=user, **values)
        return self._respond(body)

    @extend_schema(request=DecisionBodyMemberEndSerializer, responses=DecisionBodySerializer, summary="End a seat")
    @action(detail=True, methods=["post"], url_path="end-member", url_name="end-member")
    def end_member(self, request, pk=None):
        body = self.get_object()
        data = DecisionBodyMemberEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = body.members.filter(pk=data.validated_data["member"]).first()
        if member is None:
            raise DomainError(_no_member(), code="not_found", field="member")
        services.body_member_end(member=member, actor=request.user, to_date=data.validated_data["to_date"])
        return self._respond(body)


def _no_user():
    from django.utils.translation import gettext as _

    return _("No such user.")


def _no_member():
    from django.utils.translation import gettext as _

    return _("No such member of this body.")


# --- meetings -------------------------------------------------------------------------------------------------


class MeetingAttendanceSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    status = enum_field(Attendance.choices, "MeetingAttendanceEnum")
    reason = serializers.CharField()


class MeetingSerializer(serializers.ModelSerializer):
    park = RegisterRefSerializer(read_only=True)
    body = RegisterRefSerializer(read_only=True)
    meeting_type = enum_field(MeetingType.choices, "MeetingTypeEnum", read_only=True)
    attendance = MeetingAttendanceSerializer(many=True, read_only=True)
    entitled_count = serializers.SerializerMethodField()
    present_count = serializers.SerializerMethodField()
    quorum_met = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "park",
            "body",
            "meeting_type",
            "held_on",
            "number",
            "location",
            "agenda_notified_on",
            "chair",
            "attendance",
            "entitled_count",
            "present_count",
            "quorum_met",
            "decisions",
            "minutes",
            "flags",
            "created_at",
        ]

    def _facts(self, obj):
        if not hasattr(obj, "_facts"):
            obj._facts = meeting_facts(obj)
        return obj._facts

    def get_entitled_count(self, obj) -> int:
        return self._facts(obj).entitled_count

    def get_present_count(self, obj) -> int:
        return self._facts(obj).present_count

    def get_quorum_met(self, obj) -> bool:
        return self._facts(obj).quorum_ok

    def get_decisions(self, obj) -> list[int]:
        return [d.pk for d in obj.decisions.all()]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"token": {"type": "string"}, "name": {"type": "string"}, "url": {"type": "string"}},
            },
        }
    )
    def get_minutes(self, obj):
        from core.attachments import attachments_for

        if self.context.get("list_view"):
            return []
        return [
            {"token": a.token, "name": a.original_name, "url": reverse("core:attachment-download", args=[a.token])}
            for a in attachments_for(obj)
        ]

    @extend_schema_field(DecisionFlagSerializer(many=True))
    def get_flags(self, obj):
        return DecisionFlagSerializer(selectors.flags_of_meeting(obj), many=True).data


class MeetingInputSerializer(serializers.Serializer):
    body = serializers.IntegerField()
    meeting_type = enum_field(MeetingType.choices, "MeetingTypeEnum")
    held_on = serializers.DateField()
    number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    agenda_notified_on = serializers.DateField(required=False, allow_null=True)
    chair = serializers.IntegerField(required=False, allow_null=True, help_text="A member of the body's roster.")


class AttendanceEntrySerializer(serializers.Serializer):
    member = serializers.IntegerField()
    status = enum_field(Attendance.choices, "MeetingAttendanceEnum")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AttendanceInputSerializer(serializers.Serializer):
    attendance = AttendanceEntrySerializer(many=True)


class MinutesInputSerializer(serializers.Serializer):
    minutes = serializers.SlugRelatedField(
        slug_field="token",
        queryset=Attachment.objects.all(),
        many=True,
        help_text="Tokens of files uploaded through /api/v1/attachments/ by the caller and not yet attached.",
    )


def _member_of(body, member_id, field):
    member = DecisionBodyMember.objects.filter(body=body, pk=member_id).first()
    if member is None:
        raise DomainError(_no_member(), code="not_found", field=field)
    return member


@extend_schema_view(create=extend_schema(request=MeetingInputSerializer, responses={201: MeetingSerializer}))
class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Meetings of the decision bodies, with attendance, quorum, items, minutes and flags. ``POST`` records
    one; ``attendance`` records who was present or absent; ``minutes`` attaches uploaded files."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    ordering_fields = ["held_on", "created_at"]

    def get_queryset(self):
        return selectors.meeting_list_for(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "list_view": self.action == "list"}

    def _respond(self, meeting, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        data = MeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        body = selectors.body_get_for(request.user, values.pop("body"))
        chair = values.pop("chair", None)
        values["chair"] = _member_of(body, chair, "chair") if chair is not None else None
        meeting = services.meeting_create(body=body, actor=request.user, **values)
        return self._respond(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=AttendanceInputSerializer, responses=MeetingSerializer, summary="Record attendance")
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        data = AttendanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entries = [
            {
                "member": _member_of(meeting.body, e["member"], "attendance"),
                "status": e["status"],
                "reason": e["reason"],
            }
            for e in data.validated_data["attendance"]
        ]
        services.meeting_record_attendance(meeting=meeting, actor=request.user, entries=entries)
        return self._respond(meeting)

    @extend_schema(request=MinutesInputSerializer, responses=MeetingSerializer, summary="Attach the minutes")
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        meeting = self.get_object()
        data = MinutesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        own = [a for a in data.validated_data["minutes"] if a.uploaded_by_id == request.user.pk]
        services.meeting_attach_minutes(meeting=meeting, actor=request.user, files=own)
        return self._respond(meeting)


# --- items decided --------------------------------------------------------------------------------------------


class DecisionVoteSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    name = serializers.CharField(source="member.name")
    position = enum_field(Position.choices, "DecisionPositionEnum")
    statement = serializers.CharField()


class MeetingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    held_on = serializers.DateField()
    number = serializers.CharField()
    body = serializers.CharField(source="body.name")


class CollectiveDecisionSerializer(serializers.ModelSerializer):
    park = RegisterRefSerializer(read_only=True)
    meeting = MeetingRefSerializer(read_only=True)
    kind = _kind_field(read_only=True)
    outcome = enum_field(Outcome.choices, "DecisionOutcomeEnum", read_only=True)
    votes = DecisionVoteSerializer(many=True, read_only=True)
    entitled_count = serializers.SerializerMethodField()
    in_favour = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta:
        model = CollectiveDecision
        fields = [
            "id",
            "park",
            "meeting",
            "item_number",
            "kind",
            "title",
            "summary",
            "amount",
            "notified_in_advance",
            "outcome",
            "votes",
            "entitled_count",
            "in_favour",
            "flags",
            "created_at",
        ]

    def _tally(self, obj):
        if not hasattr(obj, "_tally"):
            obj._tally = decision_facts(obj)
        return obj._tally

    def get_entitled_count(self, obj) -> int:
        return self._tally(obj).entitled_count

    def get_in_favour(self, obj) -> int:
        return self._tally(obj).in_favour

    @extend_schema_field(DecisionFlagSerializer(many=True))
    def get_flags(self, obj):
        from integrity.decisions_flags import decision_flags, meeting_flags

        facts = meeting_facts(obj.meeting)
        return DecisionFlagSerializer(meeting_flags(obj.meeting, facts) + decision_flags(obj, facts), many=True).data


class CollectiveDecisionInputSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    item_number = serializers.IntegerField(min_value=1, max_value=999, required=False, allow_null=True)
    kind = _kind_field()
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(required=False, allow_null=True, min_value=0, **MONEY)
    notified_in_advance = serializers.BooleanField(default=True, help_text="False: raised without notice (临时动议).")
    outcome = enum_field(Outcome.choices, "DecisionOutcomeEnum")


class VoteEntrySerializer(serializers.Serializer):
    member = serializers.IntegerField()
    position = enum_field(Position.choices, "DecisionPositionEnum")
    statement = serializers.CharField(required=False, allow_blank=True, default="")


class VotesInputSerializer(serializers.Serializer):
    votes = VoteEntrySerializer(many=True)


@extend_schema_view(
    create=extend_schema(request=CollectiveDecisionInputSerializer, responses={201: CollectiveDecisionSerializer})
)
class CollectiveDecisionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Items decided at meetings (the four kinds of 三重一大), with each member's position and the flags.
    ``POST`` records an item at a meeting; ``votes`` records members' positions."""

    serializer_class = CollectiveDecisionSerializer
    filterset_class = CollectiveDecisionFilterSet
    ordering_fields = ["created_at", "amount"]

    def get_queryset(self):
        return selectors.decision_list_for(self.request.user)

    def _respond(self, decision, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=decision.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        data = CollectiveDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        meeting = selectors.meeting_get_for(request.user, values.pop("meeting"))
        decision = services.decision_record(meeting=meeting, actor=request.user, **values)
        return self._respond(decision, status.HTTP_201_CREATED)

    @extend_schema(request=VotesInputSerializer, responses=CollectiveDecisionSerializer, summary="Record positions")
    @action(detail=True, methods=["post"])
    def votes(self, request, pk=None):
        decision = self.get_object()
        data = VotesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = decision.meeting.body
        votes = [
            {"member": _member_of(body, v["member"], "votes"), "position": v["position"], "statement": v["statement"]}
            for v in data.validated_data["votes"]
        ]
        services.decision_record_votes(decision=decision, actor=request.user, votes=votes)
        return self._respond(decision)


# --- fund payments --------------------------------------------------------------------------------------------


class FundPaymentSerializer(serializers.ModelSerializer):
    park = RegisterRefSerializer(read_only=True)
    flags = serializers.SerializerMethodField()

    class Meta:
        model = FundPayment
        fields = ["id", "park", "payee", "amount", "paid_on", "purpose", "reference", "decision", "flags", "created_at"]

    @extend_schema_field(DecisionFlagSerializer(many=True))
    def get_flags(self, obj):
        cache = self.context.setdefault("thresholds", {})
        thresholds = cache.setdefault(obj.park_id, Thresholds(obj.park))
        decisions = {obj.decision_id: obj.decision} if obj.decision_id else {}
        return DecisionFlagSerializer(
            spending_flags(obj.park, [fund_payment_item(obj)], decisions, thresholds), many=True
        ).data


class FundPaymentInputSerializer(serializers.Serializer):
    park = serializers.PrimaryKeyRelatedField(queryset=Park.objects.all())
    payee = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(min_value=0, **MONEY)
    paid_on = serializers.DateField()
    purpose = serializers.CharField(max_length=300)
    reference = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    decision = serializers.IntegerField(required=False, allow_null=True)


class FundPaymentLinkSerializer(serializers.Serializer):
    decision = serializers.IntegerField(allow_null=True, help_text="The collective decision; null removes the link.")


@extend_schema_view(create=extend_schema(request=FundPaymentInputSerializer, responses={201: FundPaymentSerializer}))
class FundPaymentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Large fund payments (大额资金支付) and the decision each rests on, with their flags. ``POST`` records
    one; ``link-decision`` links (or unlinks) its decision."""

    serializer_class = FundPaymentSerializer
    filterset_class = FundPaymentFilterSet
    ordering_fields = ["paid_on", "amount"]

    def get_queryset(self):
        return selectors.payment_list_for(self.request.user)

    def _respond(self, payment, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=payment.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        data = FundPaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        decision_id = values.pop("decision", None)
        values["decision"] = selectors.decision_get_for(request.user, decision_id) if decision_id else None
        payment = services.fund_payment_record(actor=request.user, **values)
        return self._respond(payment, status.HTTP_201_CREATED)

    @extend_schema(request=FundPaymentLinkSerializer, responses=FundPaymentSerializer, summary="Link the decision")
    @action(detail=True, methods=["post"], url_path="link-decision", url_name="link-decision")
    def link_decision(self, request, pk=None):
        payment = self.get_object()
        data = FundPaymentLinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision_id = data.validated_data["decision"]
        decision = selectors.decision_get_for(request.user, decision_id) if decision_id else None
        services.fund_payment_link_decision(payment=payment, actor=request.user, decision=decision)
        return self._respond(payment)


# --- flags ----------------------------------------------------------------------------------------------------


class DecisionFlagViewSet(viewsets.GenericViewSet):
    """The computed flags of the parks whose register the user reads (the last twelve months unless
    ``since``/``until`` say otherwise), newest first. Read-only: a flag clears when its record is corrected."""

    serializer_class = DecisionFlagSerializer
    filterset_class = DecisionFlagFilterSet
    filter_backends = []

    def get_queryset(self):
        return selectors.decision_list_for(self.request.user).none()

    @extend_schema(
        parameters=[
            OpenApiParameter("park", OpenApiTypes.INT, description="A park's id."),
            OpenApiParameter("kind", enum=FlagKind.values, description="One kind of flag."),
            OpenApiParameter("since", OpenApiTypes.DATE, description="From this date (default: a year ago)."),
            OpenApiParameter("until", OpenApiTypes.DATE, description="Until this date (default: today)."),
        ],
        responses=DecisionFlagSerializer(many=True),
    )
    def list(self, request):
        filterset = DecisionFlagFilterSet(request.query_params, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise DomainError(
                _invalid_parameters(filterset.errors), code="invalid", field=next(iter(filterset.errors), None)
            )
        flags = selectors.flags_for(request.user, **filterset.flag_arguments())
        page = self.paginate_queryset(flags)
        return self.get_paginated_response(DecisionFlagSerializer(page, many=True).data)


def _invalid_parameters(errors):
    from django.utils.translation import gettext as _

    return _("The input is not valid: %(reason)s") % {
        "reason": "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items())
    }


def register(router):
    """Registers this module's viewsets on the integrity API router."""
    router.register("decision-bodies", DecisionBodyViewSet, basename="decision-body")
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("collective-decisions", CollectiveDecisionViewSet, basename="collective-decision")
    router.register("fund-payments", FundPaymentViewSet, basename="fund-payment")
    router.register("decision-flags", DecisionFlagViewSet, basename="decision-flag")
