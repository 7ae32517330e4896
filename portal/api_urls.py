"""The /api/v1/ router: each app contributes its routes from its own api/urls.py."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("parks.api.urls")),
    path("", include("accounts.api.urls")),
    path("", include("core.api.urls")),
    path("integrity/", include("integrity.api.urls")),
    path("complaints/", include("complaints.api.urls")),
    path("procurement/", include("procurement.api.urls")),
]
