"""API of the evaluation, award, objection and contract stages under /api/v1/procurement/.

Read-only viewsets scoped by `procurement.selectors.evaluation` (the same as the pages) and one POST action
per transition, each calling one service. Double-blind: the evaluator's endpoints (`scores`,
`committee-members/{id}/bids/`) use serializers without any supplier field; the supplier's name appears in
`bids/` only once the evaluation report is recorded.
"""

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.errors import PermissionDenied
from parks.models import Park
from procurement.models import (
    Award,
    Bid,
    CommitteeMember,
    Contract,
    ContractAmendment,
    EvaluatorPoolMember,
    Objection,
    Score,
    Tender,
)
from procurement.selectors import evaluation as sel
from procurement.services import award as award_services
from procurement.services import contracts as contract_services
from procurement.services import evaluation as services

# --- output serializers -------------------------------------------------------------------------------------


class EvaluatorPoolMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.get_full_name", read_only=True)

    class Meta:
        model = EvaluatorPoolMember
        fields = ["id", "park", "user", "name", "kind", "specialty", "employer", "employer_credit_code", "is_active"]


class CommitteeSeatSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.get_full_name", read_only=True)
    tender_number = serializers.CharField(source="tender.number", read_only=True)

    class Meta:
        model = CommitteeMember
        fields = [
            "id",
            "tender",
            "tender_number",
            "user",
            "name",
            "kind",
            "is_chair",
            "status",
            "recusal_reason",
            "status_changed_at",
        ]


class BlindDocumentSerializer(serializers.Serializer):
    name = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    download = serializers.SerializerMethodField()

    def get_download(self, document) -> str | None:
        from django.urls import reverse

        if document.attachment_id is None:
            return None
        return reverse("core:attachment-download", args=[document.attachment.token])


class BlindBidSerializer(serializers.Serializer):
    """A bid as an evaluator sees it: alias, price, documents; the supplier only after the report."""

    id = serializers.IntegerField()
    alias = serializers.CharField()
    price = serializers.DecimalField(max_digits=14, decimal_places=2)
    documents = BlindDocumentSerializer(many=True)
    supplier_name = serializers.SerializerMethodField()

    def get_supplier_name(self, bid) -> str | None:
        return self.context.get("revealed_names", {}).get(bid.pk)


class EvaluatorScoreSerializer(serializers.ModelSerializer):
    """An evaluator's own marks: the bid by alias only."""

    tender = serializers.IntegerField(source="member.tender_id", read_only=True)
    bid_alias = serializers.CharField(source="bid.alias", read_only=True)

    class Meta:
        model = Score
        fields = [
            "id",
            "member",
            "tender",
            "bid",
            "bid_alias",
            "technical_score",
            "passes_qualification",
            "comment",
            "scored_at",
        ]


class AwardDecisionSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.enterprise.name", read_only=True)
    tender_number = serializers.CharField(source="tender.number", read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "tender",
            "tender_number",
            "bid",
            "supplier",
            "supplier_name",
            "amount",
            "reason",
            "decided_at",
            "announced_at",
        ]


class ObjectionRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = [
            "id",
            "tender",
            "supplier",
            "text",
            "filed_at",
            "may_affect_result",
            "status",
            "answer_due_at",
            "answer",
            "answered_at",
        ]


class ContractRecordSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.enterprise.name", read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "tender",
            "park",
            "supplier",
            "supplier_name",
            "number",
            "title",
            "value",
            "signed_on",
            "period_start",
            "period_end",
            "status",
            "published_at",
            "publish_due_at",
            "integrity_pledge",
        ]


class ContractAmendmentRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractAmendment
        fields = ["id", "contract", "value_change", "reason", "signed_on", "recorded_at"]


# --- input serializers --------------------------------------------------------------------------------------


class EvaluatorPoolAddInput(serializers.Serializer):
    park = serializers.PrimaryKeyRelatedField(queryset=Park.objects.all())
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
    kind = serializers.CharField()
    specialty = serializers.CharField(required=False, allow_blank=True, default="")
    employer = serializers.CharField(required=False, allow_blank=True, default="")
    employer_credit_code = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationTenderInput(serializers.Serializer):
    tender = serializers.PrimaryKeyRelatedField(queryset=Tender.objects.all())


