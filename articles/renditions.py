"""Web-sized copies ("renditions") of uploaded images, made once with Pillow and reused.

Each image gets up to four widths (never wider than the original), in WebP and in a fallback
format every browser reads: JPEG, or PNG when the image has real transparency. The files
go through Django's default storage (local media or S3-compatible storage alike) under
names derived from the original's name, and the list of what was made is recorded on the
image itself (`Image.renditions`). A page that shows an image therefore knows its
renditions from the image row it already loaded: no query and no storage call per image.

Renditions are made after an image is saved, by a background job (`schedule_renditions`,
the one place that says when, queues `articles.jobs.make_image_renditions` once the save
commits), never in the editor's request nor while a reader's page is being made: a page
reads the record and, when there is none, shows the original with its width and height.
The record carries a key of the source file's name and the rendition settings, so
replacing the file (or changing the settings below) makes new renditions; unchanged
images are never redone.

A file that cannot be made into renditions (damaged, too many pixels, a format we do not
take) is recorded once on the image (`renditions_error`, `renditions_failed_at`, and the
key it failed for): saving the image again does not retry the same file; staff see the
error in the image admin and can ask for another try there (or `make_renditions`). Any
other error (storage out of reach, say) is recorded the same way and the job is tried
again later by the queue, with a growing wait.
"""

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageOps

from articles import uploads
from articles.models import Image
from newsroom.jobs import enqueue_on_commit

logger = logging.getLogger(__name__)

WIDTHS = (320, 640, 960, 1280)
WEBP_QUALITY = 80
JPEG_QUALITY = 82
# Part of every rendition key: change it to have every rendition made again.
SPEC = f"v1 {WIDTHS} webp{WEBP_QUALITY} jpeg{JPEG_QUALITY}"

# format -> (file extension, MIME type)
FORMATS = {
    "webp": ("webp", "image/webp"),
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
}
# EXIF orientations that turn the picture a quarter: width and height swap.
_QUARTER_TURNS = {5, 6, 7, 8}


class RenditionError(Exception):
    """A file we will not make renditions of; the message says why, for staff."""


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    mime_type: str

    @property
    def url(self) -> str:
        return default_storage.url(self.name)


@dataclass(frozen=True)
class RenditionSet:
    width: int
    height: int
    webp: tuple[Rendition, ...]
    fallback: tuple[Rendition, ...]

    @property
    def fallback_type(self) -> str:
        return self.fallback[0].mime_type


def rendition_key(image: Image) -> str:
    return hashlib.sha256(f"{SPEC}|{image.file.name}".encode()).hexdigest()[:16]


def target_widths(width: int) -> list[int]:
    """The widths to make for an original `width` pixels wide: never upscaled."""
    widths = [w for w in WIDTHS if w < width]
    if width <= WIDTHS[-1]:
        widths.append(width)
    return widths


