"""API routes of the 吐槽区, mounted under /api/v1/complaints/ by portal/api_urls.py."""

from rest_framework.routers import DefaultRouter

from complaints.api.views import AnswerBatchViewSet, CategoryViewSet, MessageViewSet, TicketViewSet

router = DefaultRouter(trailing_slash=True)
router.register("tickets", TicketViewSet, basename="complaints-ticket")
router.register("categories", CategoryViewSet, basename="complaints-category")
router.register("messages", MessageViewSet, basename="complaints-message")
router.register("answer-batches", AnswerBatchViewSet, basename="complaints-answer-batch")

urlpatterns = router.urls
