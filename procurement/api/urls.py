"""API routes of procurement (mounted under /api/v1/procurement/ by portal/api_urls.py)."""

from rest_framework.routers import DefaultRouter

from procurement.api import bids, evaluation, flags, public, tenders

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
for module in (tenders, bids, evaluation, flags, public):
    module.register(router)
# Auditors change nothing anywhere in procurement (a clean 403 before input validation; see public.py).
for _prefix, viewset, _basename in router.registry:
    viewset.permission_classes = [*viewset.permission_classes, public.AuditorsReadOnly]

app_name = "procurement"
urlpatterns = router.urls
