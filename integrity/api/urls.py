"""API routes of integrity/ (mounted under /api/v1/integrity/ by portal/api_urls.py)."""

from rest_framework.routers import DefaultRouter

from integrity.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("conduct-lists", views.ConductListViewSet, basename="conduct-list")
router.register("pledge-templates", views.PledgeTemplateViewSet, basename="pledge-template")
router.register("pledges", views.PledgeViewSet, basename="pledge")
router.register("gift-declarations", views.GiftDeclarationViewSet, basename="gift-declaration")
router.register("family-event-declarations", views.FamilyEventDeclarationViewSet, basename="family-event-declaration")
router.register("interest-declarations", views.InterestDeclarationViewSet, basename="interest-declaration")

app_name = "integrity"
urlpatterns = router.urls

# The risk register, screening campaigns and notices (helper G2).
from integrity.api import risks  # noqa: E402

router.register("risks", risks.RiskViewSet, basename="risk")
router.register("risk-controls", risks.RiskControlViewSet, basename="risk-control")
router.register("risk-reviews", risks.RiskReviewViewSet, basename="risk-review")
router.register("screening-campaigns", risks.ScreeningCampaignViewSet, basename="screening-campaign")
router.register("screening-responses", risks.ScreeningResponseViewSet, basename="screening-response")
router.register("notices", risks.NoticeViewSet, basename="notice")

# 三重一大 register and service rating cards.
from integrity.api import decisions, ratings  # noqa: E402

decisions.register(router)
ratings.register(router)
urlpatterns = router.urls
