"""Public person and company pages.

In the default language unless `?lang=` names another; their article lists prefer that
language. Only people and companies that published content names have a page (see
`Person.objects.public()` and `Company.objects.public()`).

They live with the other public pages rather than in people/: a person's page is a page of
stories, and people/ sits below articles/ in the layers (it never imports articles/).
"""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.models import Article
from articles.site import seo
from articles.site.caching import about_tag, public_page
from articles.site.navigation import (
    activate_page_language,
    language_links,
    one_per_story,
    page_language,
    versions_in,
    with_language,
)
from newsroom import pagecache
from newsroom.languages import language_codes
from newsroom.site import absolute_url
from people.models import Company, Person, Position, Quote
from people.timeline import company_timeline, person_timeline

PAGE_STORIES = 10


def _localise_sources(positions: list[Position], *, language: str) -> None:
    """Give each role `shown_sources`: its published sources, in `language` where a version
    exists. One query for all roles."""
    local = versions_in(
        [article for position in positions for article in position.published_sources],
        language=language,
    )
    for position in positions:
        shown, seen = [], set()
        for article in position.published_sources:
            if article.translation_key not in seen:
                seen.add(article.translation_key)
                shown.append(local.get(article.translation_key, article))
        position.shown_sources = shown


def _page(
    request,
    *,
    entity,
    template: str,
    context: dict,
    json_ld: dict,
    language: str,
    og_type: str,
    list_filter: dict,
):
    path = entity.get_absolute_url()
    urls = {code: with_language(path, code) for code in language_codes()}
    meta = seo.PageMeta(
        title=entity.name,
        description=json_ld.get("description", ""),
        canonical=json_ld["url"],
        language=language,
        alternates=seo.alternates(urls, x_default=path),
        og_type=og_type,
        json_ld=[json_ld],
    )
    return TemplateResponse(
        request,
        template,
        {
            **context,
            "page_language": language,
            "meta": meta,
            "language_links": language_links(language, urls),
            "all_stories_url": with_language(reverse("articles:list"), language, list_filter),
        },
    )


@public_page
def person_detail(request, slug: str):
    language = page_language(request.GET.get("lang"))
    activate_page_language(request, language)
    person = get_object_or_404(Person.objects.public().select_related("photo"), slug=slug)
    pagecache.tag(request, about_tag(person))
    positions = person_timeline(person)
    _localise_sources(positions, language=language)
    quotes = list(
        Quote.objects.filter(speaker=person)
        .public()
        .select_related("speaker")
        .prefetch_related("translations")
        .order_by("-said_on", "pk")
    )
    articles = list(
        one_per_story(Article.objects.published().about_person(person), language=language)
        .newest_first()
        .with_list_data()
        .cards()[:PAGE_STORIES]
    )
    canonical = absolute_url(with_language(person.get_absolute_url(), language))
    return _page(
        request,
        entity=person,
        template="people/person.html",
        context={
            "person": person,
            "positions": positions,
            "quotes": quotes,
            "articles": articles,
        },
        json_ld=seo.person_data(person, canonical=canonical, positions=positions),
        language=language,
        og_type="profile",
        list_filter={"person": person.slug},
    )


@public_page
def company_detail(request, slug: str):
    language = page_language(request.GET.get("lang"))
    activate_page_language(request, language)
    company = get_object_or_404(Company.objects.public(), slug=slug)
    pagecache.tag(request, about_tag(company))
    timeline = company_timeline(company)
    positions = timeline.positions
    _localise_sources(positions, language=language)
    articles = list(
        one_per_story(Article.objects.published().about_company(company), language=language)
        .newest_first()
        .with_list_data()
        .cards()[:PAGE_STORIES]
    )
    canonical = absolute_url(with_language(company.get_absolute_url(), language))
    return _page(
        request,
        entity=company,
        template="people/company.html",
        context={
            "company": company,
            "parent": timeline.parent,
            "subsidiaries": timeline.subsidiaries,
            "positions": positions,
            "more_positions": timeline.more_positions,
            "articles": articles,
        },
        json_ld=seo.organization_data(
            company, canonical=canonical, parent=timeline.parent, subsidiaries=timeline.subsidiaries
        ),
        language=language,
        og_type="website",
        list_filter={"company": company.slug},
    )


urlpatterns = [
    path("people/<slug:slug>/", person_detail, name="person"),
    path("companies/<slug:slug>/", company_detail, name="company"),
]
