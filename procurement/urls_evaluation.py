"""Pages of the evaluation, award, objection and contract stages (views in `procurement.views.evaluation`)."""

from django.urls import path

from procurement.views import evaluation as views

urlpatterns = [
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluators/<int:park_id>/", views.evaluator_pool, name="evaluator-pool"),
    path("evaluators/member/<int:pk>/remove/", views.evaluator_pool_remove, name="evaluator-pool-remove"),
    path("tenders/<int:pk>/evaluation/", views.tender_evaluation, name="tender-evaluation"),
    path("tenders/<int:pk>/evaluation/draw/", views.committee_draw, name="committee-draw"),
    path("tenders/<int:pk>/evaluation/start/", views.evaluation_start, name="evaluation-start"),
    path("tenders/<int:pk>/evaluation/report/", views.evaluation_report, name="evaluation-report"),
    path("tenders/<int:pk>/award/decide/", views.award_decide, name="award-decide"),
    path("tenders/<int:pk>/award/announce/", views.award_announce, name="award-announce"),
    path("tenders/<int:pk>/contract/sign/", views.contract_sign, name="contract-sign"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection-answer"),
    path("objections/<int:pk>/classify/", views.objection_classify, name="objection-classify"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/publish/", views.contract_publish, name="contract-publish"),
    path("contracts/<int:pk>/amend/", views.contract_amend, name="contract-amend"),
    path("committee/<int:pk>/", views.evaluation_panel, name="evaluation-panel"),
    path("committee/<int:pk>/pledge/", views.panel_pledge, name="panel-pledge"),
    path("committee/<int:pk>/bids/<int:bid_id>/score/", views.panel_score, name="panel-score"),
    path("committee/<int:pk>/submit/", views.panel_submit, name="panel-submit"),
    path("committee/<int:pk>/recuse/", views.panel_recuse, name="panel-recuse"),
    path("awards/<int:pk>/", views.award_publicity, name="award-publicity"),
    path("awards/<int:pk>/objection/", views.objection_file, name="objection-file"),
    path("awards/<int:pk>/integrity-contract/", views.integrity_contract_sign, name="integrity-contract-sign"),
]
