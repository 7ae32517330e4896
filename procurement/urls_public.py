"""Pages of procurement transparency: the public notices board, open data (OCDS) and the auditors' dossier."""

from django.urls import path

from procurement.views import dossier, public

urlpatterns = [
    path("notices/", public.notices, name="notices"),
    path("ocds/", public.open_data, name="ocds"),
    path("ocds/<slug:code>.json", public.park_package, name="ocds-park"),
    path("tenders/<int:pk>/dossier/", dossier.dossier, name="dossier"),
    path("tenders/<int:pk>/dossier.xlsx", dossier.dossier_export, name="dossier-export"),
]
