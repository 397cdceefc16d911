"""Public article pages. Thin: work out the page's language, ask the querysets and
`navigation`, describe the page for search engines (`seo`), render.

Pages with a language prefix (/nl/…) are in that language. Pages without one (/articles/,
/stories/…, /people/…, /companies/…) are in the default language unless `?lang=` names
another; their lists prefer articles in that language.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from articles.models import Article, Storyline
from articles.site import seo
from articles.site.caching import about_tag, public_page, story_tag
from articles.site.filters import ArticleFilter
from articles.site.navigation import (
    activate_page_language,
    article_threads,
    default_language,
    front_url,
    language_links,
    language_versions,
    newest_published,
    one_per_story,
    page_language,
    people_in_the_news,
    related_articles,
    storyline_thread,
    threads_in_the_news,
    with_language,
    x_default_version,
)
from articles.site.pagination import page_number, window
from newsroom import pagecache
from newsroom.languages import language_codes
from newsroom.site import absolute_url

FRONT_PAGE_STORIES = 13
FRONT_PAGE_OTHER_LANGUAGES = 6
FRONT_PAGE_THREADS = 6
PEOPLE_IN_THE_NEWS = 8
LIST_PAGE_SIZE = 20


def _language_from_query(request) -> str:
    return page_language(request.GET.get("lang"))


@public_page(lists=True)
def front_page(request, language: str | None = None):
    language = page_language(language)
    activate_page_language(request, language)
    published = Article.objects.published()
    latest = list(
        published.for_language(language)
        .newest_first()
        .with_list_data()
        .cards()[:FRONT_PAGE_STORIES]
    )
    # Stories not (yet) told in this language, in the language they are told in.
    elsewhere = list(
        one_per_story(
            published.filter(pk__in=newest_published(exclude_language=language)),
            language=language,
        )
        .exclude(language=language)
        .newest_first()
        .with_list_data()
        .cards()[:FRONT_PAGE_OTHER_LANGUAGES]
    )
    threads = threads_in_the_news(FRONT_PAGE_THREADS)
    people = people_in_the_news(PEOPLE_IN_THE_NEWS)
    urls = {code: front_url(code) for code in language_codes()}
    meta = seo.PageMeta(
        title=_("Technology news"),
        description=_(
            "Technology news from the Newsroom desk: companies, the people who lead them and "
            "the stories that connect them."
        ),
        canonical=absolute_url(front_url(language)),
        language=language,
        alternates=seo.alternates(urls, x_default=front_url(default_language())),
        json_ld=[seo.website_data(language=language)],
    )
    return TemplateResponse(
        request,
        "articles/front.html",
        {
            "page_language": language,
            "lead": latest[0] if latest else None,
            "latest": latest[1:],
            "elsewhere": elsewhere,
            "threads": list(threads),
            "people": list(people),
            "meta": meta,
            "language_links": language_links(language, urls),
        },
    )


@public_page
def article_detail(request, language: str, slug: str):
    language = page_language(language)
    activate_page_language(request, language)
    article = (
        Article.objects.published().with_page_data().filter(language=language, slug=slug).first()
    )
    if article is None:
        # Perhaps the story is told under this slug in another language.
        elsewhere = list(
            Article.objects.published()
            .filter(slug=slug, language__in=language_codes())
            .exclude(language=language)[:3]
        )
        return page_not_found(request, None, suggestions=elsewhere)
    pagecache.tag(request, story_tag(article))
    versions = language_versions(article)
    urls = {version.language: version.get_absolute_url() for version in versions}
    canonical = absolute_url(article.get_absolute_url())
    default = x_default_version(versions)
    image = seo.SharedImage.of(article.lead_image)
    og_extra = [
        ("article:published_time", article.published_at.isoformat()),
        ("article:modified_time", seo.modified_at(article).isoformat()),
        *(
            ("article:section", section.translated("name", language))
            for section in article.sections.all()
        ),
        *(
            ("article:author", absolute_url(author.get_absolute_url()))
            for author in article.authors.all()
        ),
    ]
    meta = seo.PageMeta(
        title=article.title,
        description=seo.describe(article.standfirst, article.body),
        canonical=canonical,
        language=language,
        alternates=seo.alternates(urls, x_default=default.get_absolute_url() if default else None),
        og_type="article",
        image=image,
        json_ld=[seo.news_article(article, canonical=canonical, versions=versions)],
        og_extra=og_extra,
    )
    return TemplateResponse(
        request,
        "articles/detail.html",
        {
            "page_language": language,
            "article": article,
            "modified_at": seo.modified_at(article),
            "other_versions": [version for version in versions if version.pk != article.pk],
            "missing_languages": [
                (code, name) for code, name in settings.LANGUAGES if code not in urls
            ],
            "threads": article_threads(article, language=language),
            "related": related_articles(article, language=language),
            "meta": meta,
            "language_links": language_links(language, urls),
        },
    )


@public_page(lists=True)
def article_list(request):
    """All published articles, filtered (django-filter) and paginated. Without a language
    filter, each story appears once, in the page's language where it can."""
    language = _language_from_query(request)
    activate_page_language(request, language)
    filterset = ArticleFilter(
        request.GET,
        queryset=Article.objects.published().newest_first().with_list_data().cards(),
        request=request,
    )
    status, problem, page = 200, "", None
    number = page_number(request.GET.get("page"))
    if not filterset.is_valid():
        status = 400
        problem = _("Some of the filters could not be used; change them and try again.")
    elif number is None:
        status = 400
        problem = _("The page number must be a whole number, such as 2.")
    else:
        articles = filterset.qs
        if not filterset.active.get("language"):
            articles = one_per_story(articles, language=language)
        page = window(articles, number, LIST_PAGE_SIZE)
        if page is None:
            status = 404
            problem = _("There is no page %(number)s of this list.") % {"number": number}

    params = {
        name: request.GET.get(name, "")
        for name in filterset.filters
        if status != 400 or name in filterset.active
    }
    if status != 400 and page is not None and page.number > 1:
        params["page"] = str(page.number)
    path = request.path
    urls = {code: with_language(path, code, params) for code in language_codes()}
    filtered = any(name != "language" for name in filterset.active)
    meta = seo.PageMeta(
        title=_("All stories"),
        description=_("Every story the Newsroom has published, newest first."),
        canonical=absolute_url(urls[language]),
        language=language,
        alternates=seo.alternates(urls, x_default=urls[default_language()]),
        robots="noindex, follow" if status != 200 or filtered else "",
    )
    return TemplateResponse(
        request,
        "articles/list.html",
        {
            "page_language": language,
            "filterset": filterset,
            "active": filterset.active,
            "page": page,
            "problem": problem,
            "meta": meta,
            "language_links": language_links(language, urls),
            "clear_url": with_language(path, language),
        },
        status=status,
    )


