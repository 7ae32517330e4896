"""Downloading an attachment: only through this view, which asks the owning record's app (DESIGN §4.5)."""

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from core.attachments import INLINE_CONTENT_TYPES, can_download
from core.models import Attachment

# The file itself may run nothing and load nothing; object-src 'self' keeps the browser's PDF viewer
# working for PDFs shown inline.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"


@require_safe
@xframe_options_sameorigin
def attachment_download(request, token):
    """The file behind `token` for a user allowed to see it (`core.attachments.can_download`): 404 for
    everyone else, whether the token exists or not; anonymous visitors are asked to sign in first."""
    attachment = Attachment.objects.filter(token=token).first()
    if attachment is None or not can_download(request.user, attachment):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = attachment.content_type
    if content_type == "text/plain":
        content_type = "text/plain; charset=utf-8"
    response = FileResponse(
        handle,
        as_attachment=attachment.content_type not in INLINE_CONTENT_TYPES,
        filename=attachment.original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    # Files of confidential records must not linger in shared caches or the browser's.
    response["Cache-Control"] = "private, no-store"
    return response
