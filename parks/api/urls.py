"""API routes of parks/ (mounted under /api/v1/ by portal/api_urls.py)."""

from rest_framework.routers import DefaultRouter

from parks.api.views import DepartmentViewSet, EnterpriseViewSet, ParkViewSet

router = DefaultRouter(trailing_slash=True)
router.register("parks", ParkViewSet, basename="park")
router.register("departments", DepartmentViewSet, basename="department")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

urlpatterns = router.urls
