"""One exception handler for the whole API: every error is JSON with a clear, translated message.

Shape: ``{"error": {"code": "...", "message": "...", "fields": {...}}}`` plus DRF's usual ``detail`` key so
generic clients keep working.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [force_str(item) if not isinstance(item, dict | list) else _flatten(item) for item in detail]
    return force_str(detail)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "message": force_str(exc.message)}
        if exc.field:
            body["fields"] = {exc.field: [force_str(exc.message)]}
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
        first = next(iter(fields.values()), [])
        first_message = first[0] if isinstance(first, list) and first else force_str(first)
        body = {
            "code": "invalid",
            "message": _("The input is not valid: %(reason)s") % {"reason": first_message},
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