class CommitteeDrawInput(EvaluationTenderInput):
    size = serializers.IntegerField(required=False, allow_null=True, default=None)


class RecusalInput(serializers.Serializer):
    reason = serializers.CharField()


class EvaluatorPledgeInput(serializers.Serializer):
    expected_sha256 = serializers.CharField(required=False, allow_blank=True, default="")


class ScoreSubmitInput(serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=CommitteeMember.objects.all())
    bid = serializers.PrimaryKeyRelatedField(queryset=Bid.objects.all())
    technical_score = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, allow_null=True)
    passes_qualification = serializers.BooleanField(default=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AwardDecideInput(EvaluationTenderInput):
    bid = serializers.PrimaryKeyRelatedField(queryset=Bid.objects.all())
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ObjectionFileInput(EvaluationTenderInput):
    text = serializers.CharField()


class ObjectionAnswerInput(serializers.Serializer):
    upheld = serializers.BooleanField()
    answer = serializers.CharField()


class ObjectionClassifyInput(serializers.Serializer):
    may_affect_result = serializers.BooleanField()
    reason = serializers.CharField()


class ContractSignInput(EvaluationTenderInput):
    number = serializers.CharField(max_length=60)
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    signed_on = serializers.DateField()
    title = serializers.CharField(required=False, allow_blank=True, default="")
    period_start = serializers.DateField(required=False, allow_null=True, default=None)
    period_end = serializers.DateField(required=False, allow_null=True, default=None)


class IntegrityContractSignInput(EvaluationTenderInput):
    expected_sha256 = serializers.CharField(required=False, allow_blank=True, default="")


class ContractAmendInput(serializers.Serializer):
    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.all())
    value_change = serializers.DecimalField(max_digits=14, decimal_places=2)
    reason = serializers.CharField()
    signed_on = serializers.DateField()


