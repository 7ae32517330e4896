"""The one domain exception that services raise for anything a user can cause.

Views show it as a form error or a message; the API returns it as JSON through
`core.api.exceptions.exception_handler` with the status its kind maps to.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused action, with a translated message for the person who tried it.

    `code` is a stable machine-readable identifier (e.g. ``transition_not_allowed``); `field` names the input
    that is wrong, when there is one; `kind` picks the HTTP status in the API.
    """

    status_by_kind = {"invalid": 400, "forbidden": 403, "not_found": 404, "conflict": 409}

    def __init__(self, message, *, code="invalid", field=None, kind="invalid", params=None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
        self.kind = kind if kind in self.status_by_kind else "invalid"
        self.params = params or {}

    @property
    def status_code(self):
        return self.status_by_kind[self.kind]

    def __str__(self):
        return str(self.message)


class PermissionDenied(DomainError):
    """The actor may not do this."""

    def __init__(self, message=None, *, code="forbidden", **kwargs):
        super().__init__(message or _("You are not allowed to do this."), code=code, kind="forbidden", **kwargs)


class Conflict(DomainError):
    """The record is not in a state that allows this (e.g. a forbidden status transition)."""

    def __init__(self, message, *, code="conflict", **kwargs):
        super().__init__(message, code=code, kind="conflict", **kwargs)
