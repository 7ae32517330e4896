"""The 吐槽区 API (/api/v1/complaints/): tickets, categories, messages, published answer lists, and one POST
action per transition.

Querysets come from `complaints.selectors` and are filtered with `TicketFilterSet`, exactly as the pages
are, so a ticket the user may not see (a confidential report, for anyone outside the discipline office) is
a 404 and never counted. Every change is one service call; a refused action is a `DomainError`, which the
API's exception handler turns into JSON (400/403/404/409) with nothing changed.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from complaints import services
from complaints.api import serializers as s
from complaints.choices import RequestStatus, ReturnStatus, SuggestionStatus
from complaints.filters import CategoryFilterSet, TicketFilterSet
from complaints.models import DuplicateSuggestion, ExtensionRequest, ReturnRequest, TicketMessage
from complaints.selectors import (
    OFFICIAL_WRITER_ROLES,
    category_list_for,
    ticket_get_for,
    ticket_list_for,
    ticket_scope_for,
)
from complaints.selectors_disclosure import answer_batches_public
from core.errors import Conflict
from core.roles import AUDITOR, user_roles


class TicketViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Tickets the user may see (scoped like the pages); ``POST`` files a new one through `ticket_submit`."""

    filterset_class = TicketFilterSet
    ordering_fields = ["created_at", "reply_due", "number", "supervision_level"]

    def get_queryset(self):
        return ticket_list_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.TicketDetailSerializer
        return s.TicketSerializer

    def get_object(self):
        # ticket_get_for reports a ticket outside the user's scope as not found (404), never 403.
        ticket = ticket_get_for(self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, ticket)
        return ticket

    def _detail(self, ticket, code=status.HTTP_200_OK):
        fresh = ticket_get_for(self.request.user, pk=ticket.pk)
        return Response(s.TicketDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _after(self, ticket):
        """The ticket after an action, or 204 when the action took it out of the user's sight."""
        if not ticket_scope_for(self.request.user).filter(pk=ticket.pk).exists():
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._detail(ticket)

    def _input(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    @extend_schema(request=s.TicketCreateSerializer, responses={201: s.SubmissionSerializer})
    def create(self, request, *args, **kwargs):
        data = self._input(s.TicketCreateSerializer)
        files = data.pop("files", [])
        submission = services.ticket_submit(actor=request.user, files=files, **data)
        ticket = submission.ticket
        context = self.get_serializer_context()
        if submission.receipt_code:
            # The anonymous filer's ticket is nobody's to read back; answer with what was stored.
            body = {
                "ticket": {"id": ticket.pk, "number": ticket.number, "status": ticket.status},
                "receipt_code": submission.receipt_code,
            }
            return Response(body, status=status.HTTP_201_CREATED)
        fresh = ticket_get_for(request.user, pk=ticket.pk)
        body = {"ticket": s.TicketDetailSerializer(fresh, context=context).data, "receipt_code": None}
        return Response(body, status=status.HTTP_201_CREATED)

    # --- intake desk ---

    @extend_schema(request=s.AcceptInput, responses=s.TicketDetailSerializer, summary="受理: accept")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = self._input(s.AcceptInput)
        ticket = services.ticket_accept(
            ticket=self.get_object(),
            actor=request.user,
            priority=data.get("priority") or None,
            apply_suggestion=data["apply_suggestion"],
        )
        return self._after(ticket)

    @extend_schema(request=s.ReasonInput, responses=s.TicketDetailSerializer, summary="不予受理: reject")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = self._input(s.ReasonInput)
        return self._after(services.ticket_reject(ticket=self.get_object(), actor=request.user, reason=data["reason"]))

    @extend_schema(request=s.MergeInput, responses=s.TicketDetailSerializer, summary="重复件: merge")
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        data = self._input(s.MergeInput)
        ticket = self.get_object()
        into = ticket_get_for(request.user, pk=data["into"])
        return self._after(
            services.ticket_merge(ticket=ticket, into=into, actor=request.user, reason=data.get("reason", ""))
        )

    @extend_schema(request=s.DispatchInput, responses=s.TicketDetailSerializer, summary="派单: dispatch")
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_to(self, request, pk=None):
        # Not named "dispatch": that is the view's own request handler.
        data = self._input(s.DispatchInput)
        ticket = services.ticket_dispatch(
            ticket=self.get_object(),
            actor=request.user,
            department=data["department"],
            co_departments=list(data.get("co_departments", [])),
        )
        return self._after(ticket)

    @extend_schema(request=s.ReturnDecideInput, responses=s.TicketDetailSerializer, summary="Decide a return")
    @action(detail=True, methods=["post"], url_path="decide-return")
    def decide_return(self, request, pk=None):
        data = self._input(s.ReturnDecideInput)
        ticket = self.get_object()
        pending = ReturnRequest.objects.filter(ticket=ticket, status=ReturnStatus.PENDING).first()
        if pending is None:
            raise Conflict(_("There is no return waiting for a decision."), code="no_pending_return")
        services.ticket_return_decide(
            return_request=pending,
            actor=request.user,
            redispatch_to=data.get("redispatch_to"),
            co_departments=list(data.get("co_departments", [])),
            reason=data.get("reason", ""),
        )
        return self._after(ticket)

    @extend_schema(request=s.ExtensionDecideInput, responses=s.TicketDetailSerializer, summary="Decide an extension")
    @action(detail=True, methods=["post"], url_path="decide-extension")
    def decide_extension(self, request, pk=None):
        data = self._input(s.ExtensionDecideInput)
        ticket = self.get_object()
        pending = ExtensionRequest.objects.filter(ticket=ticket, status=RequestStatus.PENDING).first()
        if pending is None:
            raise Conflict(_("There is no extension request waiting for a decision."), code="no_pending_extension")
        services.ticket_extension_decide(
            extension=pending, actor=request.user, approve=data["approve"], reason=data.get("reason", "")
        )
        return self._after(ticket)

    @extend_schema(request=s.FollowupInput, responses=s.TicketDetailSerializer, summary="回访: record a follow-up")
    @action(detail=True, methods=["post"])
    def followup(self, request, pk=None):
        data = self._input(s.FollowupInput)
        ticket = services.ticket_followup_record(
            ticket=self.get_object(),
            actor=request.user,
            channel=data["followup_channel"],
            reachable=data["reachable"],
            satisfaction=data.get("satisfaction"),
            comment=data.get("comment", ""),
        )
        return self._after(ticket)

    @extend_schema(request=s.DuplicateDismissInput, responses=s.TicketDetailSerializer)
    @action(detail=True, methods=["post"], url_path="dismiss-duplicate")
    def dismiss_duplicate(self, request, pk=None):
        data = self._input(s.DuplicateDismissInput)
        ticket = self.get_object()
        suggestion = DuplicateSuggestion.objects.filter(
            pk=data["suggestion"], ticket=ticket, status=SuggestionStatus.OPEN
        ).first()
        if suggestion is None:
            raise Conflict(_("No such open suggestion."), code="no_suggestion")
        services.duplicate_suggestion_dismiss(suggestion=suggestion, actor=request.user)
        return self._after(ticket)

    # --- lead department ---

    @extend_schema(request=s.ReturnInput, responses=s.TicketDetailSerializer, summary="退单: return")
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        data = self._input(s.ReturnInput)
        ticket = self.get_object()
        services.ticket_return(
            ticket=ticket,
            actor=request.user,
            reason=data["reason"],
            suggested_department=data.get("suggested_department"),
        )
        return self._after(ticket)

    @extend_schema(request=None, responses=s.TicketDetailSerializer, summary="签收: sign for it")
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._after(services.ticket_sign(ticket=self.get_object(), actor=request.user))

    @extend_schema(request=s.ExtensionRequestInput, responses=s.TicketDetailSerializer, summary="延期: request")
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request, pk=None):
        data = self._input(s.ExtensionRequestInput)
        ticket = self.get_object()
        services.ticket_extension_request(
            ticket=ticket, actor=request.user, reason=data["reason"], requested_due=data["requested_due"]
        )
        return self._after(ticket)

    @extend_schema(request=s.ReplyInput, responses=s.TicketDetailSerializer, summary="答复: reply")
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        data = self._input(s.ReplyInput)
        ticket = services.ticket_reply(
            ticket=self.get_object(),
            actor=request.user,
            reply=data["reply"],
            rectification_measures=data.get("rectification_measures", ""),
            finding=data.get("finding", ""),
        )
        return self._after(ticket)

    # --- filer ---

    @extend_schema(request=s.ConfirmInput, responses=s.TicketDetailSerializer, summary="Rate the answer and close")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        data = self._input(s.ConfirmInput)
        ticket = services.ticket_confirm(
            ticket=self.get_object(),
            actor=request.user,
            satisfaction=data["satisfaction"],
            comment=data.get("comment", ""),
            consent_to_publish=data.get("consent_to_publish"),
        )
        return self._after(ticket)

    @extend_schema(request=s.ReasonInput, responses=s.TicketDetailSerializer, summary="不满意: reject the answer")
    @action(detail=True, methods=["post"], url_path="reject-answer")
    def reject_answer(self, request, pk=None):
        data = self._input(s.ReasonInput)
        ticket = services.ticket_reject_answer(ticket=self.get_object(), actor=request.user, reason=data["reason"])
        return self._after(ticket)

    # --- discipline office, everyone ---

    @extend_schema(request=s.SuperviseInput, responses=s.TicketDetailSerializer, summary="督办: supervise")
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        data = self._input(s.SuperviseInput)
        return self._after(services.ticket_supervise(ticket=self.get_object(), actor=request.user, note=data["note"]))

    @extend_schema(request=s.TicketMessageInput, responses={201: s.MessageSerializer}, summary="Post a message")
    @action(detail=True, methods=["post"], url_path="messages")
    def post_message(self, request, pk=None):
        data = self._input(s.TicketMessageInput)
        message = services.ticket_message_post(
            ticket=self.get_object(), actor=request.user, body=data["body"], internal=data["internal"]
        )
        message = TicketMessage.objects.select_related("author", "ticket").get(pk=message.pk)
        return Response(
            s.MessageSerializer(message, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Categories of the parks the user may see."""

    serializer_class = s.CategorySerializer
    filterset_class = CategoryFilterSet

    def get_queryset(self):
        return category_list_for(self.request.user)


class MessageViewSet(viewsets.ReadOnlyModelViewSet):
    """Messages of the tickets the user may see (``?ticket=<id>``); internal notes only for officials."""

    serializer_class = s.MessageSerializer
    filterset_fields = ["ticket"]

    def get_queryset(self):
        user = self.request.user
        qs = (
            TicketMessage.objects.filter(ticket__in=ticket_scope_for(user))
            .select_related("author", "ticket")
            .prefetch_related(Prefetch("ticket__co_departments"))
            .order_by("ticket_id", "created_at", "id")
        )
        if not user_roles(user) & (OFFICIAL_WRITER_ROLES | {AUDITOR}):
            qs = qs.filter(internal=False)
        return qs

    @extend_schema(request=s.MessageCreateSerializer, responses={201: s.MessageSerializer})
    def create(self, request):
        data = s.MessageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = ticket_get_for(request.user, pk=data.validated_data["ticket"])
        message = services.ticket_message_post(
            ticket=ticket,
            actor=request.user,
            body=data.validated_data["body"],
            internal=data.validated_data["internal"],
        )
        message = self.get_queryset().get(pk=message.pk)
        return Response(s.MessageSerializer(message, context=self.get_serializer_context()).data, status=201)


class AnswerBatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Published answer lists (public: no sign-in needed)."""

    serializer_class = s.AnswerBatchSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["park"]

    def get_queryset(self):
        return answer_batches_public().prefetch_related("items")