class _Scoped(viewsets.ReadOnlyModelViewSet):
    """The schema generator calls get_queryset without a user: give it an empty queryset of the model."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()
        return self.scoped_queryset()


def _valid(serializer_class, request):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


# --- viewsets -----------------------------------------------------------------------------------------------


class EvaluatorPoolViewSet(_Scoped):
    """Evaluator pools of the parks whose procurement files the user reads."""

    serializer_class = EvaluatorPoolMemberSerializer
    filterset_fields = ["park", "kind", "is_active"]

    def scoped_queryset(self):
        return sel.pool_for(self.request.user).order_by("park_id", "kind", "id")

    @extend_schema(
        request=EvaluatorPoolAddInput, responses={201: EvaluatorPoolMemberSerializer}, summary="Add to the pool"
    )
    @action(detail=False, methods=["post"])
    def add(self, request):
        member = services.evaluator_pool_add(actor=request.user, **_valid(EvaluatorPoolAddInput, request))
        return Response(EvaluatorPoolMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=EvaluatorPoolMemberSerializer, summary="Take out of the pool")
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        member = services.evaluator_pool_deactivate(member=self.get_object(), actor=request.user)
        return Response(EvaluatorPoolMemberSerializer(member).data)


class CommitteeMemberViewSet(_Scoped):
    """Committee seats: all of the user's parks for procurement staff; their own for evaluators. Transitions
    of the committee and of the evaluation are actions here."""

    serializer_class = CommitteeSeatSerializer
    filterset_fields = ["tender", "status"]

    def scoped_queryset(self):
        return sel.committee_for(self.request.user).order_by("tender_id", "-is_chair", "id")

    def _own(self, pk):
        member = get_object_or_404(self.get_queryset(), pk=pk)
        return member

    @extend_schema(request=CommitteeDrawInput, responses={201: CommitteeSeatSerializer(many=True)}, summary="Draw")
    @action(detail=False, methods=["post"])
    def draw(self, request):
        values = _valid(CommitteeDrawInput, request)
        services.committee_draw(tender=values["tender"], actor=request.user, size=values["size"])
        members = self.get_queryset().filter(tender=values["tender"])
        return Response(CommitteeSeatSerializer(members, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EvaluationTenderInput, responses={200: None}, summary="Start the evaluation")
    @action(detail=False, methods=["post"], url_path="start-evaluation", url_name="start-evaluation")
    def start_evaluation(self, request):
        tender = services.evaluation_start(tender=_valid(EvaluationTenderInput, request)["tender"], actor=request.user)
        return Response({"tender": tender.pk, "status": tender.status})

    @extend_schema(request=EvaluationTenderInput, responses={200: None}, summary="Record the evaluation report")
    @action(detail=False, methods=["post"], url_path="record-report", url_name="record-report")
    def record_report(self, request):
        tender = services.evaluation_report_record(
            tender=_valid(EvaluationTenderInput, request)["tender"], actor=request.user
        )
        return Response({"tender": tender.pk, "status": tender.status})

    @extend_schema(
        request=EvaluatorPledgeInput, responses=CommitteeSeatSerializer, summary="Sign the evaluator's pledge"
    )
    @action(detail=True, methods=["post"], url_path="sign-pledge", url_name="sign-pledge")
    def sign_pledge(self, request, pk=None):
        sha = _valid(EvaluatorPledgeInput, request)["expected_sha256"] or None
        member = services.evaluator_pledge_sign(member=self._own(pk), actor=request.user, expected_sha256=sha)
        return Response(CommitteeSeatSerializer(member).data)

    @extend_schema(request=None, responses=CommitteeSeatSerializer, summary="Hand in the marks")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        member = services.committee_member_submit(member=self._own(pk), actor=request.user)
        return Response(CommitteeSeatSerializer(member).data)

    @extend_schema(request=RecusalInput, responses=CommitteeSeatSerializer, summary="Withdraw (conflict)")
    @action(detail=True, methods=["post"])
    def recuse(self, request, pk=None):
        reason = _valid(RecusalInput, request)["reason"]
        member = services.committee_member_recuse(member=self._own(pk), actor=request.user, reason=reason)
        return Response(CommitteeSeatSerializer(member).data)

    @extend_schema(responses=BlindBidSerializer(many=True), summary="The bids, double-blind (the member only)")
    @action(detail=True, methods=["get"])
    def bids(self, request, pk=None):
        member = self._own(pk)
        if member.user_id != request.user.pk:
            raise Http404
        bids = list(sel.evaluator_bids(member))
        names = {}
        if sel.identities_revealed(member.tender):
            names = dict(
                Bid.objects.filter(pk__in=[b.pk for b in bids]).values_list("pk", "supplier__enterprise__name")
            )
        return Response(BlindBidSerializer(bids, many=True, context={"revealed_names": names}).data)


class ScoreViewSet(_Scoped):
    """The evaluator's own marks (double-blind: bids by alias only)."""

    serializer_class = EvaluatorScoreSerializer

    def scoped_queryset(self):
        return sel.scores_of(self.request.user).order_by("member__tender_id", "bid__alias")

    @extend_schema(request=ScoreSubmitInput, responses=EvaluatorScoreSerializer, summary="Mark a bid")
    @action(detail=False, methods=["post"])
    def submit(self, request):
        values = _valid(ScoreSubmitInput, request)
        score = services.score_submit(
            member=values["member"],
            bid=values["bid"],
            actor=request.user,
            technical_score=values.get("technical_score"),
            passes_qualification=values["passes_qualification"],
            comment=values["comment"],
        )
        return Response(EvaluatorScoreSerializer(score).data)


class AwardViewSet(_Scoped):
    serializer_class = AwardDecisionSerializer
    filterset_fields = ["tender"]

    def scoped_queryset(self):
        return sel.awards_for(self.request.user).order_by("-decided_at", "-id")

    @extend_schema(request=AwardDecideInput, responses={201: AwardDecisionSerializer}, summary="Decide the award")
    @action(detail=False, methods=["post"])
    def decide(self, request):
        values = _valid(AwardDecideInput, request)
        award = award_services.award_decide(
            tender=values["tender"], actor=request.user, bid=values["bid"], reason=values["reason"]
        )
        return Response(AwardDecisionSerializer(award).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AwardDecisionSerializer, summary="Announce the result")
    @action(detail=True, methods=["post"])
    def announce(self, request, pk=None):
        award = self.get_object()
        award = award_services.award_announce(tender=award.tender, actor=request.user)
        return Response(AwardDecisionSerializer(award).data)


