"""Pages of procurement (mounted at /procurement/), one module per stage."""

from django.urls import include, path

app_name = "procurement"

urlpatterns = [
    path("", include("procurement.urls_public")),
    path("", include("procurement.urls_tenders")),
    path("", include("procurement.urls_bids")),
    path("", include("procurement.urls_evaluation")),
    path("", include("procurement.urls_flags")),
]
