"""Top-level URLs: pages under language-neutral paths (the language is chosen by cookie/header), the REST API
under /api/v1/, its schema and local documentation, and the admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, downloaded under an ASCII file name (the Chinese title would be mangled into an
    RFC 2047 header)."""

    def _get_filename(self, request, version):
        renderer = self.perform_content_negotiation(request, force=True)[0]
        return f"qinglian-yuanqu-api.{renderer.format}"


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("parks/", include("parks.urls")),
    path("integrity/", include("integrity.urls")),
    path("complaints/", include("complaints.urls")),
    path("procurement/", include("procurement.urls")),
    path("open311/v2/", include("complaints.open311_urls")),
    path("api/v1/", include("portal.api_urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up code as a script file: the CSP forbids inline scripts.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc's page is templates/drf_spectacular/redoc.html: no web fonts, no inline script.
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("core.urls")),
]

# Unknown paths under /api/ answer in the API's JSON error shape; pages keep Django's (templates/404.html).
handler404 = "core.api.exceptions.page_not_found"
handler500 = "core.api.exceptions.server_error"

admin.site.site_header = "清廉园区"
admin.site.site_title = "清廉园区"
