"""The catalogue of feeds, for people choosing what to follow: the subscribe page (`/feeds/`)
and the same list as OPML (`/feeds.opml`) for readers that import many feeds at once.

Both list only subjects with something published in a language, from a fixed number of
queries however many feeds there are.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils import feedgenerator, timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from articles.models import Article, Section, Storyline
from articles.site.caching import model_tag
from articles.site.navigation import (
    activate_page_language,
    language_links,
    page_language,
    with_language,
)
from articles.syndication import websub
from articles.syndication.subjects import (
    CACHE_MAX_AGE,
    CACHE_STALE_WHILE_REVALIDATE,
    KINDS,
    FeedKind,
    FeedSubject,
)
from newsroom import pagecache
from newsroom.languages import language_codes, language_name
from people.models import Company, Person


@dataclass
class FeedGroup:
    kind: FeedKind
    subjects: list[FeedSubject] = field(default_factory=list)


@dataclass
class LanguageFeeds:
    language: str
    name: str
    everything: FeedSubject
    groups: list[FeedGroup]

    @property
    def subjects(self) -> list[FeedSubject]:
        return [self.everything, *(s for group in self.groups for s in group.subjects)]


def feed_catalogue(languages: list[str]) -> list[LanguageFeeds]:
    """Every feed worth subscribing to: each language's, and each person, company, story
    thread and section with something published in that language. A fixed number of
    queries (two per kind at most), however many feeds there are."""
    published = Article.objects.published().filter(language__in=languages).order_by()
    pairs = {
        "people": {
            *published.filter(people__isnull=False).values_list("language", "people"),
            *published.filter(authors__isnull=False).values_list("language", "authors"),
        },
        "companies": set(
            published.filter(companies__isnull=False).values_list("language", "companies")
        ),
        "stories": set(
            published.filter(storyline_entries__isnull=False).values_list(
                "language", "storyline_entries__storyline"
            )
        ),
        "sections": set(
            published.filter(sections__isnull=False).values_list("language", "sections")
        ),
    }
    objects = {
        key: {
            obj.pk: obj
            for obj in KINDS[key].model.objects.filter(pk__in={pk for _lang, pk in pairs[key]})
        }
        for key in KINDS
    }
    catalogue = []
    for language in languages:
        groups = []
        for key, kind in KINDS.items():
            found = [objects[key][pk] for lang, pk in pairs[key] if lang == language]
            subjects = [FeedSubject(language=language, kind=key, obj=obj) for obj in found]
            # By the name shown, in the language of the feeds.
            subjects.sort(key=lambda subject: subject.name.casefold())
            groups.append(FeedGroup(kind=kind, subjects=subjects))
        catalogue.append(
            LanguageFeeds(
                language=language,
                name=language_name(language),
                everything=FeedSubject(language=language),
                groups=groups,
            )
        )
    return catalogue


# The feeds directory lists every subject that has stories: any change to who or what is
# public may change it.
CATALOGUE_TAGS = ["list", *(model_tag(m) for m in (Person, Company, Storyline, Section))]


def cache_briefly(response: HttpResponse) -> HttpResponse:
    patch_cache_control(
        response,
        public=True,
        max_age=CACHE_MAX_AGE,
        stale_while_revalidate=CACHE_STALE_WHILE_REVALIDATE,
    )
    return response


def subscribe(request):
    """The subscribe page: every feed, grouped by language and kind, with URLs to copy.

    In the default language unless `?lang=` names another, like every public page
    without a language prefix."""
    language = page_language(request.GET.get("lang"))
    activate_page_language(request, language)
    pagecache.tag(request, *CATALOGUE_TAGS)
    urls = {code: with_language(request.path, code) for code in language_codes()}
    return TemplateResponse(
        request,
        "feeds/subscribe.html",
        {
            "catalogue": feed_catalogue(language_codes()),
            "page_language": language,
            "language_links": language_links(language, urls),
            "websub_hubs": websub.hub_urls(),
        },
    )


def opml(request):
    """An OPML 2.0 list of every RSS feed (or one language's, with ?lang=nl)."""
    requested = request.GET.get("lang", "").strip()
    if requested and requested not in language_codes():
        return HttpResponseBadRequest(
            f"Unknown language “{requested}”. Use one of: {', '.join(language_codes())}; "
            "or leave out ?lang= for every language.\n",
            content_type="text/plain; charset=utf-8",
        )
    languages = [requested] if requested else language_codes()
    pagecache.tag(request, *CATALOGUE_TAGS)
    catalogue = feed_catalogue(languages)
    response = HttpResponse(content_type="text/x-opml; charset=utf-8")
    filename = f"newsroom-feeds{'-' + requested if requested else ''}.opml"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    write_opml(response, catalogue)
    # The same for every reader (each language's group is written in that language),
    # so a CDN may keep it.
    return cache_briefly(response)


def write_opml(outfile, catalogue: list[LanguageFeeds]) -> None:
    handler = SimplerXMLGenerator(outfile, "utf-8", short_empty_elements=True)
    handler.startDocument()
    handler.startElement("opml", {"version": "2.0"})
    handler.startElement("head", {})
    with translation.override(settings.LANGUAGE_CODE):
        handler.addQuickElement("title", _("%(site)s feeds") % {"site": settings.SITE_NAME})
    handler.addQuickElement("dateCreated", feedgenerator.rfc2822_date(timezone.now()))
    handler.addQuickElement("ownerName", settings.SITE_NAME)
    handler.addQuickElement("docs", "http://opml.org/spec2.opml")
    handler.endElement("head")
    handler.startElement("body", {})
    for entry in catalogue:
        with translation.override(entry.language):
            write_opml_language(handler, entry)
    handler.endElement("body")
    handler.endElement("opml")


def write_opml_language(handler, entry: LanguageFeeds) -> None:
    handler.startElement("outline", {"text": entry.name, "title": entry.name})
    write_opml_feed(handler, entry.everything)
    for group in entry.groups:
        if not group.subjects:
            continue
        label = str(group.kind.label)
        handler.startElement("outline", {"text": label, "title": label})
        for subject in group.subjects:
            write_opml_feed(handler, subject)
        handler.endElement("outline")
    handler.endElement("outline")


def write_opml_feed(handler, subject: FeedSubject) -> None:
    title = subject.title()
    handler.addQuickElement(
        "outline",
        None,
        {
            "type": "rss",
            "version": "RSS2",
            "text": title,
            "title": title,
            "xmlUrl": subject.url("rss"),
            "htmlUrl": subject.html_url(),
            "language": subject.language,
            "description": subject.description(),
        },
    )
