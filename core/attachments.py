"""Attachments (DESIGN §4.5): uploads validated by their content, stored under a random name outside
static/, and served only through `core.views.attachments.attachment_download`.

This module holds the rules; the two state changes live with core's other services and are importable
from here too:

- `attachment_create` (`core.services`) checks the size limit and recognises the type from the bytes
  (`detect_kind`: never from the name or the browser's claim) against an allow-list, re-encodes images
  without their EXIF/GPS metadata (`clean_image`), stores the file and writes ``attachment.uploaded``.
- `attachment_attach` (`core.services`) links an upload to the record it belongs to (``attachment.attached``).
- `register_attachment_access` lets each app say who may download the files of its records; an upload that
  is not attached yet is visible to its uploader only (`can_download`).
"""

import os
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, ImageSequence

from core.audit import target_label
from core.errors import DomainError
from core.models import Attachment


@dataclass(frozen=True)
class FileKind:
    content_type: str
    label: str
    extensions: tuple
    image_format: str = ""  # Pillow's format name, for images only
    inline: bool = False  # shown in the browser rather than downloaded


JPEG = FileKind("image/jpeg", "JPEG", (".jpg", ".jpeg"), "JPEG", True)
PNG = FileKind("image/png", "PNG", (".png",), "PNG", True)
GIF = FileKind("image/gif", "GIF", (".gif",), "GIF", True)
WEBP = FileKind("image/webp", "WebP", (".webp",), "WEBP", True)
PDF = FileKind("application/pdf", "PDF", (".pdf",), inline=True)
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", (".docx",))
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", (".xlsx",))
PPTX = FileKind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint", (".pptx",))
DOC = FileKind("application/msword", "Word 97-2003", (".doc",))
XLS = FileKind("application/vnd.ms-excel", "Excel 97-2003", (".xls",))
TEXT = FileKind("text/plain", _("plain text"), (".txt",))

ALLOWED_KINDS = (JPEG, PNG, GIF, WEBP, PDF, DOCX, XLSX, PPTX, DOC, XLS, TEXT)
INLINE_CONTENT_TYPES = frozenset(kind.content_type for kind in ALLOWED_KINDS if kind.inline)

# OOXML: (folder of the main part, the main part's content type in [Content_Types].xml, kind).
_OOXML_PARTS = (
    ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", DOCX),
    ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", XLSX),
    ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", PPTX),
)
# OLE2 compound files (legacy Office, but also .msi installers): the stream that makes one a document.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_STREAMS = (("WordDocument", DOC), ("Workbook", XLS), ("Book", XLS))
_MARKUP_STARTS = ("<!doctype", "<html", "<svg", "<?xml", "<script", "<head", "<body", "<iframe", "<object")
_KEEP_IMAGE_INFO = ("icc_profile", "transparency", "duration", "loop", "background", "disposal", "blend", "dpi")
_MAX_PIXELS = 60_000_000

ALLOWED_DESCRIPTION = _(
    "Allowed are images (JPEG, PNG, GIF, WebP), PDF, Word, Excel and PowerPoint documents, and plain text."
)


def _not_allowed(detected):
    return DomainError(
        _("The file's content is not an allowed type (detected: %(detected)s). %(allowed)s")
        % {"detected": detected, "allowed": ALLOWED_DESCRIPTION},
        code="attachment_type_not_allowed",
        field="file",
    )


def _damaged(kind):
    return DomainError(
        _("The file looks like %(kind)s but cannot be read: it is damaged or incomplete.") % {"kind": kind},
        code="attachment_damaged",
        field="file",
    )


# --- recognising the type ------------------------------------------------------------------------------------


def _ooxml_kind(data):
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names:
            raise _not_allowed(_("a ZIP archive"))
        # The manifest is small; reading a bounded prefix keeps a crafted archive from inflating for ever.
        with archive.open("[Content_Types].xml") as manifest:
            content_types = manifest.read(1024 * 1024).decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, RuntimeError) as exc:
        raise _damaged(_("a ZIP-based Office document")) from exc
    if "macroEnabled" in content_types or any(name.lower().endswith("vbaproject.bin") for name in names):
        raise DomainError(_("Office documents with macros are not accepted."), code="attachment_macros", field="file")
    for folder, main_type, kind in _OOXML_PARTS:
        if main_type in content_types and any(name.startswith(folder) for name in names):
            return kind
    raise _not_allowed(_("a ZIP archive that is not a Word, Excel or PowerPoint document"))


def _ole_kind(data):
    for stream, kind in _OLE_STREAMS:
        needle = stream.encode("utf-16-le") + b"\x00\x00"
        start = 0
        while (at := data.find(needle, start)) != -1:
            start = at + 1
            # A directory entry is 128-byte aligned: name (64 bytes), name length in bytes with the
            # terminator (uint16), object type (1 byte, 2 = stream).
            if at % 128 or len(data) < at + 67:
                continue
            name_length = int.from_bytes(data[at + 64 : at + 66], "little")
            if name_length == len(needle) and data[at + 66] == 2:
                return kind
    raise _not_allowed(_("an OLE2 compound file that is not a Word or Excel document"))


def _looks_like_markup(text):
    head = text[:2048].lstrip().lower()
    return head.startswith(_MARKUP_STARTS) or "<script" in head or "<html" in head


def _text_kind(data, name):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    if _looks_like_markup(text):
        raise _not_allowed("text/html")
    if not name.lower().endswith(".txt"):
        raise DomainError(
            _("Plain text is accepted only in a file named .txt (this one is named %(name)s).") % {"name": name},
            code="attachment_type_not_allowed",
            field="file",
        )
    return TEXT


