"""Pages of red flags (included by `procurement.urls` into the ``procurement`` namespace)."""

from django.urls import path

from procurement.views import flags

urlpatterns = [
    path("red-flags/", flags.flag_list, name="flag-list"),
    path("red-flags/<int:pk>/", flags.flag_detail, name="flag-detail"),
    path("red-flags/<int:pk>/confirm/", flags.flag_confirm, name="flag-confirm"),
    path("red-flags/<int:pk>/dismiss/", flags.flag_dismiss, name="flag-dismiss"),
]
