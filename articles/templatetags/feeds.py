"""Feed autodiscovery: `{% load feeds %}{% feed_links obj language %}` in a page's <head>.

`obj` may be an article, person, company, story thread or section (or nothing, for the
language's own feeds). The tag reads only what the page has loaded already: an article's
story threads come from its prefetched storyline entries.
"""

from dataclasses import dataclass

from django import template
from django.utils.translation import get_language

from articles.models import Article, Section, Storyline
from articles.syndication.feeds import FORMATS, FeedSubject
from newsroom.languages import language_codes
from people.models import Company, Person

register = template.Library()

KIND_OF_MODEL = {Person: "people", Company: "companies", Storyline: "stories", Section: "sections"}


@dataclass(frozen=True)
class FeedLink:
    href: str
    media_type: str
    title: str
    hreflang: str


def page_language(language: str | None) -> str:
    codes = language_codes()
    for candidate in (language, get_language()):
        if candidate in codes:
            return candidate
        if candidate and candidate.split("-")[0] in codes:
            return candidate.split("-")[0]
    return codes[0]


def subjects_for(obj, language: str | None) -> list[FeedSubject]:
    """The feeds a page about `obj` should offer, most specific first."""
    if isinstance(obj, Article):
        language = obj.language
        threads = [entry.storyline for entry in obj.storyline_entries.all()]
        subjects = [FeedSubject(language=language, kind="stories", obj=s) for s in threads]
        return [*subjects, FeedSubject(language=language)]
    language = page_language(language)
    kind = KIND_OF_MODEL.get(type(obj))
    if kind is None:
        return [FeedSubject(language=language)]
    return [FeedSubject(language=language, kind=kind, obj=obj), FeedSubject(language=language)]


@register.simple_tag
def feed_link_list(obj=None, language=None) -> list[FeedLink]:
    """The autodiscovery links for a page, as data: `{% feed_link_list person as links %}`."""
    links = []
    for subject in subjects_for(obj, language):
        title = subject.title()
        for fmt in FORMATS.values():
            links.append(
                FeedLink(
                    href=subject.url(fmt.key),
                    media_type=fmt.media_type,
                    title=f"{title} — {fmt.label}",
                    hreflang=subject.language,
                )
            )
    return links


@register.inclusion_tag("feeds/_autodiscovery.html")
def feed_links(obj=None, language=None) -> dict:
    """<link rel="alternate"> elements for the feeds relevant to a page."""
    return {"feed_links": feed_link_list(obj, language)}
