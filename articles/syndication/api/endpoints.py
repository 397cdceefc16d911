"""The API's operations. Thin, like the public views: check the parameters, ask the public
querysets, say what the answer shows (`responses.shows`), shape it (`represent`).

Each operation runs a fixed number of queries whatever the size of its page or of the
story graph around what it shows (tests/articles/syndication/api/test_queries.py).
"""

import datetime
import re
from typing import Annotated

from django.db.models import Prefetch, Q
from django.http import Http404
from ninja import Path, Query, Router
from pydantic import BeforeValidator

from articles.models import Article, Section, Storyline, StorylineEntry, published_condition
from articles.site.caching import about_tag, list_tags, model_tag, story_tag
from articles.syndication.api import cursors, represent
from articles.syndication.api.problems import BadParameter
from articles.syndication.api.responses import shows
from articles.syndication.api.schemas import (
    ArticleDetail,
    ArticlePage,
    CompanyDetail,
    CompanyPage,
    PersonDetail,
    PersonPage,
    Problem,
    QuoteDetail,
    QuotePage,
    StoryDetail,
    StoryPage,
)
from articles.translation import with_translation_state
from newsroom.languages import language_codes, quote_language_choices
from people.models import Company, Person, Quote
from people.timeline import company_timeline, person_timeline

router = Router()

LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[a-z]{2,4})?$"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG_LENGTH = 200
MAX_ID = 2**63 - 1

OK_OR_BAD = {200: None, 400: Problem}
OK_OR_MISSING = {200: None, 400: Problem, 404: Problem}


def responses(schema, errors=OK_OR_BAD) -> dict:
    return {**errors, 200: schema}


def slug_param(description: str, *, default=None):
    return Query(default, pattern=SLUG_PATTERN, max_length=SLUG_LENGTH, description=description)


def cursor_param():
    return Query(
        None,
        pattern=cursors.CURSOR_PATTERN,
        max_length=cursors.MAX_CURSOR_LENGTH,
        description="Where the page starts: the `next_cursor` of the page before.",
    )


def limit_param():
    return Query(
        cursors.DEFAULT_LIMIT,
        ge=1,
        le=cursors.MAX_LIMIT,
        description=f"How many items a page holds (at most {cursors.MAX_LIMIT}).",
    )


def path_slug(example: str):
    # The example (from the demo newsroom) shows in the docs, and the property-based
    # tests try it first, so they see a real answer as well as misses.
    return Path(..., pattern=SLUG_PATTERN, max_length=SLUG_LENGTH, example=example)


def page(request, items: list[dict], next_cursor: str | None) -> dict:
    return {
        "items": items,
        "next_cursor": next_cursor,
        "next": cursors.next_url(request, next_cursor),
    }


# -- Parameters -------------------------------------------------------------------------


def publishing_language(value: str, *, name: str = "language") -> str:
    if value not in language_codes():
        raise BadParameter(
            name, f"We do not publish in “{value}”; use one of {', '.join(language_codes())}."
        )
    return value


def found_by_slug(queryset, slug: str, *, name: str, what: str):
    """The public object a filter names, or a 400 naming the filter (a person known only
    from drafts is as unknown here as one who does not exist)."""
    found = queryset.filter(slug=slug).first()
    if found is None:
        raise BadParameter(name, f"There is no {what} with the slug “{slug}”.")
    return found


ISO_DATE_START = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _iso_8601_only(value):
    # pydantic would also read a number as seconds since 1970; the schema promises ISO 8601.
    if not (isinstance(value, str) and ISO_DATE_START.match(value)):
        raise ValueError("Give an ISO 8601 moment, such as 2025-01-31T12:00:00Z.")
    return value


Moment = Annotated[datetime.datetime, BeforeValidator(_iso_8601_only)]


