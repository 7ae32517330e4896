"""Pages of the risk register, the screening campaigns and the notices, included by `integrity.urls` into the
``integrity`` namespace (fixed first segments, so no park code shadows them)."""

from django.urls import path

from integrity.views import notices, risks

urlpatterns = [
    path("risks/", risks.risk_list, name="risk-list"),
    path("risks/export.xlsx", risks.risk_export, name="risk-export"),
    path("risks/new/", risks.risk_create, name="risk-create"),
    path("risks/matrix/", risks.risk_matrix, name="risk-matrix"),
    path("risks/<int:pk>/", risks.risk_detail, name="risk-detail"),
    path("risks/<int:pk>/edit/", risks.risk_edit, name="risk-edit"),
    path("risks/<int:pk>/review/", risks.risk_review, name="risk-review"),
    path("risks/<int:pk>/pull-forward/", risks.risk_pull_forward, name="risk-pull-forward"),
    path("risks/<int:pk>/controls/", risks.risk_control_add, name="risk-control-add"),
    path("risks/<int:pk>/<slug:action>/", risks.risk_transition, name="risk-transition"),
    path("risks/controls/<int:pk>/complete/", risks.risk_control_complete, name="risk-control-complete"),
    path("risks/controls/<int:pk>/evidence/", risks.risk_control_evidence, name="risk-control-evidence"),
    path("risks/controls/<int:pk>/cancel/", risks.risk_control_cancel, name="risk-control-cancel"),
    path("screening/", risks.screening_list, name="screening-list"),
    path("screening/new/", risks.screening_create, name="screening-create"),
    path("screening/<int:pk>/", risks.screening_detail, name="screening-detail"),
    path("screening/<int:pk>/close/", risks.screening_close, name="screening-close"),
    path("screening/responses/<int:pk>/", risks.screening_response, name="screening-response"),
    path("notices/", notices.public_list, name="notice-public-list"),
    path("notices/manage/", notices.notice_list, name="notice-list"),
    path("notices/new/", notices.notice_create, name="notice-create"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/edit/", notices.notice_edit, name="notice-edit"),
    path("notices/<int:pk>/publish/", notices.notice_publish, name="notice-publish"),
    path("notices/<int:pk>/withdraw/", notices.notice_withdraw, name="notice-withdraw"),
]
