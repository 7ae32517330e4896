"""API of core: the user's own notifications, and uploading attachments for a record made later."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    MarkedReadSerializer,
    NotificationSerializer,
    UnreadCountSerializer,
)
from core.filters import NotificationFilterSet
from core.notifications import notifications_for, unread_count_for
from core.services import attachment_create, notification_mark_all_read, notification_mark_read


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in user's notifications, newest first (``?unread=true`` for the unread ones). Nobody sees
    anyone else's: another user's id is a 404."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    lookup_value_regex = r"\d+"
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return notifications_for(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"], url_path="read")
    def read(self, request, pk=None):
        notification = self.get_object()
        notification_mark_read(notification=notification, actor=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        marked = notification_mark_all_read(actor=request.user)
        return Response({"marked": marked, "unread_count": unread_count_for(request.user)})

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count", filterset_class=None, pagination_class=None)
    def unread_count(self, request):
        return Response({"unread_count": unread_count_for(request.user)})


class AttachmentViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Upload a file before the record it belongs to exists (multipart, field ``file``). The answer's
    ``token`` is what a record's create endpoint takes to attach it; until then only the uploader can
    download it."""

    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        # Uploads are read through the permission-checked download view, never listed here.
        return AttachmentSerializer.Meta.model.objects.none()

    @extend_schema(request={"multipart/form-data": AttachmentUploadSerializer}, responses=AttachmentSerializer)
    def create(self, request, *args, **kwargs):
        upload = AttachmentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        attachment = attachment_create(file=upload.validated_data["file"], actor=request.user, park=None)
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
