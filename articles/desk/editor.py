"""The article body's rich-text editor: django-prose-editor's ProseMirror/Tiptap bundle,
limited to what the public theme styles.

The library's own widget loads its modules through an inline import map, which a
Content-Security-Policy without 'unsafe-inline' refuses; this widget is a plain textarea
whose data attributes tell `static/admin/js/article-editor.js` (a static module) which
extensions to build and where the library's bundle is. Without JavaScript the textarea
is still there, holding the HTML.

What the editor may produce is named once, in EXTENSIONS; the allow-list those
extensions imply must stay inside `articles/sanitise.py` (a test checks), and the
sanitiser still cleans every save whatever the browser sent.
"""

import json
import math

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.models import Image
from articles.renditions import recorded
from articles.sanitise import sanitise_html
from newsroom.text import html_to_text

# Extension name -> its configuration, as django-prose-editor's "configurable" preset
# reads it. Quotation (<q>) and LibraryImage (<figure><img><figcaption>) are ours
# (article-editor.js): the demo's bodies quote inline, and pictures come from the library.
EXTENSIONS: dict = {
    "Paragraph": True,
    "HardBreak": True,
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Italic": True,
    # No "open in a new tab" (the sanitiser keeps no target); article-editor.js writes
    # href, title and the sanitiser's rel, in the sanitiser's order.
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    # Plain numbered lists (article-editor.js drops the library's list style and start).
    "OrderedList": {"enableListAttributes": False},
    "ListItem": True,
    "Blockquote": True,
    "History": True,
}
CUSTOM_EXTENSIONS = {
    "Quotation": {"tags": ["q"], "attributes": {}},
    "LibraryImage": {
        "tags": ["figure", "img", "figcaption"],
        "attributes": {"img": ["src", "alt", "width", "height"]},
    },
}
# Words a minute for the reading time shown beside the editor (and in the read-only view).
READING_SPEED = 230


def word_count(html: str) -> int:
    return len(html_to_text(html).split())


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / READING_SPEED)) if words else 0


def describe_length(html: str) -> str:
    """ "312 words · about 2 min to read", as the editor shows it."""
    words = word_count(html)
    text = f"{words:,} word{'s' if words != 1 else ''}"
    return f"{text} · about {reading_minutes(words)} min to read" if words else text


HELP_TEXT = (
    "Headings, lists, links, quotations and pictures from the image library come from the "
    "toolbar; text pasted from a web page or a document keeps its structure, not its styles."
)


def rendered_body(html: str):
    """The body as readers see it (sanitised again here: this is the read-only view of
    whatever is stored), for people who may read the article but not change it."""
    return format_html(
        '<div class="rendered-body">{}</div><p class="help">{}</p>',
        mark_safe(sanitise_html(html)),  # noqa: S308 - sanitised by the one HTML policy
        describe_length(html),
    )


def allowed_tags() -> set[str]:
    """The tags the configured editor can write (a test keeps them inside the sanitiser's)."""
    from django_prose_editor.config import allowlist_from_extensions

    tags = set(allowlist_from_extensions(EXTENSIONS)["tags"])
    for custom in CUSTOM_EXTENSIONS.values():
        tags.update(custom["tags"])
    return tags


class BodyEditorWidget(forms.Textarea):
    """A textarea that article-editor.js turns into the editor (toolbar, word count)."""

    def __init__(self, attrs=None, *, image_picker: bool = True):
        super().__init__({"rows": 24, "cols": 80, **(attrs or {})})
        self.image_picker = image_picker

    @property
    def media(self):
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "django_prose_editor/overrides.css",
                    "admin/desk-editor.css",
                ]
            },
            js=[forms.Script("admin/js/article-editor.js", type="module")],
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        config = {
            "extensions": {**EXTENSIONS, **dict.fromkeys(CUSTOM_EXTENSIONS, True)},
            "readingSpeed": READING_SPEED,
        }
        if self.image_picker:
            config["imagePicker"] = reverse("admin:articles_image_picker")
        context["widget"]["attrs"].update(
            {
                "data-body-editor": json.dumps(config, separators=(",", ":")),
                "data-editor-module": static("django_prose_editor/editor.js"),
            }
        )
        return context


# The picker lists this many pictures: the newest, or those matching the words typed.
PICKER_LIMIT = 24


def picture_for_body(image: Image) -> dict:
    """What the picker offers for one image: a column-wide copy for the body (the
    rendition nearest 960 px, or the original), a small one for the list, and its words."""
    renditions = recorded(image)
    if renditions and renditions.fallback:
        body = min(renditions.fallback, key=lambda r: abs(r.width - 960))
        thumb = min(renditions.fallback, key=lambda r: r.width)
        src, width, height, thumbnail = body.url, body.width, body.height, thumb.url
    else:
        src = thumbnail = image.file.url
        width, height = image.width, image.height
    return {
        "id": image.pk,
        "src": src,
        "width": width,
        "height": height,
        "thumbnail": thumbnail,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
    }


class ImagePickerAdminMixin:
    """For ImageAdmin: `picker/`, the JSON the body editor's picture picker reads."""

    def get_urls(self):
        return [
            path(
                "picker/",
                self.admin_site.admin_view(self.picker_view),
                name="articles_image_picker",
            ),
        ] + super().get_urls()

    def picker_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        words = request.GET.get("q", "").strip()[:100].replace("\x00", "")
        images = Image.objects.exclude(file="").order_by("-created_at", "-pk")
        if words:
            images = images.filter(
                Q(alt_text__icontains=words)
                | Q(caption__icontains=words)
                | Q(credit__icontains=words)
            )
        return JsonResponse({"images": [picture_for_body(i) for i in images[:PICKER_LIMIT]]})