def recorded(image: Image) -> RenditionSet | None:
    """The renditions recorded on the image, if they were made from its current file."""
    record = image.renditions or {}
    if not image.file or record.get("key") != rendition_key(image):
        return None
    try:
        fallback_type = FORMATS[record["fallback_format"]][1]
        return RenditionSet(
            width=record["width"],
            height=record["height"],
            webp=tuple(Rendition(n, w, h, "image/webp") for w, h, n in record["webp"]),
            fallback=tuple(Rendition(n, w, h, fallback_type) for w, h, n in record["fallback"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _has_transparency(picture: PILImage.Image) -> bool:
    if picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    ):
        alpha = picture.convert("RGBA").getchannel("A")
        return alpha.getextrema()[0] < 255
    return False


def _encode(picture: PILImage.Image, file_format: str) -> bytes:
    buffer = io.BytesIO()
    if file_format == "webp":
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    elif file_format == "jpeg":
        picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        picture.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _check_pixels(width: int, height: int) -> None:
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise RenditionError(
            f"{width} × {height} pixels is over the limit of "
            f"{uploads.megapixels(settings.IMAGE_MAX_PIXELS)} megapixels"
        )


def make_renditions(image: Image, *, storage=None) -> dict:
    """Make (or find already made) the renditions of `image`; return the record to keep.

    Files that already exist under their name are reused, so a lost record costs a look at
    the original's header, not a new encoding.
    """
    storage = storage or default_storage
    size = image.file.storage.size(image.file.name)
    if size > settings.IMAGE_UPLOAD_MAX_BYTES:
        raise RenditionError(
            f"the file is {uploads.human_size(size)}, over the upload limit of "
            f"{uploads.human_size(settings.IMAGE_UPLOAD_MAX_BYTES)}"
        )
    if image.width and image.height:  # the header's size, recorded when it was stored
        _check_pixels(image.width, image.height)
    with image.file.storage.open(image.file.name, "rb") as handle:
        data = handle.read()
    # Only the formats uploads take: an older file in another format is never parsed.
    with PILImage.open(io.BytesIO(data), formats=uploads.allowed_formats()) as source:
        original_size = source.size
        width, height = source.size
        _check_pixels(width, height)
        turned = source.getexif().get(0x0112) in _QUARTER_TURNS
        if turned:
            width, height = height, width
        transparent = _has_transparency(source)
        fallback_format = "png" if transparent else "jpeg"
        key = rendition_key(image)
        stem = slugify(PurePosixPath(image.file.name).stem)[:60] or "image"
        sizes = [(w, max(1, round(height * w / width))) for w in target_widths(width)]
        wanted = {
            (fmt, w, h): f"renditions/{key[:2]}/{key}/{stem}-{w}w.{FORMATS[fmt][0]}"
            for fmt in ("webp", fallback_format)
            for w, h in sizes
        }
        missing = {spec: name for spec, name in wanted.items() if not storage.exists(name)}
        made = dict(wanted)
        if missing:
            if source.format == "JPEG":
                # Decode big JPEGs at a reduced scale: faster, and still larger than needed.
                largest = sizes[-1][::-1] if turned else sizes[-1]
                source.draft("RGB", largest)
            picture = ImageOps.exif_transpose(source)
            picture = picture.convert("RGBA" if transparent else "RGB")
            for w, h in sorted(sizes, reverse=True):
                if (w, h) != picture.size:
                    picture = picture.resize((w, h), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
                for fmt in ("webp", fallback_format):
                    if (fmt, w, h) in missing:
                        made[(fmt, w, h)] = storage.save(
                            missing[(fmt, w, h)], ContentFile(_encode(picture, fmt))
                        )
    return {
        "key": key,
        "original": list(original_size),
        "width": sizes[-1][0],
        "height": sizes[-1][1],
        "fallback_format": fallback_format,
        "webp": [[w, h, made[("webp", w, h)]] for w, h in sizes],
        "fallback": [[w, h, made[(fallback_format, w, h)]] for w, h in sizes],
    }


def ensure_renditions(image: Image) -> RenditionSet | None:
    """The image's renditions, made and recorded now if they are not yet. Raises on a file
    that cannot be read or decoded."""
    if not image.file:
        return None
    current = recorded(image)
    if current is not None:
        return current
    record = make_renditions(image)
    # A plain UPDATE: no signals, no new version. The original's size goes along: a file
    # saved from unnamed content (as the demo does) leaves width and height empty, and
    # Django would then open the file to measure it every time the row is loaded.
    image.width, image.height = record["original"]
    image.renditions = record
    image.renditions_error, image.renditions_failed_at = "", None
    Image.objects.filter(pk=image.pk).update(
        renditions=record,
        width=image.width,
        height=image.height,
        renditions_error="",
        renditions_failed_at=None,
    )
    return recorded(image)


def failed_for_current_file(image: Image) -> bool:
    """Renditions of this very file failed before (so they are not tried again by a save)."""
    return bool(image.file) and (image.renditions or {}).get("failed") == rendition_key(image)


# Errors that say the file itself is unusable: trying again would fail the same way.
REFUSALS = (RenditionError, PILImage.UnidentifiedImageError, PILImage.DecompressionBombError)


def build_renditions(
    image: Image, *, retry: bool = False, raise_transient: bool = False
) -> RenditionSet | None:
    """Make and record the image's renditions; on failure record why, once, and return None.

    A file whose renditions failed before is not tried again unless `retry` (staff asking
    from the image admin or `make_renditions --retry-failed`). With `raise_transient` (the
    background job), an error other than a refusal of the file is recorded and raised
    again, for the queue to retry.
    """
    if not image.file or (failed_for_current_file(image) and not retry):
        return None
    try:
        return ensure_renditions(image)
    except Exception as error:  # a broken file must never break the save that stored it
        known = isinstance(error, RenditionError)  # our own refusal: no traceback needed
        logger.warning(
            "Could not make renditions of image %s: %s", image.pk, error, exc_info=not known
        )
        _record_failure(image, error)
        if raise_transient and not isinstance(error, REFUSALS):
            raise
        return None


def _record_failure(image: Image, error: Exception) -> None:
    reason = str(error) or type(error).__name__
    if isinstance(error, PILImage.UnidentifiedImageError):
        reason = f"not a {uploads.format_names()} picture"
    elif isinstance(error, PILImage.DecompressionBombError):
        reason = f"too many pixels ({error})"
    elif not isinstance(error, RenditionError):
        reason = f"{type(error).__name__}: {reason}"
    image.renditions = {"failed": rendition_key(image)}
    image.renditions_error = reason[:2000]
    image.renditions_failed_at = timezone.now()
    Image.objects.filter(pk=image.pk).update(
        renditions=image.renditions,
        renditions_error=image.renditions_error,
        renditions_failed_at=image.renditions_failed_at,
    )


def schedule_renditions(image: Image) -> None:
    """Have the image's renditions made by a background job, once this save commits: the
    one place that decides when."""
    from articles import jobs

    enqueue_on_commit(jobs.make_image_renditions, image.pk, image.file.name)


def renditions_for(image: Image | None) -> RenditionSet | None:
    """For pages: the renditions recorded for the image's current file, or None.

    Never makes them: a reader's request only reads the record already loaded with the
    image (no query, no storage call, no Pillow). None means the page shows the original.
    """
    if image is None:
        return None
    return recorded(image)


def _image_saved(sender, instance: Image, raw: bool = False, **kwargs) -> None:
    if raw:
        return  # fixtures: files may not be in place yet; `make_renditions` makes them
    if instance.file and recorded(instance) is None and not failed_for_current_file(instance):
        schedule_renditions(instance)


def connect_signals() -> None:
    """Make renditions when an image is saved (called from the app config's ready())."""
    post_save.connect(_image_saved, sender=Image, dispatch_uid="articles.renditions.saved")
