"""Model rows as the API's shapes (`schemas`): plain dicts, built from what the endpoints'
querysets already loaded, so no function here runs a query of its own (a lead image whose
renditions were never made is the one exception, as on the pages: made once, then kept).
"""

import datetime

from django.urls import reverse

from articles.models import Article, Image, Section, Storyline
from articles.renditions import renditions_for
from articles.syndication.feeds import absolute_body
from articles.translation import translation_state
from newsroom.site import absolute_url
from people.models import (
    Company,
    DatePrecision,
    Person,
    Position,
    Quote,
    format_partial_date,
)

NAMESPACE = "api-v1"


def api_url(name: str, query: str = "", **kwargs) -> str:
    return absolute_url(reverse(f"{NAMESPACE}:{name}", kwargs=kwargs or None) + query)


def list_url(**filters: str) -> str:
    """The API's article list with `filters`."""
    query = "?" + "&".join(f"{name}={value}" for name, value in filters.items())
    return api_url("articles", query)


def partial_date(value: datetime.date | None, precision: str) -> dict | None:
    if value is None or precision == DatePrecision.UNKNOWN:
        return None
    iso = {
        DatePrecision.YEAR: f"{value.year:04d}",
        DatePrecision.MONTH: f"{value.year:04d}-{value.month:02d}",
    }.get(precision, value.isoformat())
    return {
        "value": iso,
        "precision": precision,
        "display": format_partial_date(value, precision),
    }


def image(picture: Image | None) -> dict | None:
    if picture is None or not picture.file:
        return None
    made = renditions_for(picture)
    renditions = []
    if made is not None:
        renditions = [
            {"url": absolute_url(r.url), "width": r.width, "height": r.height, "type": r.mime_type}
            for r in (*made.webp, *made.fallback)
        ]
        renditions.sort(key=lambda r: (r["width"], r["type"]))
    return {
        "url": absolute_url(picture.file.url),
        "width": picture.width,
        "height": picture.height,
        "alt_text": picture.alt_text,
        "caption": picture.caption,
        "credit": picture.credit,
        "renditions": renditions,
    }


def person_ref(person: Person, *, public: bool = True) -> dict:
    return {
        "slug": person.slug,
        "name": person.name,
        "native_name": person.native_name,
        "url": absolute_url(person.get_absolute_url()) if public else None,
        "api_url": api_url("person", slug=person.slug) if public else None,
    }


def company_ref(company: Company, *, public: bool = True) -> dict:
    return {
        "slug": company.slug,
        "name": company.name,
        "native_name": company.native_name,
        "url": absolute_url(company.get_absolute_url()) if public else None,
        "api_url": api_url("company", slug=company.slug) if public else None,
    }


def section(item: Section) -> dict:
    return {
        "slug": item.slug,
        "name": item.name,
        "url": absolute_url(f"{reverse('articles:list')}?section={item.slug}"),
        "api_url": list_url(section=item.slug),
    }


def article_ref(article: Article) -> dict:
    return {
        "id": article.pk,
        "language": article.language,
        "slug": article.slug,
        "title": article.title,
        "published_at": article.published_at,
        "url": absolute_url(article.get_absolute_url()),
        "api_url": api_url("article", id=article.pk),
    }


def article_summary(article: Article) -> dict:
    """A list item: needs `lead_image`, `authors` and `sections` loaded
    (`ArticleQuerySet.with_list_data`)."""
    return {
        **article_ref(article),
        "standfirst": article.standfirst,
        "updated_at": max(article.updated_at, article.published_at),
        "revised_at": article.revised_at,
        "authors": [person_ref(person) for person in article.authors.all()],
        "byline_note": article.byline_note,
        "sections": [section(item) for item in article.sections.all()],
        "lead_image": image(article.lead_image),
    }


def quote(item: Quote) -> dict:
    """Needs `speaker` and `translations` loaded."""
    return {
        "id": item.pk,
        "speaker": person_ref(item.speaker),
        "text": item.text,
        "language": item.language,
        "rendered_from": item.rendered_from or None,
        "said_on": partial_date(item.said_on, item.said_on_precision),
        "context": item.context,
        "source_url": item.source_url,
        "translations": [
            {"language": t.language, "text": t.text, "note": t.note}
            for t in item.translations.all()
        ],
        "api_url": api_url("quote", id=item.pk),
    }


def quote_in_article(item: Quote, *, language: str) -> dict:
    text, shown_language = item.text_in(language)
    return {
        **quote(item),
        "shown": {
            "text": text,
            "language": shown_language,
            "is_translation": shown_language != item.language,
        },
    }


def story_summary(storyline: Storyline) -> dict:
    return {
        "slug": storyline.slug,
        "title": storyline.title,
        "description": storyline.description,
        "url": absolute_url(storyline.get_absolute_url()),
        "api_url": api_url("story", slug=storyline.slug),
    }


def article_detail(article: Article, *, versions: list[Article]) -> dict:
    """Needs what `ArticleQuerySet.with_page_data` loads; `versions` are the story's other
    published versions, each annotated with `translation_state`."""
    url = absolute_url(article.get_absolute_url())
    source = article.translation_of
    return {
        **article_summary(article),
        "body_html": absolute_body(article.body, url),
        "dateline": article.dateline,
        "source": article.source,
        "source_url": article.source_url,
        "people": [person_ref(person) for person in article.people.all()],
        "companies": [company_ref(company) for company in article.companies.all()],
        "quotes": [
            quote_in_article(item, language=article.language) for item in article.quotes.all()
        ],
        "stories": [
            {
                **story_summary(entry.storyline),
                "position": entry.position,
            }
            for entry in article.storyline_entries.all()
        ],
        "translation_state": translation_state(article),
        "translation_of": article_ref(source) if source is not None and source.is_live else None,
        "versions": [
            {**article_ref(version), "translation_state": version.translation_state}
            for version in versions
        ],
    }


def role(position: Position) -> dict:
    """A role from `people.timeline.public_positions` (which says whom to link)."""
    return {
        "person": person_ref(position.person, public=position.person_is_public),
        "title": position.title,
        "company": company_ref(position.company, public=position.company_is_public),
        "start": partial_date(position.start_date, position.start_precision),
        "end": partial_date(position.end_date, position.end_precision),
        "ending": position.ending,
        "current": position.is_current,
        "successor": (
            person_ref(position.successor, public=position.successor_is_public)
            if position.successor is not None
            else None
        ),
        "note": position.note,
        "sources": [article_ref(article) for article in position.published_sources],
    }
