"""Picture uploads: what the image admin refuses (each a form error, nothing stored), and
that a picture whose renditions failed never costs a reader's request anything."""

import io
import os
import re
import struct
import subprocess
import sys
import zlib

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from PIL import Image as PILImage

from articles import renditions, uploads
from articles.models import Article, Image

pytestmark = pytest.mark.django_db

ADD_URL = "admin:articles_image_add"


# --- Files made here, small on disk ------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width: int, height: int, *, rows: int | None = None, truncate_at: int | None = None):
    """A 1-bit greyscale PNG of `width` x `height`, built by hand so a huge one stays small:
    13000 x 13000 white pixels compress to ~20 KB. `rows` writes only that many rows of
    pixel data, in a compressed stream that stops there (a file whose header promises more
    than its data holds, every chunk whole and checksummed);
    `truncate_at` cuts the file after that many bytes."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height if rows is None else rows))
    # With `rows`, the compressed stream stops partway (as an interrupted write leaves it).
    data += compressor.flush(zlib.Z_FINISH if rows is None else zlib.Z_SYNC_FLUSH)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )
    return png[:truncate_at] if truncate_at else png


def jpeg_bytes(size=(1200, 800)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 90, 40)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def upload(client, name: str, content: bytes, **fields):
    return client.post(
        reverse(ADD_URL),
        {
            "file": SimpleUploadedFile(name, content),
            "alt_text": "A picture",
            "caption": "",
            "credit": "Test",
            **fields,
        },
    )


def stored_files(folder: str = "images") -> set[str]:
    """Every file stored under `folder`, asked of the storage (local or not)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return set()
    found = {f"{folder}/{name}" for name in files}
    for name in folders:
        found |= stored_files(f"{folder}/{name}")
    return found


def form_error(response) -> str:
    assert response.status_code == 200, response.status_code
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["file"], errors
    return " ".join(errors["file"])


@pytest.fixture
def refused(admin_user_client):
    """Upload a file and check that it was refused with nothing stored; the message."""

    def check(name: str, content: bytes) -> str:
        images, files = Image.objects.count(), stored_files()
        message = form_error(upload(admin_user_client, name, content))
        assert Image.objects.count() == images
        assert stored_files() == files
        return message

    return check


# --- What is refused ---------------------------------------------------------------------


def test_a_50_mb_file_is_refused_before_it_is_decoded(refused):
    # A real PNG header, then 50 MB: a file Pillow would open, refused for its size alone.
    content = png_bytes(64, 64) + b"\0" * (50 * 1024 * 1024)
    message = refused("huge.png", content)
    assert "This file is 50 MB; pictures may be at most 20 MB" in message


def test_a_valid_13000_by_13000_png_is_refused_for_its_pixels(refused):
    content = png_bytes(13000, 13000)
    assert len(content) < 100_000  # small on disk, 169 megapixels when decoded
    message = refused("poster.png", content)
    assert "169 megapixels; pictures may have at most 40 megapixels" in message


def test_a_png_just_over_the_pixel_limit_is_refused_where_pillow_only_warns(refused):
    # 41 megapixels: over our limit but under twice it, where Pillow itself only warns.
    message = refused("wide.png", png_bytes(8200, 5000))
    assert "8200 × 5000 pixels, 41 megapixels" in message


def test_a_truncated_png_declaring_huge_dimensions_is_refused(refused):
    content = png_bytes(13000, 13000, truncate_at=4000)
    message = refused("truncated.png", content)
    assert "megapixels; pictures may have at most 40 megapixels" in message


