"""Media on S3-compatible storage, against a real server over HTTP (moto's server mode,
tests/s3.py): uploads, renditions, pages, deletes and the demo go through the storage API
only, and what readers are sent to is the bucket's public URL, which answers with the
bytes. The last test runs the same flow on a storage that has no local paths at all."""

import io
import os
import urllib.request
from html.parser import HTMLParser
from pathlib import PurePosixPath

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from articles import demo_content, renditions
from articles.demo import DemoBuilder
from articles.desk.editor import picture_for_body
from articles.models import Article, Image
from articles.sanitise import sanitise_html

pytestmark = pytest.mark.django_db


def jpeg_bytes(size=(1400, 900), colour=(200, 60, 40)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def upload(client, content: bytes, name="storage-test.jpg", image: Image | None = None):
    """Add an image through the admin, or replace the file of `image`."""
    url = (
        reverse("admin:articles_image_change", args=[image.pk])
        if image
        else reverse("admin:articles_image_add")
    )
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile(name, content, content_type="image/jpeg"),
            "alt_text": "Lei Jun at a launch",
            "caption": "",
            "credit": "Test",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Image.objects.get(pk=image.pk) if image else Image.objects.latest("pk")


def rendition_names(image: Image) -> set[str]:
    made = renditions.ensure_renditions(image)  # made now, or already made by the save
    assert made is not None
    return {r.name for r in (*made.webp, *made.fallback)}


class PictureURLs(HTMLParser):
    """Every picture address a page sends a browser to: <img src/srcset>, <source srcset>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "img" and values.get("src"):
            self.urls.append(values["src"])
        if tag in {"img", "source"} and values.get("srcset"):
            self.urls += [part.split()[0] for part in values["srcset"].split(",")]


def fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # a reader's plain GET
        return response.status, response.headers["Content-Type"], response.read()


def test_an_upload_through_the_admin_is_a_public_object_in_the_bucket(s3_media, admin_user_client):
    content = jpeg_bytes()
    image = upload(admin_user_client, content)
    assert image.file.name.startswith("images/")
    assert image.file.name in s3_media.keys("images/")
    assert s3_media.read(image.file.name) == content
    head = s3_media.head(image.file.name)
    assert head["ContentType"] == "image/jpeg"
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    assert s3_media.readable_by_anyone(image.file.name)
    assert (image.width, image.height) == (1400, 900)


def test_renditions_are_stored_in_the_bucket(s3_media, admin_user_client):
    image = upload(admin_user_client, jpeg_bytes())
    names = rendition_names(image)
    assert len(names) == 8  # 320, 640, 960, 1280 px, in WebP and JPEG
    assert names <= s3_media.keys(renditions.rendition_folder(image) + "/")
    for name in names:
        picture = PILImage.open(io.BytesIO(s3_media.read(name)))
        assert picture.format == ("WEBP" if name.endswith(".webp") else "JPEG")
        assert f"-{picture.width}w." in name
        assert s3_media.readable_by_anyone(name)


def test_the_article_page_sends_readers_to_the_bucket_and_the_bucket_answers(
    s3_media, admin_user_client, client, no_page_cache
):
    image = upload(admin_user_client, jpeg_bytes())
    names = rendition_names(image)
    public = f"{s3_media.endpoint}/{s3_media.name}/"
    # The body's picture as the editor's picker inserts it: the sanitiser keeps it.
    figure = picture_for_body(image)
    body = sanitise_html(f'<p>Launch.</p><figure><img src="{figure["src"]}" alt="Launch"></figure>')
    assert figure["src"] in body and figure["src"].startswith(public)
    article = Article.objects.published().filter(lead_image__isnull=False).first()
    Article.objects.filter(pk=article.pk).update(lead_image=image, body=body)

    html = client.get(article.get_absolute_url()).content.decode()
    urls = PictureURLs(html).urls
    media = [url for url in urls if not url.startswith("/static/")]
    assert media and all(url.startswith(public) for url in media), media
    assert not any("?" in url for url in media)  # plain public addresses, no signatures
    ours = {url for url in media if renditions.rendition_folder(image) in url}
    assert {url.removeprefix(public) for url in ours} == names  # lead image and body picture
    for url in ours:
        status, content_type, content = fetch(url)
        assert status == 200
        assert content == s3_media.read(url.removeprefix(public))
        assert content_type == ("image/webp" if url.endswith(".webp") else "image/jpeg")
    assert fetch(image.file.url)[2] == s3_media.read(image.file.name)


def test_deleting_an_image_in_the_admin_removes_its_objects(
    s3_media, admin_user_client, django_capture_on_commit_callbacks
):
    image = upload(admin_user_client, jpeg_bytes())
    names = rendition_names(image) | {image.file.name}
    assert names <= s3_media.keys()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_user_client.post(
            reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Image.objects.filter(pk=image.pk).exists()
    assert not names & s3_media.keys()
    assert not s3_media.keys(renditions.rendition_folder(image) + "/")


def test_replacing_the_file_removes_the_old_objects(
    s3_media, admin_user_client, django_capture_on_commit_callbacks
):
    image = upload(admin_user_client, jpeg_bytes())
    old = rendition_names(image) | {image.file.name}
    with django_capture_on_commit_callbacks(execute=True):
        replaced = upload(
            admin_user_client, jpeg_bytes(colour=(20, 90, 200)), "second.jpg", image=image
        )
    new = rendition_names(replaced) | {replaced.file.name}
    assert PurePosixPath(replaced.file.name).name.startswith("second-")
    stored = s3_media.keys()
    assert new <= stored
    assert not old & stored


def test_the_demo_loads_its_images_through_the_storage(
    s3_media, django_capture_on_commit_callbacks
):
    Image.objects.all().delete()  # rolled back with the test; their files stay (no commit)
    builder = DemoBuilder(log=lambda *args: None)
    # The renditions jobs the saves queue run at the commit (the tests' immediate queue).
    with django_capture_on_commit_callbacks(execute=True):
        images = [builder.make_image(*s["image"]) for s in demo_content.STORIES.values()]
    assert images
    stored = s3_media.keys()
    for image in images:
        assert image.file.name in stored
        assert PILImage.open(io.BytesIO(s3_media.read(image.file.name))).format == "PNG"
        assert renditions.recorded(Image.objects.get(pk=image.pk)) is not None
        assert rendition_names(image) <= stored


class NoLocalPaths(InMemoryStorage):
    """Files kept in memory, with no place on a disk: any code asking for one fails."""

    def path(self, name):
        raise AssertionError(f"a local path was asked for {name!r}")

    def _relative_path(self, name):
        # Django's in-memory storage keys its own files by path; that use is not a caller's.
        return os.path.relpath(InMemoryStorage.path(self, name), self.location)


def test_nothing_assumes_media_have_a_local_path(
    admin_user_client, client, settings, no_page_cache, django_capture_on_commit_callbacks
):
    """Upload, renditions, the article page, its feed, the picture picker and the delete,
    on a storage whose files have no path: none of them asks for one."""
    backend = f"{NoLocalPaths.__module__}.{NoLocalPaths.__qualname__}"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend}}
    content = jpeg_bytes()
    image = upload(admin_user_client, content)
    with default_storage.open(image.file.name, "rb") as handle:
        assert handle.read() == content
    names = rendition_names(image)
    assert all(default_storage.exists(name) for name in names)
    folder = renditions.rendition_folder(image)

    article = Article.objects.published().filter(lead_image__isnull=False).first()
    Article.objects.filter(pk=article.pk).update(lead_image=image)
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200 and folder in page.content.decode()
    feed = client.get(reverse("feeds:rss", kwargs={"language": article.language}))
    assert feed.status_code == 200
    assert f'length="{len(content)}"' in feed.content.decode()  # the size, from the storage
    picker = admin_user_client.get(reverse("admin:articles_image_picker"))
    assert picker.status_code == 200 and folder in picker.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        admin_user_client.post(
            reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"}
        )
    assert not any(default_storage.exists(name) for name in {image.file.name, *names})