def detect_kind(data, name=""):
    """The allowed `FileKind` of `data`, recognised from its bytes; `name` only decides whether text without
    markup may be plain text. Raises `DomainError` naming what was detected otherwise."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_kind(data)
    if data.startswith(_OLE_MAGIC):
        return _ole_kind(data)
    kind = _text_kind(data, name)
    if kind is not None:
        return kind
    guessed = filetype.guess(data[:8192])
    raise _not_allowed(guessed.mime if guessed else _("unknown binary data"))


# --- images --------------------------------------------------------------------------------------------------


def _clean_info(info):
    return {key: info[key] for key in _KEEP_IMAGE_INFO if key in info}


def _reencode_image(image, kind):
    """The image saved again from its pixels alone: EXIF (GPS, camera, owner), XMP and comments are left
    behind. The EXIF orientation is applied to the pixels first, so the picture still stands upright."""
    options = {"format": kind.image_format}
    if kind is JPEG:
        options.update(quality=90, optimize=True)
    elif kind is WEBP:
        options.update(quality=90)
    if "icc_profile" in image.info:
        options["icc_profile"] = image.info["icc_profile"]
    output = BytesIO()
    if getattr(image, "is_animated", False):
        frames = []
        for frame in ImageSequence.Iterator(image):
            copy = frame.copy()
            copy.info = _clean_info(frame.info)
            frames.append(copy)
        frames[0].save(output, save_all=True, append_images=frames[1:], **options)
    else:
        upright = ImageOps.exif_transpose(image)
        upright.info = _clean_info(image.info)
        upright.save(output, **options)
    return output.getvalue()


def clean_image(data, kind, strip_metadata=True):
    """The image's bytes after decoding it fully (a damaged or oversized image is refused), re-encoded
    without metadata unless ``strip_metadata=False``."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data)) as image:
                if image.format != kind.image_format:
                    raise _damaged(kind.label)
                if image.width * image.height > _MAX_PIXELS:
                    raise DomainError(
                        _("The image is too large: %(width)s × %(height)s pixels.")
                        % {"width": image.width, "height": image.height},
                        code="attachment_too_many_pixels",
                        field="file",
                    )
                image.load()
                return _reencode_image(image, kind) if strip_metadata else data
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise DomainError(
                _("The image is too large to be processed."), code="attachment_too_many_pixels", field="file"
            ) from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _damaged(kind.label) from exc


# --- reading an upload ---------------------------------------------------------------------------------------


def read_upload(file):
    """The uploaded file's bytes, refused when empty or over ``ATTACHMENT_MAX_BYTES`` (checked while reading,
    whatever size the upload claims)."""
    limit = settings.ATTACHMENT_MAX_BYTES
    declared = getattr(file, "size", None)
    if declared is not None and declared > limit:
        raise _too_large(declared, limit)
    file.seek(0)
    chunks, total = [], 0
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b""):
        total += len(chunk)
        if total > limit:
            raise _too_large(declared if declared and declared > total else total, limit)
        chunks.append(chunk)
    if total == 0:
        raise DomainError(_("The file is empty."), code="attachment_empty", field="file")
    return b"".join(chunks)


def _too_large(size, limit):
    return DomainError(
        _("The file is too large: %(size)s; the limit is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        code="attachment_too_large",
        field="file",
    )


def clean_name(name, kind):
    """The name to keep and offer on download."""
    # Browsers send a bare name, API clients anything: keep the last path component, and make the extension
    # say what the content is so that the downloaded file opens in the right program.
    base = os.path.basename(str(name or "").replace("\\", "/")).strip().replace("\x00", "") or "attachment"
    if not base.lower().endswith(kind.extensions):
        base = f"{base}{kind.extensions[0]}"
    if len(base) > 200:
        stem, ext = os.path.splitext(base)
        base = stem[: 200 - len(ext)] + ext
    return base


# --- access --------------------------------------------------------------------------------------------------

_ACCESS: dict[str, Callable] = {}


def register_attachment_access(target_type, can_view):
    """Say who may download the files attached to one kind of record.

    `target_type` is the model (or its ``app_label.modelname``, as `core.audit.target_label` spells it);
    `can_view(user, target_id) -> bool` receives the record's id as a string and the user, who may be
    anonymous (for public records). Call it from the app's AppConfig.ready().
    """
    if not isinstance(target_type, str):
        target_type = target_type._meta.label_lower
    _ACCESS[target_type] = can_view


def can_download(user, attachment):
    """Whether `user` may download `attachment`: its uploader while it is not attached to a record, then
    whoever the record's app allows. Files of a kind of record no app has registered are nobody's."""
    if not attachment.target_type:
        return bool(getattr(user, "is_authenticated", False)) and attachment.uploaded_by_id == user.pk
    checker = _ACCESS.get(attachment.target_type)
    if checker is None:
        return False
    return bool(checker(user, attachment.target_id))


def target_text(attachment):
    return f"{attachment.target_type}:{attachment.target_id}" if attachment.target_type else ""


def attachments_for(target):
    """The files attached to a record, in upload order (for the record's page; the caller has already
    checked that the user may see the record)."""
    target_type, target_id = target_label(target)
    return Attachment.objects.filter(target_type=target_type, target_id=target_id).order_by("created_at", "id")


def __getattr__(name):
    # The services are defined in core.services (where the convention checks expect state changes); importing
    # them lazily keeps `from core.attachments import attachment_create` working without an import cycle.
    if name in {"attachment_create", "attachment_attach"}:
        from core import services

        return getattr(services, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
