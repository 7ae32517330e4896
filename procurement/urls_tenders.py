"""Pages of suppliers and tenders (included by `procurement.urls`, app namespace "procurement")."""

from django.urls import path

from procurement.views import suppliers, tenders

urlpatterns = [
    path("tenders/", tenders.tender_list, name="tender-list"),
    path("tenders/manage/", tenders.tender_manage, name="tender-manage"),
    path("tenders/new/", tenders.tender_create, name="tender-create"),
    path("tenders/<int:pk>/", tenders.tender_detail, name="tender-detail"),
    path("tenders/<int:pk>/edit/", tenders.tender_edit, name="tender-edit"),
    path("tenders/<int:pk>/publish/", tenders.tender_publish, name="tender-publish"),
    path("tenders/<int:pk>/justification/", tenders.tender_justify, name="tender-justify"),
    path("tenders/<int:pk>/notices/", tenders.tender_change, name="tender-change"),
    path("tenders/<int:pk>/close/", tenders.tender_close, name="tender-close"),
    path("tenders/<int:pk>/fail/", tenders.tender_fail, name="tender-fail"),
    path("tenders/<int:pk>/cancel/", tenders.tender_cancel, name="tender-cancel"),
    path("tenders/<int:pk>/retender/", tenders.tender_retender, name="tender-retender"),
    path("tenders/<int:pk>/questions/", tenders.question_ask, name="tender-ask"),
    path("tenders/<int:pk>/questions/<int:question_pk>/answer/", tenders.question_answer, name="tender-answer"),
    path("suppliers/", suppliers.supplier_directory, name="supplier-directory"),
    path("suppliers/mine/", suppliers.my_suppliers, name="my-suppliers"),
    path("suppliers/register/", suppliers.supplier_register, name="supplier-register"),
    path("suppliers/review/", suppliers.supplier_review, name="supplier-review"),
    path("suppliers/<int:pk>/", suppliers.supplier_detail, name="supplier-detail"),
    path("suppliers/<int:pk>/qualifications/", suppliers.qualification_add, name="qualification-add"),
    path("suppliers/<int:pk>/<str:verb>/", suppliers.supplier_decide, name="supplier-decide"),
]
