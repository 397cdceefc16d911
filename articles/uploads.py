"""What an uploaded picture must be before it is stored, and the form field that checks it.

A picture is taken only when it is

- no larger than ``IMAGE_UPLOAD_MAX_BYTES`` (checked before a byte of it is decoded),
- a JPEG, PNG, WebP or GIF (AVIF too when the installed Pillow reads it): Pillow is only
  ever asked to parse these formats, so a PostScript or PSD file never reaches its parsers,
- no more than ``IMAGE_MAX_PIXELS`` (width x height, read from the header), and
- decodable to its end: the whole picture is decoded once here, so a truncated file, or one
  whose header promises more than its data holds, is a form error now instead of a failed
  rendition later.

Each refusal is a `ValidationError` saying what is wrong and what to do. The stored name gets
the extension of the format found, so a PNG called ``photo.eps`` is stored as ``photo.png``
and served as a PNG.

`PictureField` is the model field: every ModelForm of a model using it (the image admin,
any desk form) gets `ImageUploadField`. Code that stores pictures another way should call
`check_image_upload` first.
"""

import logging
import re
import secrets
import warnings
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import get_valid_filename
from PIL import Image as PILImage
from PIL import UnidentifiedImageError, features

logger = logging.getLogger(__name__)

# Pillow format name -> (extension stored, MIME type). Our own table: Pillow fills its
# Image.MIME only once its plugins are loaded, which a fresh process has not done yet.
_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
    "AVIF": ("avif", "image/avif"),
}


def allowed_formats() -> tuple[str, ...]:
    """The Pillow formats taken: JPEG, PNG, WebP, GIF, and AVIF when Pillow reads it."""
    formats = ["JPEG", "PNG", "WEBP", "GIF"]
    if features.check("avif"):
        formats.append("AVIF")
    return tuple(formats)


def format_names() -> str:
    """'JPEG, PNG, WebP or GIF' (with AVIF when it is taken), for messages."""
    names = [{"WEBP": "WebP"}.get(f, f) for f in allowed_formats()]
    return ", ".join(names[:-1]) + " or " + names[-1]


def allowed_mime_types() -> list[str]:
    return [_FORMATS[f][1] for f in allowed_formats()]


def human_size(size: int) -> str:
    """Bytes as a person reads them: '512 KB', '20 MB', '1.5 MB'."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    megabytes = size / (1024 * 1024)
    if megabytes >= 10:
        return f"{megabytes:.0f} MB"
    return f"{megabytes:.1f}".removesuffix(".0") + " MB"  # 3 MB and a byte is "3 MB"


def megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f}" if pixels >= 10_000_000 else f"{pixels / 1_000_000:.1f}"


def _too_many_pixels(width: int | None, height: int | None, pixels: int | None = None):
    limit = settings.IMAGE_MAX_PIXELS
    size = f"{width} × {height} pixels, " if width and height else ""
    pixels = pixels or (width or 0) * (height or 0)
    return ValidationError(
        f"This picture is {size}{megapixels(pixels)} megapixels; pictures may have at most "
        f"{megapixels(limit)} megapixels. Scale it down (3000 pixels across is plenty for "
        "the site) and upload it again.",
        code="too_many_pixels",
    )


_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


def check_image_upload(file) -> str:
    """Refuse a picture the site should not store; return its Pillow format name.

    `file` is an uploaded file (or any Django `File`). Raises `ValidationError` with a
    message for the person uploading. Decodes the whole picture once (JPEGs at reduced
    scale, which still reads every byte), so memory stays near the pixel limit's worth.
    """
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            f"This file is {human_size(file.size)}; pictures may be at most "
            f"{human_size(limit)}. Save it smaller (a JPEG or WebP at 80% quality is plenty "
            "for the web) and upload it again.",
            code="file_too_large",
        )
    if not file.size:
        raise ValidationError("The file is empty.", code="empty")
    formats = allowed_formats()
    source = file.temporary_file_path() if hasattr(file, "temporary_file_path") else file
    try:
        found = _read_header(source, formats)
        _decode_fully(source, found)
    except ValidationError:
        raise
    except UnidentifiedImageError:
        raise ValidationError(
            f"This file is not a {format_names()} picture. Save it in one of those formats "
            "and upload it again.",
            code="format_not_allowed",
        ) from None
    except PILImage.DecompressionBombError as error:
        pixels = _BOMB_PIXELS.search(str(error))
        raise _too_many_pixels(None, None, int(pixels[1]) if pixels else None) from None
    except Exception:  # Pillow reports damage as OSError, SyntaxError, ValueError, EOFError…
        raise ValidationError(
            "This picture cannot be read to its end: the file is damaged or incomplete "
            "(an interrupted download or upload?). Open it in an image editor, save it "
            "again and upload the new file.",
            code="damaged",
        ) from None
    finally:
        if hasattr(file, "seek"):
            file.seek(0)
    return found


def _rewind(source) -> None:
    if hasattr(source, "seek"):
        source.seek(0)


def _read_header(source, formats: tuple[str, ...]) -> str:
    """Format and size from the header, then Pillow's structural check (`verify`)."""
    _rewind(source)
    with warnings.catch_warnings():
        # Pillow warns above its limit and refuses above twice that; we refuse at the limit.
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        with PILImage.open(source, formats=formats) as picture:
            width, height = picture.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise _too_many_pixels(width, height)
            found = picture.format
            picture.verify()
    return found