@public_page
def storyline_detail(request, slug: str):
    language = _language_from_query(request)
    activate_page_language(request, language)
    storyline = get_object_or_404(Storyline.objects.public(), slug=slug)
    thread = storyline_thread(storyline, language=language)
    pagecache.tag(request, about_tag(storyline))
    path = storyline.get_absolute_url()
    urls = {code: with_language(path, code) for code in language_codes()}
    canonical = absolute_url(urls[language])
    title = storyline.translated("title", language)
    meta = seo.PageMeta(
        title=title,
        description=seo.describe(storyline.translated("description", language))
        or _("The story so far, in order."),
        canonical=canonical,
        language=language,
        alternates=seo.alternates(urls, x_default=path),
        image=seo.SharedImage.of(thread.stories[-1].lead_image) if thread.stories else None,
        json_ld=[seo.item_list(name=title, canonical=canonical, articles=thread.stories)],
    )
    return TemplateResponse(
        request,
        "articles/storyline.html",
        {
            "page_language": language,
            "storyline": storyline,
            "thread": thread,
            "meta": meta,
            "language_links": language_links(language, urls),
        },
    )


def page_not_found(request, exception=None, *, suggestions=(), reason=""):
    """The 404 page, in the language of the page the reader was after; `reason` says why
    in a reader's words where the view knows (an expired preview link).

    Pages are in the language of their URL: the view that gave up has already set it;
    otherwise a language prefix in the path, else the default language (the admin's too).
    """
    language = getattr(request, "page_language", None)
    if language is None:
        first = request.path_info.strip("/").split("/", 1)[0]
        language = first if first in language_codes() else default_language()
    activate_page_language(request, language)
    meta = seo.PageMeta(
        title=_("Page not found"),
        description="",
        canonical="",
        language=language,
        robots="noindex",
    )
    return render(
        request,
        "404.html",
        {
            "page_language": language,
            "suggestions": list(suggestions),
            "reason": reason,
            "meta": meta,
            # The page is missing in every language: each link goes to that language's
            # front page, which is where the header's language names lead.
            "language_links": language_links(
                language, {code: front_url(code) for code in language_codes()}
            ),
        },
        status=404,
    )
