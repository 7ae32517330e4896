"""API routes of core: notifications and attachment uploads."""

from rest_framework.routers import SimpleRouter

from core.api.views import AttachmentViewSet, NotificationViewSet

router = SimpleRouter(trailing_slash=True)
router.register("notifications", NotificationViewSet, basename="notification")
router.register("attachments", AttachmentViewSet, basename="attachment")

urlpatterns = router.urls
