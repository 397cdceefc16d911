"""Image renditions: sizes, formats, made once, and the responsive_image tag."""

import io
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import Context, Template, TemplateSyntaxError
from django.test import TestCase
from PIL import Image as PILImage

from articles import renditions
from articles.models import Article, Image

pytestmark = pytest.mark.django_db

_counter = iter(range(10**6))


def image_bytes(size=(1600, 900), *, mode="RGB", file_format="JPEG", exif_orientation=None):
    colour = (30, 120, 200, 128) if mode == "RGBA" else (30, 120, 200)
    picture = PILImage.new(mode, size, colour[: len(mode)])
    buffer = io.BytesIO()
    options = {}
    if exif_orientation:
        exif = PILImage.Exif()
        exif[0x0112] = exif_orientation
        options["exif"] = exif
    picture.save(buffer, file_format, **options)
    return buffer.getvalue()


def save_and_commit(image: Image) -> Image:
    """Save as the admin does, and commit: the renditions job queued by the save runs then
    (at once, with the tests' ImmediateBackend). The image as the job left it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        image.save()
    image.refresh_from_db()
    return image


def make_image(size=(1600, 900), *, alt="A test picture", **kwargs) -> Image:
    """An Image saved the way the admin saves one (renditions follow on commit)."""
    file_format = kwargs.get("file_format", "JPEG")
    image = Image(alt_text=alt, credit="Test")
    name = f"test-{next(_counter)}.{'png' if file_format == 'PNG' else 'jpg'}"
    image.file.save(name, ContentFile(image_bytes(size, **kwargs)), save=False)
    return save_and_commit(image)


def open_rendition(rendition):
    with default_storage.open(rendition.name, "rb") as handle:
        picture = PILImage.open(io.BytesIO(handle.read()))
        picture.load()
    return picture


def rendition_files(image):
    record = Image.objects.get(pk=image.pk).renditions
    return {name for key in ("webp", "fallback") for _w, _h, name in record[key]}


def test_renditions_come_in_four_widths_in_webp_and_jpeg():
    image = make_image((1600, 900))
    made = renditions.recorded(Image.objects.get(pk=image.pk))
    assert made is not None
    assert [r.width for r in made.webp] == [320, 640, 960, 1280]
    assert [r.width for r in made.fallback] == [320, 640, 960, 1280]
    assert (made.width, made.height) == (1280, 720)
    for rendition in made.webp:
        picture = open_rendition(rendition)
        assert picture.format == "WEBP"
        assert picture.size == (rendition.width, rendition.height)
        assert rendition.height == round(900 * rendition.width / 1600)
    for rendition in made.fallback:
        picture = open_rendition(rendition)
        assert picture.format == "JPEG"
        assert picture.size == (rendition.width, rendition.height)


def test_small_images_are_never_upscaled():
    image = make_image((500, 250))
    made = renditions.recorded(image)
    assert [r.width for r in made.webp] == [320, 500]
    assert open_rendition(made.fallback[-1]).size == (500, 250)
    tiny = make_image((100, 80))
    assert [r.width for r in renditions.recorded(tiny).fallback] == [100]


def test_transparent_images_fall_back_to_png_and_keep_their_alpha():
    image = make_image((800, 400), mode="RGBA", file_format="PNG")
    made = renditions.recorded(image)
    assert made.fallback_type == "image/png"
    picture = open_rendition(made.fallback[0])
    assert picture.format == "PNG" and picture.mode == "RGBA"
    assert picture.getchannel("A").getextrema() == (128, 128)
    assert open_rendition(made.webp[0]).mode == "RGBA"


def test_an_opaque_png_with_an_alpha_channel_gets_jpeg():
    image = Image(alt_text="Opaque", credit="Test")
    picture = PILImage.new("RGBA", (700, 300), (10, 20, 30, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    image.file.save("opaque.png", ContentFile(buffer.getvalue()), save=False)
    save_and_commit(image)
    assert renditions.recorded(image).fallback_type == "image/jpeg"


def test_exif_rotation_is_applied():
    image = make_image((1000, 600), exif_orientation=6)  # stored sideways
    made = renditions.recorded(image)
    assert (made.width, made.height) == (600, 1000)
    assert open_rendition(made.fallback[-1]).size == (600, 1000)


def test_renditions_are_made_once_and_reused(django_assert_num_queries):
    image = make_image((1400, 700))
    files = rendition_files(image)
    stamps = {name: default_storage.get_modified_time(name) for name in files}

    fresh = Image.objects.get(pk=image.pk)
    with django_assert_num_queries(0):
        again = renditions.renditions_for(fresh)
    assert {r.name for r in again.webp + again.fallback} == files
    assert {name: default_storage.get_modified_time(name) for name in files} == stamps


def test_a_lost_record_finds_the_files_already_made():
    image = make_image((1400, 700))
    files = rendition_files(image)
    Image.objects.filter(pk=image.pk).update(renditions={})
    folder = files.pop().rsplit("/", 1)[0]
    before = set(default_storage.listdir(folder)[1])
    again = renditions.ensure_renditions(Image.objects.get(pk=image.pk))
    assert set(default_storage.listdir(folder)[1]) == before
    assert {r.name.rsplit("/", 1)[1] for r in again.webp + again.fallback} == before
    assert Image.objects.get(pk=image.pk).renditions["key"] == renditions.rendition_key(image)


def test_a_new_file_gets_new_renditions():
    image = make_image((1400, 700))
    old = rendition_files(image)
    image.file.save("replacement.jpg", ContentFile(image_bytes((900, 900))), save=False)
    save_and_commit(image)
    new = rendition_files(image)
    assert not old & new
    assert renditions.recorded(Image.objects.get(pk=image.pk)).height == 900


def test_demo_images_have_renditions_from_the_moment_they_were_saved():
    for image in Image.objects.filter(articles__isnull=False).distinct():
        assert renditions.recorded(image) is not None, image


def test_rendition_urls_are_served(client):
    made = renditions.recorded(make_image((700, 400)))
    response = client.get(made.webp[0].url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"RIFF"


# --- The template tag ----------------------------------------------------------------------


class Elements(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def first(self, tag):
        return next(attrs for name, attrs in self.found if name == tag)


def render(source, **context):
    return Template("{% load images %}" + source).render(Context(context))


def test_the_tag_renders_a_picture_with_webp_and_fallback_sources():
    image = make_image((1600, 900), alt='Lei Jun on stage "live"')
    html = render(
        '{% responsive_image image sizes="(max-width: 46rem) 100vw, 46rem" %}', image=image
    )
    elements = Elements(html)
    assert [tag for tag, _ in elements.found] == ["picture", "source", "img"]
    source, img = elements.first("source"), elements.first("img")
    assert source["type"] == "image/webp"
    assert source["sizes"] == img["sizes"] == "(max-width: 46rem) 100vw, 46rem"
    webp = [candidate.split() for candidate in source["srcset"].split(", ")]
    assert [w for _url, w in webp] == ["320w", "640w", "960w", "1280w"]
    assert all(url.endswith(".webp") for url, _w in webp)
    jpeg = [candidate.split() for candidate in img["srcset"].split(", ")]
    assert all(url.endswith(".jpg") for url, _w in jpeg)
    assert img["src"].endswith("-960w.jpg")
    assert (img["width"], img["height"]) == ("1280", "720")
    assert img["alt"] == 'Lei Jun on stage "live"'
    assert img["loading"] == "lazy" and img["decoding"] == "async"
    assert "fetchpriority" not in img


def test_the_lead_image_can_load_eagerly_with_its_own_alt_and_class():
    image = make_image((800, 450))
    html = render('{% responsive_image image loading="eager" alt="" class="lead" %}', image=image)
    img = Elements(html).first("img")
    assert img["loading"] == "eager" and img["fetchpriority"] == "high"
    assert img["alt"] == "" and img["class"] == "lead"
    assert Elements(html).first("source")["sizes"] == "100vw"


def test_the_tag_renders_nothing_without_an_image_and_refuses_unknown_options():
    assert render("{% responsive_image image %}", image=None) == ""
    with pytest.raises(TemplateSyntaxError, match="onerror"):
        render('{% responsive_image image onerror="x" %}', image=make_image((400, 300)))


def test_a_missing_file_still_renders_an_img_with_size_and_alt():
    image = make_image((640, 480))
    default_storage.delete(image.file.name)
    Image.objects.filter(pk=image.pk).update(renditions={})
    image = Image.objects.get(pk=image.pk)
    html = render("{% responsive_image image %}", image=image)
    img = Elements(html).first("img")
    assert img["src"] == image.file.url
    assert (img["width"], img["height"]) == ("640", "480")
    assert img["alt"] == "A test picture"


def test_a_list_of_images_renders_without_queries(django_assert_num_queries):
    articles = list(Article.objects.published().with_list_data().filter(lead_image__isnull=False))
    assert len(articles) >= 5
    template = "{% for a in articles %}{% responsive_image a.lead_image %}{% endfor %}"
    with django_assert_num_queries(0):
        html = render(template, articles=articles)
    assert html.count("<picture>") == len(articles)