class ObjectionViewSet(_Scoped):
    serializer_class = ObjectionRecordSerializer
    filterset_fields = ["tender", "status"]

    def scoped_queryset(self):
        return sel.objections_for(self.request.user).order_by("-filed_at", "-id")

    @extend_schema(request=ObjectionFileInput, responses={201: ObjectionRecordSerializer}, summary="File an objection")
    @action(detail=False, methods=["post"], url_path="file", url_name="file")
    def file_objection(self, request):
        values = _valid(ObjectionFileInput, request)
        supplier = sel.bidder_supplier_for(request.user, values["tender"])
        if supplier is None:
            raise PermissionDenied()
        objection = award_services.objection_file(
            tender=values["tender"], supplier=supplier, actor=request.user, text=values["text"]
        )
        return Response(ObjectionRecordSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ObjectionAnswerInput, responses=ObjectionRecordSerializer, summary="Answer in writing")
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        values = _valid(ObjectionAnswerInput, request)
        objection = award_services.objection_answer(objection=self.get_object(), actor=request.user, **values)
        return Response(ObjectionRecordSerializer(objection).data)

    @extend_schema(request=ObjectionClassifyInput, responses=ObjectionRecordSerializer, summary="Assess its effect")
    @action(detail=True, methods=["post"])
    def classify(self, request, pk=None):
        values = _valid(ObjectionClassifyInput, request)
        objection = award_services.objection_classify(objection=self.get_object(), actor=request.user, **values)
        return Response(ObjectionRecordSerializer(objection).data)


class ContractViewSet(_Scoped):
    serializer_class = ContractRecordSerializer
    filterset_fields = ["tender", "park", "status"]

    def scoped_queryset(self):
        return sel.contracts_for(self.request.user).order_by("-signed_on", "-id")

    @extend_schema(request=ContractSignInput, responses={201: ContractRecordSerializer}, summary="Record the contract")
    @action(detail=False, methods=["post"])
    def sign(self, request):
        values = _valid(ContractSignInput, request)
        tender = values.pop("tender")
        pledge = contract_services.integrity_contracts_for(tender).first()
        contract = contract_services.contract_sign(tender=tender, actor=request.user, integrity_pledge=pledge, **values)
        return Response(ContractRecordSerializer(contract).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=IntegrityContractSignInput,
        responses={201: None},
        summary="Sign the integrity contract (awarded supplier)",
    )
    @action(detail=False, methods=["post"], url_path="sign-integrity-contract", url_name="sign-integrity-contract")
    def sign_integrity_contract(self, request):
        values = _valid(IntegrityContractSignInput, request)
        pledge = contract_services.integrity_contract_sign(
            tender=values["tender"], actor=request.user, expected_sha256=values["expected_sha256"] or None
        )
        return Response({"pledge": pledge.pk, "sha256": pledge.text_sha256}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ContractRecordSerializer, summary="Publish")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        contract = contract_services.contract_publish(contract=self.get_object(), actor=request.user)
        return Response(ContractRecordSerializer(contract).data)


class ContractAmendmentViewSet(_Scoped):
    serializer_class = ContractAmendmentRecordSerializer
    filterset_fields = ["contract"]

    def scoped_queryset(self):
        return sel.amendments_for(self.request.user).order_by("contract_id", "signed_on", "id")

    @extend_schema(
        request=ContractAmendInput,
        responses={201: ContractAmendmentRecordSerializer},
        summary="Record a supplementary contract",
    )
    @action(detail=False, methods=["post"])
    def record(self, request):
        values = _valid(ContractAmendInput, request)
        amendment = contract_services.contract_amend(actor=request.user, **values)
        return Response(ContractAmendmentRecordSerializer(amendment).data, status=status.HTTP_201_CREATED)


def register(router):
    """Registers this module's viewsets on the procurement API router."""
    router.register("evaluator-pool", EvaluatorPoolViewSet, basename="evaluator-pool")
    router.register("committee-members", CommitteeMemberViewSet, basename="committee-member")
    router.register("scores", ScoreViewSet, basename="score")
    router.register("awards", AwardViewSet, basename="award")
    router.register("objections", ObjectionViewSet, basename="objection")
    router.register("contracts", ContractViewSet, basename="contract")
    router.register("contract-amendments", ContractAmendmentViewSet, basename="contract-amendment")
