"""Serializers of core's API: notifications and attachments."""

from django.urls import reverse
from rest_framework import serializers

from core.models import Attachment, Notification


class NotificationSerializer(serializers.ModelSerializer):
    link = serializers.CharField(source="url", read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "park", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class UnreadCountSerializer(serializers.Serializer):
    unread_count = serializers.IntegerField(read_only=True)


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True)
    unread_count = serializers.IntegerField(read_only=True)


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["token", "original_name", "content_type", "size", "sha256", "created_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        return reverse("core:attachment-download", args=[obj.token])
