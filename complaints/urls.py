"""Pages of the 吐槽区, mounted at /complaints/ by portal/urls.py."""

from django.urls import path

from complaints.views import disclosure, intake, officials, receipt

app_name = "complaints"

urlpatterns = [
    # intake
    path("new/", intake.ticket_new, name="new"),
    path("register/", intake.ticket_register, name="register"),
    path("receipt/", receipt.receipt, name="receipt"),
    path("qr/", intake.qr_posters, name="qr-posters"),
    path("qr/<slug:code>.png", intake.qr_poster_png, name="qr-png"),
    path("qr/<slug:code>.pdf", intake.qr_poster_pdf, name="qr-pdf"),
    path("qr/<slug:code>/<int:department>.png", intake.qr_poster_png, name="qr-department-png"),
    path("qr/<slug:code>/<int:department>.pdf", intake.qr_poster_pdf, name="qr-department-pdf"),
    # lists and queues
    path("", officials.ticket_list, name="ticket-list"),
    path("export.xlsx", officials.ticket_export, name="ticket-export"),
    path("mine/", officials.ticket_list, {"kind": "mine"}, name="mine"),
    path("lists/<slug:kind>/", officials.ticket_list, name="queue"),
    path("lists/<slug:kind>/export.xlsx", officials.ticket_export, name="queue-export"),
    # one ticket
    path("tickets/<int:pk>/", officials.ticket_detail, name="ticket-detail"),
    path("tickets/<int:pk>/actions/<slug:action>/", officials.ticket_action, name="ticket-action"),
    path(
        "tickets/<int:pk>/duplicates/<int:suggestion>/dismiss/",
        officials.duplicate_dismiss,
        name="duplicate-dismiss",
    ),
    path("tickets/<int:pk>/acknowledgement/", intake.acknowledgement, name="acknowledgement"),
    path("tickets/<int:pk>/acknowledgement.pdf", intake.acknowledgement_download, name="acknowledgement-pdf"),
    path("tickets/<int:pk>/print/", officials.ticket_print, name="ticket-print"),
    path("tickets/<int:pk>/print.pdf", officials.ticket_print_pdf, name="ticket-print-pdf"),
    # published answer lists
    path("answers/", disclosure.batch_list, name="batch-list"),
    path("answers/<int:pk>/", disclosure.batch_detail, name="batch-detail"),
    path("answers/<int:pk>.xlsx", disclosure.batch_export, name="batch-export"),
    path("answers/publish/<slug:code>/", disclosure.batch_publish, name="batch-publish"),
]
