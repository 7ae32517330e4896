"""Open311 GeoReport v2 routes (JSON), mounted at /open311/v2/ by portal/urls.py."""

from django.urls import path

from complaints import open311

app_name = "open311"

urlpatterns = [
    path("services.json", open311.services, name="services"),
    path("requests.json", open311.requests, name="requests"),
    path("requests/<str:number>.json", open311.request_detail, name="request"),
]
