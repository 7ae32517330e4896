"""One exception handler for the whole API: every error is JSON with a clear, translated message.

Shape: ``{"error": {"code": "...", "message": "...", "fields": {...}}}`` plus DRF's usual ``detail`` key so
generic clients keep working. `page_not_found` and `server_error` (portal.urls' handler404/handler500) give
the same shape to paths under /api/ that no view answered, and leave the HTML pages to Django's defaults.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.errors import DomainError


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [force_str(item) if not isinstance(item, dict | list) else _flatten(item) for item in detail]
    return force_str(detail)


def _first_message(detail):
    if isinstance(detail, dict):
        detail = next(iter(detail.values()), "")
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
    return _first_message(detail) if isinstance(detail, dict | list) else force_str(detail)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "message": force_str(exc.message)}
        if exc.field:
            body["fields"] = {exc.field: [force_str(exc.message)]}
        # Like DRF's own handler: a request-wide transaction (ATOMIC_REQUESTS) must not commit a refused action.
        set_rollback()
        return Response({"error": body, "detail": body["message"]}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError(exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail) if isinstance(exc.detail, dict) else {"non_field_errors": _flatten(exc.detail)}
        body = {
            "code": "invalid",
            "message": _("The input is not valid: %(reason)s") % {"reason": _first_message(fields)},
            "fields": fields,
        }
        response.data = {"error": body, "detail": body["message"]}
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    detail = getattr(exc, "detail", None)
    message = force_str(detail) if detail is not None else force_str(exc)
    code = getattr(exc, "default_code", "error")
    response.data = {"error": {"code": code, "message": message}, "detail": message}
    return response


def _is_api(request):
    return request.path.startswith("/api/")


def _error_json(code, message, status_code):
    body = {"error": {"code": code, "message": message}, "detail": message}
    return JsonResponse(body, status=status_code, json_dumps_params={"ensure_ascii": False})


def page_not_found(request, exception):
    """handler404: JSON under /api/ (an unknown endpoint), Django's page elsewhere."""
    if _is_api(request):
        return _error_json("not_found", _("Not found."), status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: JSON under /api/, Django's page elsewhere. The error itself is logged by Django."""
    if _is_api(request):
        return _error_json("server_error", _("A server error occurred."), status.HTTP_500_INTERNAL_SERVER_ERROR)
    return defaults.server_error(request)
