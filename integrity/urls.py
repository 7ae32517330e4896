from django.urls import include, path

from integrity.views import declarations, manage, pledges, public, review, samples, yearly

app_name = "integrity"

# Fixed paths first: a park code must not shadow them.
urlpatterns = [
    path("", public.index, name="index"),
    path("pledges/", pledges.my_pledges, name="my-pledges"),
    path("pledges/sign/<int:template_id>/", pledges.sign, name="pledge-sign"),
    path("pledges/<int:pk>/", pledges.pledge_detail, name="pledge-detail"),
    path("texts/<int:pk>/", public.template_detail, name="template-detail"),
    path("declarations/", declarations.my_declarations, name="my-declarations"),
    path("declarations/new/<slug:kind_slug>/", declarations.declaration_create, name="declaration-create"),
    path("declarations/<int:pk>/", declarations.declaration_detail, name="declaration-detail"),
    path("declarations/<int:pk>/edit/", declarations.declaration_edit, name="declaration-edit"),
    path("declarations/<int:pk>/submit/", declarations.declaration_submit, name="declaration-submit"),
    path(
        "declarations/<int:pk>/report-action/",
        declarations.declaration_report_action,
        name="declaration-report-action",
    ),
    path("declarations/<int:pk>/accept/", review.declaration_accept, name="declaration-accept"),
    path("declarations/<int:pk>/return/", review.declaration_return, name="declaration-return"),
    path("declarations/<int:pk>/require-action/", review.declaration_require_action, name="declaration-require-action"),
    path("review/", review.review_queue, name="review-queue"),
    path("review/export.xlsx", review.review_export, name="review-export"),
    path("yearly/", yearly.my_yearly_returns, name="my-yearly-returns"),
    path("yearly/<int:pk>/file/", yearly.yearly_return_file_view, name="yearly-return-file"),
    path("rounds/", yearly.yearly_rounds, name="yearly-rounds"),
    path("rounds/<int:pk>/", yearly.yearly_round_detail, name="yearly-round-detail"),
    path("samples/", samples.samples, name="samples"),
    path("samples/<int:pk>/", samples.sample_detail, name="sample-detail"),
    path("samples/items/<int:pk>/verify/", samples.sample_item_verify_view, name="sample-item-verify"),
    path("manage/", manage.manage, name="manage"),
    path("manage/<slug:code>/pledge-text/", manage.template_publish, name="template-publish"),
    path("manage/<slug:code>/conduct-list/", manage.conduct_publish, name="conduct-publish"),
    path("<slug:code>/pledges/", public.pledge_board_view, name="pledge-board"),
    path("<slug:code>/conduct/", public.conduct_lists_view, name="conduct-lists"),
]

# The risk register, screening campaigns and notices (helper G2's pages).
urlpatterns += [path("", include("integrity.urls_risk"))]

# 三重一大 register and service rating cards.
urlpatterns += [path("", include("integrity.urls_decisions")), path("", include("integrity.urls_ratings"))]
