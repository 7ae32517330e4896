"""The API's error format (core/api/exceptions.py): every error is JSON with a code and a translated message.

The views below exist only for these tests; the tests that use them route through this module
(``pytest.mark.urls``), the others go through the portal's own URLs.
"""

import re

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Notification
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


class NameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=5)


class ErrorView(APIView):
    permission_classes = [permissions.AllowAny]

    def get(self, request, kind):
        if kind == "invalid":
            # A msgid Django itself translates, so the test does not depend on the portal's catalogue.
            raise DomainError(_("Enter a valid value."), code="bad_value", field="name")
        if kind == "forbidden":
            raise PermissionDenied(_("Enter a valid value."))
        if kind == "conflict":
            raise Conflict(_("Enter a valid value."), code="transition_not_allowed")
        if kind == "django-validation":
            raise DjangoValidationError({"name": [_("Enter a valid value.")]})
        if kind == "missing":
            get_object_or_404(Notification, pk=0)
        return Response({})

    def post(self, request, kind):
        NameSerializer(data=request.data).is_valid(raise_exception=True)
        return Response({})


class WriteThenRefuseView(APIView):
    permission_classes = [permissions.AllowAny]

    def post(self, request):
        UserFactory(username="written-before-refusal")
        raise Conflict(_("Enter a valid value."))


class DenyView(APIView):
    permission_classes = [permissions.IsAuthenticated, permissions.IsAdminUser]

    def get(self, request):
        return Response({})


class BrokenView(APIView):
    permission_classes = [permissions.AllowAny]

    def get(self, request):
        raise RuntimeError("a bug")


urlpatterns = [
    path("api/test/errors/<str:kind>/", ErrorView.as_view()),
    path("api/test/write-then-refuse/", WriteThenRefuseView.as_view()),
    path("api/test/admin-only/", DenyView.as_view()),
    path("api/test/broken/", BrokenView.as_view()),
    path("", include("portal.urls")),
]
handler404 = "core.api.exceptions.page_not_found"
handler500 = "core.api.exceptions.server_error"

uses_test_views = pytest.mark.urls(__name__)


def get(client, url, language="en", **kwargs):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language, **kwargs)


# --- shape and status ---------------------------------------------------------------------------------------


@uses_test_views
def test_an_invalid_domain_error_is_400_with_code_message_and_field(client):
    response = get(client, "/api/test/errors/invalid/")
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "bad_value"
    assert body["error"]["message"] == "Enter a valid value."
    assert body["error"]["fields"] == {"name": ["Enter a valid value."]}
    assert body["detail"] == "Enter a valid value."


@uses_test_views
def test_a_forbidden_domain_error_is_403(client):
    response = get(client, "/api/test/errors/forbidden/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


@uses_test_views
def test_a_conflict_is_409(client):
    response = get(client, "/api/test/errors/conflict/")
    assert response.status_code == 409
    assert response.json()["error"] == {"code": "transition_not_allowed", "message": "Enter a valid value."}


@uses_test_views
def test_a_refused_action_rolls_back_a_request_wide_transaction(client, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    response = client.post("/api/test/write-then-refuse/")
    assert response.status_code == 409
    assert not UserFactory._meta.model.objects.filter(username="written-before-refusal").exists()


@uses_test_views
def test_a_drf_validation_error_is_400_with_the_field_messages(client):
    response = client.post("/api/test/errors/x/", {"name": "far too long"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"name": ["Ensure this field has no more than 5 characters."]}
    assert "Ensure this field has no more than 5 characters." in error["message"]


@uses_test_views
def test_a_django_validation_error_is_400_with_the_field_messages(client):
    response = get(client, "/api/test/errors/django-validation/")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"name": ["Enter a valid value."]}


@uses_test_views
def test_a_missing_object_is_a_json_404(client):
    response = get(client, "/api/test/errors/missing/")
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "message": "Not found."}


def test_an_unknown_api_path_is_a_json_404(client):
    response = get(client, "/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["message"] == "Not found."


def test_an_unknown_page_is_not_json(client):
    response = get(client, "/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


@uses_test_views
def test_an_api_crash_is_a_json_500(client):
    client.raise_request_exception = False
    response = get(client, "/api/test/broken/")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


def test_an_anonymous_request_is_401_json_with_the_token_scheme(client):
    response = get(client, "/api/v1/notifications/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"] == {
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
    }


@uses_test_views
def test_a_signed_in_user_without_permission_gets_403_json(client):
    client.force_login(UserFactory())
    response = get(client, "/api/test/admin-only/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_an_invalid_token_is_401_json(client):
    response = get(client, "/api/v1/notifications/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


# --- language --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "chinese"),
    [("zh-hans", True), ("en", False)],
)
def test_authentication_errors_follow_the_requested_language(client, language, chinese):
    message = get(client, "/api/v1/notifications/", language=language).json()["error"]["message"]
    assert bool(CJK.search(message)) is chinese


@pytest.mark.parametrize(
    ("language", "chinese"),
    [("zh-hans", True), ("en", False)],
)
@uses_test_views
def test_domain_errors_follow_the_requested_language(client, language, chinese):
    message = get(client, "/api/test/errors/conflict/", language=language).json()["error"]["message"]
    assert bool(CJK.search(message)) is chinese


@pytest.mark.parametrize(
    ("language", "chinese"),
    [("zh-hans", True), ("en", False)],
)
@uses_test_views
def test_validation_errors_follow_the_requested_language(client, language, chinese):
    response = client.post("/api/test/errors/x/", {}, HTTP_ACCEPT_LANGUAGE=language)
    (field_message,) = response.json()["error"]["fields"]["name"]
    assert bool(CJK.search(field_message)) is chinese


@pytest.mark.parametrize(
    ("language", "chinese"),
    [("zh-hans", True), ("en", False)],
)
def test_not_found_follows_the_requested_language(client, language, chinese):
    message = get(client, "/api/v1/no-such-endpoint/", language=language).json()["error"]["message"]
    assert bool(CJK.search(message)) is chinese