def _decode_fully(source, found: str) -> None:
    """Decode every byte: verify() does not decompress, so a lying file passes it."""
    _rewind(source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        with PILImage.open(source, formats=[found]) as picture:
            if found == "JPEG":
                # Decoding at 1/8 scale still reads (and checks) every byte of the file.
                picture.draft("RGB", (max(1, picture.width // 8), max(1, picture.height // 8)))
            picture.load()


def stored_name(name: str, found: str) -> str:
    """The upload's name with a short random part and the extension of the format it
    really is.

    Media are served as immutable for a year (browsers and a CDN keep them), and a deleted
    picture's files leave storage: without the random part, a later upload of the same
    name in the same month would get the freed URL, and readers would go on seeing the old
    picture there.
    """
    stem = PurePath(name or "picture").stem or "picture"
    return get_valid_filename(f"{stem[:80]}-{secrets.token_hex(4)}.{_FORMATS[found][0]}")


class ImageUploadField(forms.ImageField):
    """A picture upload checked by `check_image_upload` (not Django's open-and-verify)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not self.help_text:
            self.help_text = (
                f"{format_names()}; at most {human_size(settings.IMAGE_UPLOAD_MAX_BYTES)} "
                f"and {megapixels(settings.IMAGE_MAX_PIXELS)} megapixels."
            )

    def to_python(self, data):
        uploaded = forms.FileField.to_python(self, data)
        if uploaded is None:
            return None
        found = check_image_upload(uploaded)
        uploaded.name = stored_name(uploaded.name, found)
        if hasattr(uploaded, "content_type"):
            uploaded.content_type = _FORMATS[found][1]
        return uploaded

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs["accept"] = ",".join(allowed_mime_types())
        return attrs


class PictureField(models.ImageField):
    """An ImageField whose forms check uploads with `ImageUploadField`, and whose rows
    never open their file when they are loaded.

    Django measures a picture whenever a row without width and height is loaded: a storage
    read and a Pillow parse in every request that shows it, and an exception (a 500) when
    the picture is over Pillow's pixel limit. Here a file is measured only when it is
    assigned (an upload), and a file that cannot be measured leaves the size unknown;
    renditions record the size of the pictures they are made from.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadField, **kwargs})

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        if not force:
            return
        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except Exception:  # damaged or over the pixel limit: the size stays unknown
            logger.warning("Could not measure %s", getattr(instance, self.attname), exc_info=True)
