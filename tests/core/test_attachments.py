"""Attachments (DESIGN §4.5): validated by content, stripped of image metadata, served only to who may see
them."""

import hashlib
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from core import attachments as attachments_module
from core.attachments import (
    attachment_attach,
    attachment_create,
    attachments_for,
    can_download,
    register_attachment_access,
)
from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied
from tests.accounts.factories import UserFactory
from tests.parks.factories import ParkFactory

pytestmark = pytest.mark.django_db


# --- sample files ------------------------------------------------------------------------------------------------


def jpeg_with_gps(size=(40, 20), orientation=6):
    image = Image.new("RGB", size, "red")
    image.paste((0, 0, 255), (0, 0, size[0] // 2, size[1]))  # left half blue: shows where "up" went
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "间谍相机"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (18.0, 18.0, 36.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (109.0, 10.0, 12.0),
    }
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"taken at the accused's house")
    return buffer.getvalue()


def png_bytes():
    buffer = BytesIO()
    Image.new("RGBA", (8, 8), (0, 128, 0, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def ooxml(folder, main_part, main_type, extra=()):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/{folder}{main_part}" ContentType="{main_type}"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}{main_part}", "<document/>")
        for name, content in extra:
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def ole(stream_name):
    """A compound file whose directory (sector 0, right after the 512-byte header) holds one stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    name = stream_name.encode("utf-16-le") + b"\x00\x00"
    entry = name.ljust(64, b"\x00") + len(name).to_bytes(2, "little") + b"\x02" + b"\x00" * 61
    return header + entry + b"\x00" * (512 - len(entry))


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def uploader(db):
    return UserFactory(username="uploader")


@pytest.fixture
def park(db):
    return ParkFactory(code="ATT", name="附件园区")


@pytest.fixture
def access_registry():
    saved = dict(attachments_module._ACCESS)
    yield
    attachments_module._ACCESS.clear()
    attachments_module._ACCESS.update(saved)


def create(name, content, *, actor, park=None, **kwargs):
    return attachment_create(file=upload(name, content), actor=actor, park=park, **kwargs)


# --- type by content -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("现场照片.jpg", jpeg_with_gps(), "image/jpeg"),
        ("截图.png", png_bytes(), "image/png"),
        ("合同.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "application/pdf"),
        (
            "整改报告.docx",
            ooxml("word/", "document.xml", DOCX_MAIN),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "台账.xlsx",
            ooxml("xl/", "workbook.xml", XLSX_MAIN),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("旧报告.doc", ole("WordDocument"), "application/msword"),
        ("旧台账.xls", ole("Workbook"), "application/vnd.ms-excel"),
        ("说明.txt", "企业反映：审批超时。\n".encode(), "text/plain"),
    ],
)
def test_allowed_types_are_recognised_by_their_content(uploader, name, content, content_type):
    attachment = create(name, content, actor=uploader)
    assert attachment.content_type == content_type
    assert attachment.original_name == name


def test_an_executable_named_pdf_is_refused(uploader):
    with pytest.raises(DomainError) as error:
        create("发票.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, actor=uploader)
    assert error.value.code == "attachment_type_not_allowed"
    assert "application/x-msdownload" in str(error.value)


def test_an_html_page_named_pdf_is_refused(uploader):
    with pytest.raises(DomainError) as error:
        create("通知.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", actor=uploader)
    assert "text/html" in str(error.value)


def test_plain_text_is_accepted_only_under_a_txt_name(uploader):
    with pytest.raises(DomainError) as error:
        create("报告.pdf", "只是一段文字".encode(), actor=uploader)
    assert "报告.pdf" in str(error.value)


def test_text_that_is_not_utf8_is_refused(uploader):
    with pytest.raises(DomainError):
        create("说明.txt", "企业反映".encode("gb18030") + b"\x00\x81", actor=uploader)


def test_a_zip_that_is_not_an_office_document_is_refused(uploader):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    with pytest.raises(DomainError) as error:
        create("报告.docx", buffer.getvalue(), actor=uploader)
    assert "ZIP" in str(error.value)


def test_an_office_document_with_macros_is_refused(uploader):
    content = ooxml("word/", "document.xml", DOCX_MAIN, extra=[("word/vbaProject.bin", b"\x00macro")])
    with pytest.raises(DomainError) as error:
        create("报告.docx", content, actor=uploader)
    assert error.value.code == "attachment_macros"


def test_a_compound_file_that_is_not_word_or_excel_is_refused(uploader):
    # An .msi installer is an OLE2 compound file too.
    with pytest.raises(DomainError) as error:
        create("安装包.doc", ole("SummaryInformation"), actor=uploader)
    assert "OLE2" in str(error.value)


def test_a_truncated_image_is_refused(uploader):
    with pytest.raises(DomainError) as error:
        create("照片.jpg", jpeg_with_gps()[:120], actor=uploader)
    assert error.value.code == "attachment_damaged"


def test_the_extension_is_corrected_to_match_the_content(uploader):
    attachment = create("scan.pdf", png_bytes(), actor=uploader)
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "scan.pdf.png"


def test_a_path_in_the_file_name_is_dropped(uploader):
    attachment = create("../../etc/说明.txt", b"hello", actor=uploader)
    assert attachment.original_name == "说明.txt"


# --- size ---------------------------------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_naming_both_sizes(uploader, settings):
    settings.ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
    with pytest.raises(DomainError) as error:
        create("大文件.txt", b"a" * (25 * 1024 * 1024), actor=uploader)
    assert error.value.code == "attachment_too_large"
    message = str(error.value)
    assert "25.0" in message
    assert "20.0" in message


def test_an_empty_file_is_refused(uploader):
    with pytest.raises(DomainError) as error:
        create("空.txt", b"", actor=uploader)
    assert error.value.code == "attachment_empty"


# --- image metadata ----------------------------------------------------------------------------------------


def stored_image(attachment):
    with attachment.file.open("rb") as handle:
        image = Image.open(BytesIO(handle.read()))
        image.load()
    return image


def test_gps_and_other_exif_are_stripped_from_a_jpeg(uploader):
    image = stored_image(create("现场.jpg", jpeg_with_gps(), actor=uploader))
    exif = image.getexif()
    assert dict(exif) == {}
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert "comment" not in image.info


def test_the_orientation_is_kept_by_turning_the_pixels(uploader):
    # Orientation 6 means "rotate 90° clockwise to display": the 40×20 picture shows as 20×40 with blue on top.
    image = stored_image(create("现场.jpg", jpeg_with_gps(size=(40, 20), orientation=6), actor=uploader))
    assert image.size == (20, 40)
    red, green, blue = image.convert("RGB").getpixel((10, 5))
    assert blue > 200 and red < 60


def test_an_animated_gif_keeps_its_frames_and_loses_its_comment(uploader):
    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "green", "blue")]
    buffer = BytesIO()
    frames[0].save(
        buffer, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0, comment=b"secret"
    )
    image = stored_image(create("动图.gif", buffer.getvalue(), actor=uploader))
    assert image.n_frames == 3
    assert "comment" not in image.info


def test_metadata_is_kept_when_the_caller_asks(uploader):
    image = stored_image(create("原图.jpg", jpeg_with_gps(), actor=uploader, strip_metadata=False))
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)


# --- storage and audit ------------------------------------------------------------------------------------------


def test_the_stored_file_has_a_random_name_outside_static_and_its_hash(uploader):
    content = "内容".encode()
    attachment = create("说明.txt", content, actor=uploader)
    path = Path(attachment.file.path)
    assert path.name == attachment.token
    assert Path(settings.MEDIA_ROOT) in path.parents
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content)
    assert path.read_bytes() == content


def test_an_upload_is_recorded_in_the_audit_trail(uploader, park):
    attachment = create("说明.txt", b"hello", actor=uploader, park=park)
    (event,) = events_for(attachment)
    assert event.action == "attachment.uploaded"
    assert event.actor_id == uploader.pk
    assert event.park_id == park.pk
    assert event.data["sha256"] == attachment.sha256


def test_an_anonymous_upload_is_audited_without_an_actor(db):
    attachment = create("匿名.txt", b"hello", actor=None)
    (event,) = events_for(attachment)
    assert event.actor_id is None
    assert event.actor_kind == "anonymous"


# --- attaching -----------------------------------------------------------------------------------------------------


def test_attaching_links_the_file_to_the_record_and_is_audited(uploader):
    attachment = create("说明.txt", b"hello", actor=uploader)
    attachment_attach(attachment=attachment, target=("tests.record", "7"), actor=uploader)
    attachment.refresh_from_db()
    assert (attachment.target_type, attachment.target_id) == ("tests.record", "7")
    assert list(attachments_for(("tests.record", 7))) == [attachment]
    assert [e.action for e in events_for(attachment)] == ["attachment.uploaded", "attachment.attached"]


def test_only_the_uploader_may_attach_their_upload(uploader):
    attachment = create("说明.txt", b"hello", actor=uploader)
    with pytest.raises(PermissionDenied):
        attachment_attach(attachment=attachment, target=("tests.record", "7"), actor=UserFactory())


def test_a_file_attached_to_one_record_cannot_move_to_another(uploader):
    attachment = create("说明.txt", b"hello", actor=uploader, target=("tests.record", "7"))
    with pytest.raises(Conflict):
        attachment_attach(attachment=attachment, target=("tests.record", "8"), actor=uploader)


def test_attaching_again_to_the_same_record_changes_nothing(uploader):
    attachment = create("说明.txt", b"hello", actor=uploader, target=("tests.record", "7"))
    attachment_attach(attachment=attachment, target=("tests.record", "7"), actor=uploader)
    assert [e.action for e in events_for(attachment)] == ["attachment.uploaded"]


# --- downloading --------------------------------------------------------------------------------------------------


def download(client, attachment):
    return client.get(reverse("core:attachment-download", args=[attachment.token]))


def test_the_uploader_may_download_an_unattached_upload(client, uploader):
    attachment = create("现场.jpg", jpeg_with_gps(), actor=uploader)
    client.force_login(uploader)
    response = download(client, attachment)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_office_documents_are_served_as_downloads_with_their_name(client, uploader):
    attachment = create("整改报告.docx", ooxml("word/", "document.xml", DOCX_MAIN), actor=uploader)
    client.force_login(uploader)
    response = download(client, attachment)
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A.docx" in response["Content-Disposition"]


def test_an_unrelated_user_gets_404(client, uploader):
    attachment = create("说明.txt", b"hello", actor=uploader)
    client.force_login(UserFactory(username="stranger"))
    assert download(client, attachment).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, uploader):
    attachment = create("说明.txt", b"hello", actor=uploader)
    response = download(client, attachment)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_an_unknown_token_is_404(client, uploader):
    client.force_login(uploader)
    assert client.get(reverse("core:attachment-download", args=["no-such-token"])).status_code == 404


def test_the_registered_checker_grants_access_to_an_attached_file(client, uploader, access_registry):
    reader = UserFactory(username="reader")
    register_attachment_access("tests.record", lambda user, target_id: user.pk == reader.pk and target_id == "7")
    attachment = create("说明.txt", b"hello", actor=uploader, target=("tests.record", "7"))
    client.force_login(reader)
    response = download(client, attachment)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_the_registered_checker_refuses_others(client, uploader, access_registry):
    register_attachment_access("tests.record", lambda user, target_id: False)
    attachment = create("说明.txt", b"hello", actor=uploader, target=("tests.record", "7"))
    client.force_login(UserFactory(username="stranger"))
    assert download(client, attachment).status_code == 404


def test_once_attached_the_uploader_needs_the_records_permission_too(uploader, access_registry):
    attachment = create("说明.txt", b"hello", actor=uploader, target=("tests.unregistered", "1"))
    assert can_download(uploader, attachment) is False


# --- API upload ------------------------------------------------------------------------------------------------------


def test_api_upload_returns_the_token_to_attach_later(client, uploader):
    client.force_login(uploader)
    response = client.post("/api/v1/attachments/", {"file": upload("说明.txt", b"hello")})
    assert response.status_code == 201
    data = response.json()
    assert data["content_type"] == "text/plain"
    assert data["download_url"] == reverse("core:attachment-download", args=[data["token"]])


def test_api_upload_of_a_refused_type_is_a_400_naming_the_reason(client, uploader):
    client.force_login(uploader)
    response = client.post("/api/v1/attachments/", {"file": upload("发票.pdf", b"<html><body>x</body></html>")})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "attachment_type_not_allowed"
    assert "text/html" in error["message"]
    assert error["fields"]["file"]
