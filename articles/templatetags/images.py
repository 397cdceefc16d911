"""`{% responsive_image image sizes="…" %}`: a <picture> with WebP and JPEG/PNG renditions.

    {% load images %}
    {% responsive_image article.lead_image sizes="(max-width: 46rem) 100vw, 46rem" %}

Options: `sizes` (default "100vw"), `loading` ("lazy" or "eager"; eager also asks for a
high fetch priority, for the lead image), `alt` (defaults to the image's alt text; pass
alt="" for a purely decorative picture), `class`. Width and height are always set, so the
page does not jump while the picture loads.
"""

from django import template
from django.utils.html import format_html, format_html_join

from articles.renditions import renditions_for

register = template.Library()

_EXTRA_ATTRIBUTES = ("class", "fetchpriority", "id")


def _srcset(renditions) -> str:
    return ", ".join(f"{r.url} {r.width}w" for r in renditions)


@register.simple_tag
def responsive_image(image, sizes="100vw", loading="lazy", alt=None, **attributes):
    if image is None or not getattr(image, "file", None):
        return ""
    unknown = set(attributes) - set(_EXTRA_ATTRIBUTES)
    if unknown:
        raise template.TemplateSyntaxError(
            f"responsive_image does not take {', '.join(sorted(unknown))}; "
            f"it takes sizes, loading, alt, {', '.join(_EXTRA_ATTRIBUTES)}."
        )
    loading = "eager" if loading == "eager" else "lazy"
    if loading == "eager":
        attributes.setdefault("fetchpriority", "high")
    alt = image.alt_text if alt is None else alt
    extra = format_html_join("", ' {}="{}"', sorted((k, v) for k, v in attributes.items() if v))

    renditions = renditions_for(image)  # only reads the record: never made in a page
    if renditions is None:
        # Not made yet, or failed: the original, as it is, with its size and alt text.
        size = (
            format_html(' width="{}" height="{}"', image.width, image.height)
            if image.width and image.height
            else ""
        )
        return format_html(
            '<img src="{}"{} alt="{}" loading="{}" decoding="async"{}>',
            image.file.url,
            size,
            alt,
            loading,
            extra,
        )
    # For browsers that ignore srcset: the copy nearest to a typical column width.
    fallback = min(renditions.fallback, key=lambda r: abs(r.width - 960))
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'loading="{}" decoding="async"{}></picture>',
        _srcset(renditions.webp),
        sizes,
        fallback.url,
        _srcset(renditions.fallback),
        sizes,
        renditions.width,
        renditions.height,
        alt,
        loading,
        extra,
    )
