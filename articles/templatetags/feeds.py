"""Feed autodiscovery: `{% load feeds %}{% feed_links obj page_language %}` in a page's <head>.

`obj` may be an article, person, company, story thread or section (or nothing, for the
language's own feeds). The tag reads only what the page has loaded already: an article's
story threads come from its prefetched storyline entries.
"""

from dataclasses import dataclass

from django import template

from articles.models import Article, Section, Storyline
from articles.site.navigation import page_language
from articles.syndication.subjects import FORMATS, FeedSubject
from people.models import Company, Person

register = template.Library()

KIND_OF_MODEL = {Person: "people", Company: "companies", Storyline: "stories", Section: "sections"}


@dataclass(frozen=True)
class FeedLink:
    href: str
    media_type: str
    title: str
    hreflang: str


def subjects_for(obj, language: str | None) -> list[FeedSubject]:
    """The feeds a page about `obj` should offer, most specific first.

    `language` is the page's, which its view has already checked with `page_language`;
    a page rendered without one (Django's own 400 page) gets the default language's.
    """
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


@register.inclusion_tag("feeds/_autodiscovery.html")
def feed_links(obj=None, language=None) -> dict:
    """<link rel="alternate"> elements for the feeds relevant to a page."""
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
    return {"feed_links": links}
