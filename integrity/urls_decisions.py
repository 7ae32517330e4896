"""Pages of the 三重一大 register, included by `integrity.urls` into the ``integrity`` namespace (fixed first
segment ``decisions/``, so no park code shadows them)."""

from django.urls import path

from integrity.views import decisions

urlpatterns = [
    path("decisions/", decisions.decision_list, name="decision-list"),
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/edit/", decisions.decision_edit, name="decision-edit"),
    path("decisions/<int:pk>/votes/", decisions.decision_votes, name="decision-votes"),
    path("decisions/meetings/", decisions.meeting_list, name="meeting-list"),
    path("decisions/meetings/new/", decisions.meeting_create, name="meeting-create"),
    path("decisions/meetings/<int:pk>/", decisions.meeting_detail, name="meeting-detail"),
    path("decisions/meetings/<int:pk>/edit/", decisions.meeting_edit, name="meeting-edit"),
    path("decisions/meetings/<int:pk>/attendance/", decisions.meeting_attendance, name="meeting-attendance"),
    path("decisions/meetings/<int:pk>/minutes/", decisions.meeting_minutes, name="meeting-minutes"),
    path("decisions/meetings/<int:pk>/items/", decisions.meeting_decision_add, name="meeting-decision-add"),
    path("decisions/bodies/", decisions.body_list, name="decision-body-list"),
    path("decisions/bodies/<int:pk>/", decisions.body_detail, name="decision-body-detail"),
    path("decisions/bodies/<int:pk>/edit/", decisions.body_edit, name="decision-body-edit"),
    path("decisions/bodies/<int:pk>/members/", decisions.member_add, name="decision-body-member-add"),
    path("decisions/members/<int:pk>/end/", decisions.member_end, name="decision-body-member-end"),
    path("decisions/thresholds/", decisions.threshold_set, name="decision-threshold-set"),
    path("decisions/payments/", decisions.payment_list, name="fund-payment-list"),
    path("decisions/payments/<int:pk>/link/", decisions.payment_link, name="fund-payment-link"),
    path("decisions/flags/", decisions.flag_list, name="decision-flag-list"),
]