def test_a_truncated_png_within_the_limits_is_refused_as_damaged(refused):
    complete = png_bytes(3000, 2000)
    message = refused("cut.png", complete[: len(complete) // 2])
    assert "cannot be read to its end" in message


def test_a_png_whose_data_stops_short_of_its_header_is_refused(refused):
    # Every chunk is whole and its checksum right, so Pillow's verify() passes it; only
    # decoding the pixels finds that 100 of the 2000 rows are there.
    lying = png_bytes(3000, 2000, rows=100)
    PILImage.open(io.BytesIO(lying)).verify()
    assert "cannot be read to its end" in refused("lying.png", lying)


def test_eps_is_refused_without_being_parsed(refused):
    eps = (
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n"
        b"newpath 0 0 moveto 100 100 lineto stroke showpage\n%%EOF\n"
    )
    assert PILImage.open(io.BytesIO(eps)).format == "EPS"  # Pillow would otherwise take it
    message = refused("logo.eps", eps)
    assert f"not a {uploads.format_names()} picture" in message


@pytest.mark.parametrize(
    "name, content",
    [("notes.txt", b"just some text\n"), ("empty.png", b"\x89PNG\r\n\x1a\n")],
)
def test_other_files_that_are_not_pictures_are_refused(refused, name, content):
    assert f"not a {uploads.format_names()} picture" in refused(name, content)


def test_the_limits_are_settings(refused, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 10_000
    assert "pictures may be at most 10 KB" in refused("photo.jpg", jpeg_bytes((1200, 800)) * 2)
    settings.IMAGE_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    settings.IMAGE_MAX_PIXELS = 500_000
    assert "at most 0.5 megapixels" in refused("photo.jpg", jpeg_bytes((1200, 800)))


def test_pillow_refuses_anything_over_twice_the_pixel_limit_whatever_the_path():
    assert PILImage.MAX_IMAGE_PIXELS == settings.IMAGE_MAX_PIXELS


# --- What is taken -----------------------------------------------------------------------


def test_a_good_picture_is_stored_and_its_renditions_made_by_a_job_after_the_upload(
    admin_user_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_user_client, "stage.jpg", jpeg_bytes((1600, 900)))
        assert response.status_code == 302
        image = Image.objects.latest("pk")
        assert renditions.recorded(image) is None  # not in the request
    image.refresh_from_db()
    assert (image.width, image.height) == (1600, 900)
    made = renditions.recorded(image)
    assert made is not None and [r.width for r in made.webp] == [320, 640, 960, 1280]
    assert image.renditions_error == "" and image.renditions_failed_at is None


def test_a_picture_is_stored_under_the_extension_of_what_it_is(admin_user_client):
    response = upload(admin_user_client, "really-a-png.eps", png_bytes(400, 300))
    assert response.status_code == 302
    image = Image.objects.latest("pk")
    assert re.search(r"/really-a-png-[0-9a-f]{8}\.png$", image.file.name)
    with image.file.open("rb") as handle:
        assert PILImage.open(handle).format == "PNG"


def test_a_deleted_pictures_name_is_never_given_to_a_new_upload(admin_user_client):
    """Media are cached as immutable: a new picture must never take an old one's URL."""
    upload(admin_user_client, "lei-jun.png", png_bytes(400, 300))
    first = Image.objects.latest("pk")
    first_name = first.file.name
    first.delete()
    upload(admin_user_client, "lei-jun.png", png_bytes(400, 300))
    second = Image.objects.latest("pk")
    assert second.file.name != first_name
    assert re.search(r"/lei-jun-[0-9a-f]{8}\.png$", second.file.name)


def test_the_upload_field_says_what_it_takes(admin_user_client):
    page = admin_user_client.get(reverse(ADD_URL)).content.decode()
    assert 'accept="image/jpeg,image/png,image/webp,image/gif' in page
    assert "at most 20 MB and 40 megapixels" in page


# --- A rendition that failed -------------------------------------------------------------


def broken_image() -> Image:
    """An image stored before uploads were checked: a 13000 x 13000 PNG, truncated, whose
    size was measured then (as the admin did)."""
    name = default_storage.save(
        "images/old-poster.png", ContentFile(png_bytes(13000, 13000, truncate_at=4000))
    )
    image = Image(alt_text="A broken poster", credit="Test", file=name, width=13000, height=13000)
    with TestCase.captureOnCommitCallbacks(execute=True):
        image.save()  # renditions are tried by the job queued here, once, and fail
    return Image.objects.get(pk=image.pk)


def test_a_failed_rendition_is_recorded_once_and_not_retried_by_saves(
    django_capture_on_commit_callbacks,
):
    image = broken_image()
    assert renditions.recorded(image) is None
    assert "13000 × 13000 pixels is over the limit of 40 megapixels" in image.renditions_error
    first = image.renditions_failed_at
    assert first is not None

    image.caption = "Edited caption"
    with django_capture_on_commit_callbacks(execute=True):
        image.save()  # queues no job: the failure's time stays that of the first try
    assert Image.objects.get(pk=image.pk).renditions_failed_at == first


def test_a_new_file_clears_the_failure(admin_user_client):
    image = broken_image()
    image.file.save("repaired.jpg", ContentFile(jpeg_bytes((800, 600))), save=False)
    with TestCase.captureOnCommitCallbacks(execute=True):
        image.save()
    image.refresh_from_db()
    assert renditions.recorded(image) is not None
    assert image.renditions_error == "" and image.renditions_failed_at is None


def test_staff_see_the_failure_in_the_image_admin_and_can_retry(admin_user_client):
    image = broken_image()
    listing = admin_user_client.get(reverse("admin:articles_image_changelist")).content.decode()
    assert "Failed:" in listing and "over the limit of 40 megapixels" in listing
    assert "/media/renditions/" in listing  # thumbnails of the others: their smallest copy
    change = admin_user_client.get(reverse("admin:articles_image_change", args=[image.pk]))
    assert "Pages show the original picture" in change.content.decode()
    listing_url = reverse("admin:articles_image_changelist")
    failed = admin_user_client.get(listing_url + "?renditions=failed")
    assert [i.pk for i in failed.context["cl"].result_list] == [image.pk]
    made = admin_user_client.get(listing_url + "?renditions=made")
    assert image.pk not in {i.pk for i in made.context["cl"].result_list}
    assert made.context["cl"].result_count == Image.objects.count() - 1

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin_user_client.post(
            reverse("admin:articles_image_changelist"),
            {"action": "make_renditions_again", "_selected_action": [image.pk]},
            follow=True,
        )
    assert "will be made in the background" in response.content.decode()
    assert Image.objects.get(pk=image.pk).renditions_failed_at > image.renditions_failed_at
    listing = admin_user_client.get(reverse("admin:articles_image_changelist")).content.decode()
    assert "Failed:" in listing and "over the limit of 40 megapixels" in listing


def test_a_page_with_a_failed_image_shows_the_original_and_tries_nothing(
    client, no_page_cache, django_assert_max_num_queries
):
    image = broken_image()
    stamp = image.renditions_failed_at
    article = Article.objects.published().filter(lead_image__isnull=False).first()
    Article.objects.filter(pk=article.pk).update(lead_image=image)
    for url in (article.get_absolute_url(), f"/{article.language}/"):
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200
            html = response.content.decode()
            assert f'src="{image.file.url}" width="13000" height="13000"' in html
    # Not tried again: the failure keeps its first time (a retry records a new one).
    assert Image.objects.get(pk=image.pk).renditions_failed_at == stamp


def test_pages_never_make_renditions_of_an_image_that_has_none(client, no_page_cache):
    """An image loaded without renditions (a fixture, a bulk insert) is shown as it is;
    a save or `make_renditions` makes them, never a reader."""
    article = Article.objects.published().filter(lead_image__isnull=False).first()
    image = article.lead_image
    made = stored_files(renditions.rendition_folder(image))
    assert made
    for name in made:
        default_storage.delete(name)
    Image.objects.filter(pk=image.pk).update(renditions={})

    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<img src="{image.file.url}" width="{image.width}" height="{image.height}"' in html
    assert not any(default_storage.exists(name) for name in made)
    assert Image.objects.get(pk=image.pk).renditions == {}

    call_command("make_renditions", stdout=io.StringIO())
    assert all(default_storage.exists(name) for name in made)
    assert renditions.recorded(Image.objects.get(pk=image.pk)) is not None


def test_the_upload_field_renders_in_a_fresh_process():
    # Pillow fills its table of MIME types only once a plugin is loaded; a fresh worker
    # showing the upload form first must not depend on that.
    script = (
        "import django; django.setup(); "
        "from articles.models import Image; "
        "field = Image._meta.get_field('file').formfield(); "
        "print(field.widget.attrs['accept'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("image/jpeg,image/png,image/webp,image/gif")