def moment(value: datetime.datetime, *, name: str) -> datetime.datetime:
    """An aware moment from a parameter (one without a zone is taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        raise BadParameter(name, "This moment is out of range.") from None


# -- Articles -------------------------------------------------------------------------


@router.get(
    "/articles",
    response=responses(ArticlePage),
    by_alias=True,  # Problem's "invalid-params"
    url_name="articles",
    summary="Published articles, newest first",
    tags=["articles"],
)
def list_articles(
    request,
    language: str | None = Query(
        None, pattern=LANGUAGE_PATTERN, description="Only articles in this language."
    ),
    person: str | None = slug_param("Only stories that mention or are written by this person."),
    company: str | None = slug_param("Only stories that mention this company."),
    section: str | None = slug_param("Only stories in this section."),
    story: str | None = slug_param("Only articles in this story thread."),
    updated_since: Moment | None = Query(
        None,
        description="Only articles changed or published at or after this ISO 8601 moment "
        "(UTC when it has no offset).",
    ),
    cursor: str | None = cursor_param(),
    limit: int = limit_param(),
):
    """Every language version is its own article; filters combine (all must hold). Pages
    are stable while articles are published: a cursor continues where its page ended."""
    articles = Article.objects.published()
    shown = [*list_tags(language)]
    if language:
        articles = articles.for_language(publishing_language(language))
    if person:
        subject = found_by_slug(Person.objects.public(), person, name="person", what="person")
        articles = articles.about_person(subject)
        shown += [subject, about_tag(subject)]
    if company:
        subject = found_by_slug(Company.objects.public(), company, name="company", what="company")
        articles = articles.about_company(subject)
        shown += [subject, about_tag(subject)]
    if section:
        subject = found_by_slug(Section.objects.all(), section, name="section", what="section")
        articles = articles.filter(sections=subject)
        shown += [subject, about_tag(subject)]
    if story:
        subject = found_by_slug(
            Storyline.objects.public(), story, name="story", what="story thread"
        )
        articles = articles.filter(storyline_entries__storyline=subject)
        shown += [subject, about_tag(subject)]
    if updated_since:
        since = moment(updated_since, name="updated_since")
        # A scheduled article is last saved before it goes public: its publish time counts.
        articles = articles.filter(Q(updated_at__gte=since) | Q(published_at__gte=since))
    rows, next_cursor = cursors.newest_first_page(
        articles.with_list_data().cards(), cursor=cursor, limit=limit
    )
    shows(request, *shown, *rows)
    return page(request, [represent.article_summary(a) for a in rows], next_cursor)


def article_answer(request, article: Article | None, *, missing: str) -> dict:
    if article is None:
        raise Http404(missing)
    versions = list(
        with_translation_state(
            Article.objects.published()
            .filter(translation_key=article.translation_key, language__in=language_codes())
            .exclude(pk=article.pk)
            .only("language", "slug", "title", "published_at", "translation_key", "status")
        )
    )
    codes = language_codes()
    versions.sort(key=lambda version: codes.index(version.language))
    shows(request, article, *versions, story_tag(article))
    return represent.article_detail(article, versions=versions)


@router.get(
    "/articles/{id}",
    response=responses(ArticleDetail, OK_OR_MISSING),
    by_alias=True,
    url_name="article",
    summary="One published article",
    tags=["articles"],
)
def article_by_id(request, id: int = Path(..., ge=1, le=MAX_ID)):
    article = Article.objects.published().with_page_data().filter(pk=id).first()
    return article_answer(request, article, missing=f"No published article has the id {id}.")


@router.get(
    "/articles/{language}/{slug}",
    response=responses(ArticleDetail, OK_OR_MISSING),
    by_alias=True,
    url_name="article-by-slug",
    summary="One published article, by its language and slug (as in its page's address)",
    tags=["articles"],
)
def article_by_slug(
    request,
    language: str = Path(..., pattern=LANGUAGE_PATTERN, example="en"),
    slug: str = path_slug("lei-jun-gives-up-roles-for-xiaomi-cars"),
):
    if language not in language_codes():
        raise Http404(f"We do not publish in “{language}”.")
    article = (
        Article.objects.published().with_page_data().filter(language=language, slug=slug).first()
    )
    return article_answer(
        request, article, missing=f"No published article in “{language}” has the slug “{slug}”."
    )


# -- People and companies -------------------------------------------------------------


@router.get(
    "/people",
    response=responses(PersonPage),
    by_alias=True,
    url_name="people",
    summary="People with a public page, by slug",
    tags=["people"],
)
def list_people(request, cursor: str | None = cursor_param(), limit: int = limit_param()):
    rows, next_cursor = cursors.ascending_page(
        Person.objects.public(), kind="people", field="slug", cursor=cursor, limit=limit
    )
    shows(request, "list", model_tag(Person), *rows)
    return page(request, [represent.person_ref(p) for p in rows], next_cursor)


@router.get(
    "/people/{slug}",
    response=responses(PersonDetail, OK_OR_MISSING),
    by_alias=True,
    url_name="person",
    summary="A person, with their roles over time",
    tags=["people"],
)
def person_detail(request, slug: str = path_slug("lei-jun")):
    person = Person.objects.public().select_related("photo").filter(slug=slug).first()
    if person is None:
        raise Http404(f"No person with a public page has the slug “{slug}”.")
    positions = person_timeline(person)
    shows(request, person, positions, about_tag(person))
    return {
        **represent.person_ref(person),
        "aliases": person.alias_list,
        "bio": person.bio,
        "photo": represent.image(person.photo),
        "roles": [represent.role(position) for position in positions],
        "articles_url": represent.list_url(person=person.slug),
        "quotes_url": represent.api_url("quotes", f"?person={person.slug}"),
    }


@router.get(
    "/companies",
    response=responses(CompanyPage),
    by_alias=True,
    url_name="companies",
    summary="Companies with a public page, by slug",
    tags=["companies"],
)
def list_companies(request, cursor: str | None = cursor_param(), limit: int = limit_param()):
    rows, next_cursor = cursors.ascending_page(
        Company.objects.public(), kind="companies", field="slug", cursor=cursor, limit=limit
    )
    shows(request, "list", model_tag(Company), *rows)
    return page(request, [represent.company_ref(c) for c in rows], next_cursor)


@router.get(
    "/companies/{slug}",
    response=responses(CompanyDetail, OK_OR_MISSING),
    by_alias=True,
    url_name="company",
    summary="A company, with its parent, subsidiaries and people over time",
    tags=["companies"],
)
def company_detail(request, slug: str = path_slug("xiaomi")):
    company = Company.objects.public().filter(slug=slug).first()
    if company is None:
        raise Http404(f"No company with a public page has the slug “{slug}”.")
    timeline = company_timeline(company)
    shows(
        request,
        company,
        timeline.parent,
        timeline.subsidiaries,
        timeline.positions,
        about_tag(company),
    )
    return {
        **represent.company_ref(company),
        "aliases": company.alias_list,
        "tickers": [
            {"symbol": symbol, "exchange": exchange}
            for symbol, _, exchange in (t.partition(":") for t in company.ticker_list)
        ],
        "website": company.website,
        "description": company.description,
        "parent": represent.company_ref(timeline.parent) if timeline.parent else None,
        "subsidiaries": [represent.company_ref(c) for c in timeline.subsidiaries],
        "roles": [represent.role(position) for position in timeline.positions],
        "more_roles": timeline.more_positions,
        "articles_url": represent.list_url(company=company.slug),
    }


# -- Quotes ---------------------------------------------------------------------------


def quote_languages() -> list[str]:
    return [code for code, _name in quote_language_choices()]


@router.get(
    "/quotes",
    response=responses(QuotePage),
    by_alias=True,
    url_name="quotes",
    summary="Quotes that published articles use, newest first",
    tags=["quotes"],
)
def list_quotes(
    request,
    person: str | None = slug_param("Only this person's words."),
    language: str | None = Query(
        None, pattern=LANGUAGE_PATTERN, description="Only quotes said in this language."
    ),
    cursor: str | None = cursor_param(),
    limit: int = limit_param(),
):
    quotes = Quote.objects.public().select_related("speaker").prefetch_related("translations")
    shown = ["list", model_tag(Quote)]
    if person:
        speaker = found_by_slug(Person.objects.public(), person, name="person", what="person")
        quotes = quotes.filter(speaker=speaker)
        shown.append(speaker)
    if language:
        if language not in quote_languages():
            raise BadParameter(
                "language",
                f"No quotes are kept in “{language}”; use one of {', '.join(quote_languages())}.",
            )
        quotes = quotes.filter(language=language)
    rows, next_cursor = cursors.descending_id_page(
        quotes, kind="quotes", cursor=cursor, limit=limit
    )
    shows(request, *shown, *rows)
    return page(request, [represent.quote(q) for q in rows], next_cursor)


@router.get(
    "/quotes/{id}",
    response=responses(QuoteDetail, OK_OR_MISSING),
    by_alias=True,
    url_name="quote",
    summary="A quote, with its translations and the articles that use it",
    tags=["quotes"],
)
def quote_detail(request, id: int = Path(..., ge=1, le=MAX_ID)):
    quote = (
        Quote.objects.public()
        .select_related("speaker")
        .prefetch_related(
            "translations",
            Prefetch(
                "articles",
                queryset=Article.objects.published()
                .only("language", "slug", "title", "published_at", "status")
                .order_by("published_at", "pk"),
                to_attr="published_articles",
            ),
        )
        .filter(pk=id)
        .first()
    )
    if quote is None:
        raise Http404(f"No quote in a published article has the id {id}.")
    shows(request, quote, quote.published_articles, about_tag(quote))
    return {
        **represent.quote(quote),
        "articles": [represent.article_ref(a) for a in quote.published_articles],
    }


# -- Story threads --------------------------------------------------------------------


@router.get(
    "/stories",
    response=responses(StoryPage),
    by_alias=True,
    url_name="stories",
    summary="Story threads with published articles, by slug",
    tags=["stories"],
)
def list_stories(request, cursor: str | None = cursor_param(), limit: int = limit_param()):
    rows, next_cursor = cursors.ascending_page(
        Storyline.objects.public(), kind="stories", field="slug", cursor=cursor, limit=limit
    )
    shows(request, "list", model_tag(Storyline), *rows)
    return page(request, [represent.story_summary(s) for s in rows], next_cursor)


@router.get(
    "/stories/{slug}",
    response=responses(StoryDetail, OK_OR_MISSING),
    by_alias=True,
    url_name="story",
    summary="A story thread, with its published articles in order",
    tags=["stories"],
)
def story_detail(request, slug: str = path_slug("lei-jun-hands-over-his-roles")):
    storyline = Storyline.objects.public().filter(slug=slug).first()
    if storyline is None:
        raise Http404(f"No story thread with published articles has the slug “{slug}”.")
    entries = list(
        StorylineEntry.objects.filter(storyline=storyline)
        .filter(published_condition("article__"))
        .select_related("article")
        .only(
            "position",
            "storyline",
            *(
                f"article__{field}"
                for field in ("language", "slug", "title", "published_at", "status")
            ),
        )
        .order_by("position", "article__published_at", "pk")
    )
    shows(request, storyline, entries, about_tag(storyline))
    return {
        **represent.story_summary(storyline),
        "entries": [
            {"position": entry.position, "article": represent.article_ref(entry.article)}
            for entry in entries
        ],
    }
