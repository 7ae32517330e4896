"""The portal's URLs plus two bare JSON views, the floor against which `bench/run.py` compares the real
endpoints: same middleware, same gunicorn, same PostgreSQL, but no framework above Django and no query
beyond one primary-key lookup (or none)."""

from django.http import JsonResponse
from django.urls import path

from parks.models import Park
from portal.urls import handler404, handler500
from portal.urls import urlpatterns as portal_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def bare_json(request):
    return JsonResponse({"ok": True})


def bare_json_query(request):
    park = Park.objects.filter(pk=request.GET.get("park") or 0).values("id", "code", "name").first()
    return JsonResponse({"park": park})


urlpatterns = [
    path("bench/bare/", bare_json),
    path("bench/bare-query/", bare_json_query),
    *portal_urlpatterns,
]
