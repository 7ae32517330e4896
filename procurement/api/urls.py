"""API routes of procurement (mounted under /api/v1/procurement/ by portal/api_urls.py)."""

from rest_framework.routers import DefaultRouter

from procurement.api import bids, evaluation, flags, public, tenders

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
for module in (tenders, bids, evaluation, flags, public):
    module.register(router)

app_name = "procurement"
urlpatterns = router.urls
