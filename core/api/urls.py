"""API routes of core: notifications."""

from rest_framework.routers import SimpleRouter

from core.api.views import NotificationViewSet

router = SimpleRouter(trailing_slash=True)
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = router.urls
