"""Template helpers for the public site: dates as precisely as they are known, language
names in the reader's language, quotes in the reader's language, and how a role ended."""

import datetime
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from articles.models import Section
from articles.site import navigation
from articles.site.caching import model_tag
from newsroom import pagecache
from newsroom.languages import QUOTE_LANGUAGES
from people.models import DatePrecision, Position, Quote, script_language

register = template.Library()

# How a month is abbreviated in running text: Dutch writes "okt 2021", English "Oct 2021".
_MONTH_STYLE = {"nl": "b"}

# Codes without their own entry in Django's language table.
_LANGUAGE_INFO_CODES = {"zh": "zh-hans"}


@register.filter
def partial_date(value: datetime.date | None, precision: str) -> str:
    """A date shown only as precisely as it is known, in the active language:
    '15 Oct 2021', 'Oct 2021', '2021' (English); '15 okt 2021' (Dutch); '15 Eki 2021'."""
    if value is None or precision in (DatePrecision.UNKNOWN, "", None):
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    month = _MONTH_STYLE.get(translation.get_language() or "", "M")
    if precision == DatePrecision.MONTH:
        return date_format(value, f"{month} Y")
    return date_format(value, f"j {month} Y")


@register.filter
def language_label(code: str) -> str:
    """A language's name in the active language ('Engels' on a Dutch page)."""
    try:
        info = translation.get_language_info(_LANGUAGE_INFO_CODES.get(code, code))
    except KeyError:
        return dict(QUOTE_LANGUAGES).get(code, code)
    return str(info["name_translated"])


@dataclass(frozen=True)
class ShownQuote:
    quote: Quote
    text: str
    language: str

    @property
    def is_translation(self) -> bool:
        """True when the reader sees our translation rather than the quote as recorded."""
        return self.language != self.quote.language


@register.simple_tag
def quote_in(quote: Quote, language: str) -> ShownQuote:
    """The quote in `language` when a translation exists, else as recorded (uses the
    prefetched translations)."""
    text, shown_language = quote.text_in(language)
    return ShownQuote(quote, text, shown_language)


@register.filter
def partial_iso(value: datetime.date | None, precision: str) -> str:
    """The machine-readable form of a partly known date, for <time datetime>."""
    if value is None or precision in (DatePrecision.UNKNOWN, "", None):
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


@register.filter
def with_lang(path: str, language: str) -> str:
    """A page without a language prefix (person, company, thread, list), shown in
    `language`."""
    if not language:
        return path
    return navigation.with_language(path, language)


@register.simple_tag
def list_url(language: str | None, **filters) -> str:
    """The article list in `language`, filtered: {% list_url page_language person=slug %}."""
    path = reverse("articles:list")
    if not language:
        return navigation.with_language(path, navigation.default_language(), filters)
    return navigation.with_language(path, language, filters)


@register.simple_tag
def front_url(language: str | None = None) -> str:
    return navigation.front_url(language or navigation.default_language())


@register.simple_tag
def site_name() -> str:
    return settings.SITE_NAME


@register.simple_tag
def house_lang(page_language: str | None) -> str:
    """` lang="en"` for text the editors write in the default language (bios, thread
    titles, role titles) when the page is in another language; nothing otherwise."""
    default = navigation.default_language()
    if page_language and page_language != default:
        return format_html(' lang="{}"', default)
    return ""


@register.filter
def native_lang(name: str) -> str:
    """The language of a name in its own script, as far as the script tells it (a person's
    or company's `native_lang` knows better: the editors may have said)."""
    return script_language(name)


@register.simple_tag
def translated(obj, field: str, language: str | None) -> str:
    """A section's or story thread's `field` in `language` where the editors translated
    it, else in the house language: {% translated storyline "title" page_language %}."""
    return obj.translated(field, language)


@register.simple_tag
def translated_lang(obj, field: str, page_language: str | None) -> str:
    """` lang="en"` on the element around `{% translated %}` when the words shown are the
    house language's on a page in another; nothing when they are in the page's."""
    _words, shown = obj.shown_in(field, page_language)
    if page_language and shown != page_language:
        return format_html(' lang="{}"', shown)
    return ""


@register.simple_tag(takes_context=True)
def site_sections(context):
    """The sections, for the site navigation. Every page shows them, so a change to any
    section retires every cached page (the `model:articles.section` tag)."""
    request = context.get("request")
    if request is not None:
        pagecache.tag(request, model_tag(Section))
    language = translation.get_language()
    sections = Section.objects.only("name", "slug", "translations")
    # In the order of the names shown, in the page's language.
    return sorted(sections, key=lambda section: section.translated("name", language).casefold())


@register.filter
def initials(name: str) -> str:
    """Up to two initials for a placeholder avatar: 'Lei Jun' -> 'LJ'."""
    words = [word for word in (name or "").replace("(", " ").split() if word[:1].isalnum()]
    return "".join(word[0].upper() for word in words[:2])


@register.filter
def partial_time(value: datetime.date | None, precision: str) -> str:
    """A partly known date as a <time> element, to drop into a translated sentence."""
    shown = partial_date(value, precision)
    if not shown:
        return ""
    return format_html('<time datetime="{}">{}</time>', partial_iso(value, precision), shown)


@register.simple_tag
def role_ending(position: Position, page_language: str) -> str:
    """How a role ended, as a sentence in the page's language with the ending as a badge:
    'Replaced by Zeng Xuezhong on 15 Oct 2021', 'Resigned in 2023', 'Still held'.

    Takes a role from `people.timeline` (successor loaded, `successor_is_public` set).
    """
    ending = Position.Ending(position.ending)
    if ending == Position.Ending.UNKNOWN and position.end_date:
        ending = Position.Ending.ENDED  # it did end, we just do not know how
    badge = format_html('<span class="badge badge--{}">{}</span>', position.ending, ending.label)
    if position.is_current:
        return badge
    successor = ""
    if position.successor_id:
        name = position.successor.name
        successor = (
            format_html(
                '<a href="{}">{}</a>',
                with_lang(position.successor.get_absolute_url(), page_language),
                name,
            )
            if position.successor_is_public
            else name
        )
    date = partial_time(position.end_date, position.end_precision)
    on_day = position.end_precision == DatePrecision.DAY
    if ending == Position.Ending.REPLACED and successor:
        if not date:
            sentence = _("%(ending)s by %(name)s")
        elif on_day:
            sentence = _("%(ending)s by %(name)s on %(date)s")
        else:
            sentence = _("%(ending)s by %(name)s in %(date)s")
    elif successor:
        if not date:
            sentence = _("%(ending)s; succeeded by %(name)s")
        elif on_day:
            sentence = _("%(ending)s on %(date)s; succeeded by %(name)s")
        else:
            sentence = _("%(ending)s in %(date)s; succeeded by %(name)s")
    elif not date:
        return badge
    elif on_day:
        sentence = _("%(ending)s on %(date)s")
    else:
        sentence = _("%(ending)s in %(date)s")
    return format_html(
        sentence.replace("%(ending)s", "{ending}")
        .replace("%(name)s", "{name}")
        .replace("%(date)s", "{date}"),
        ending=badge,
        name=successor,
        date=date,
    )
