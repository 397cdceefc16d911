"""What search engines and social networks read about a page: canonical URL, hreflang
alternates, OpenGraph and Twitter cards, and schema.org JSON-LD.

JSON-LD is built as Python data and serialised with `json.dumps`, then escaped so that no
value can close the <script> element it sits in.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from articles.models import Article, Image
from newsroom.site import absolute_url
from people.models import Company, Person

DESCRIPTION_LENGTH = 160
HEADLINE_LENGTH = 110  # Google's limit for a NewsArticle headline

# OpenGraph wants a locale (language_TERRITORY); the usual territory for our languages.
OG_LOCALES = {"en": "en_GB", "nl": "nl_NL", "tr": "tr_TR", "de": "de_DE", "fr": "fr_FR"}

# Characters that must not appear raw inside <script>: "</script>" and "<!--" would end or
# confuse the element, and U+2028/2029 break older JavaScript parsers.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def og_locale(language: str) -> str:
    return OG_LOCALES.get(language, f"{language}_{language.upper()}")


def describe(text: str, fallback_html: str = "") -> str:
    """A one-paragraph description: `text`, else the start of `fallback_html`'s words."""
    words = " ".join((text or strip_tags(fallback_html)).split())
    return Truncator(words).chars(DESCRIPTION_LENGTH)


def json_ld_script(data: dict | list) -> SafeString:
    """A <script type="application/ld+json"> element that no value can break out of."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_ESCAPES)),  # noqa: S308 - escaped above
    )


@dataclass(frozen=True)
class SharedImage:
    url: str
    width: int | None
    height: int | None
    alt: str

    @classmethod
    def of(cls, image: Image | None) -> "SharedImage":
        if image is None or not image.file:
            return default_image()
        return cls(absolute_url(image.file.url), image.width, image.height, image.alt_text)

    def as_json_ld(self) -> dict:
        data = {"@type": "ImageObject", "url": self.url}
        if self.width and self.height:
            data.update(width=self.width, height=self.height)
        return data


def default_image() -> SharedImage:
    """The picture shared for pages that have none of their own."""
    return SharedImage(
        absolute_url(static("img/share.png")), 1200, 630, f"{settings.SITE_NAME} logo"
    )


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    url: str


@dataclass
class PageMeta:
    """Everything templates/_seo.html prints in a page's <head>."""

    title: str
    description: str
    canonical: str
    language: str
    alternates: list[Alternate] = field(default_factory=list)
    og_type: str = "website"
    image: SharedImage | None = None
    json_ld: list[dict] = field(default_factory=list)
    robots: str = ""
    # Extra OpenGraph properties, e.g. ("article:published_time", "2021-12-10T00:00:00Z").
    og_extra: list[tuple[str, str]] = field(default_factory=list)

    @property
    def site_name(self) -> str:
        return settings.SITE_NAME

    @property
    def og_locale(self) -> str:
        return og_locale(self.language)

    @property
    def og_locale_alternates(self) -> list[str]:
        return [
            og_locale(alt.hreflang)
            for alt in self.alternates
            if alt.hreflang not in ("x-default", self.language)
        ]

    @property
    def shared_image(self) -> SharedImage:
        return self.image or default_image()

    @property
    def json_ld_script(self) -> SafeString:
        if not self.json_ld:
            return mark_safe("")
        return json_ld_script(self.json_ld[0] if len(self.json_ld) == 1 else self.json_ld)


def alternates(urls: dict[str, str], *, x_default: str | None) -> list[Alternate]:
    """hreflang links for a page's language versions ({code: path}) plus x-default.

    Every version of a page gets the same list, so the links are reciprocal by
    construction.
    """
    links = [Alternate(code, absolute_url(url)) for code, url in urls.items()]
    if x_default:
        links.append(Alternate("x-default", absolute_url(x_default)))
    return links


# -- schema.org building blocks ------------------------------------------------------------


def publisher() -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": absolute_url("/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(static("img/logo.png")),
            "width": 512,
            "height": 512,
        },
    }


def person_ref(person: Person) -> dict:
    data = {"@type": "Person", "name": person.name, "url": absolute_url(person.get_absolute_url())}
    other_names = [name for name in person.all_names() if name != person.name]
    if other_names:
        data["alternateName"] = other_names
    return data


def company_ref(company: Company) -> dict:
    data = {
        "@type": "Organization",
        "name": company.name,
        "url": absolute_url(company.get_absolute_url()),
    }
    other_names = [name for name in company.all_names() if name != company.name]
    if other_names:
        data["alternateName"] = other_names
    return data


def modified_at(article: Article):
    """When the article's words were last revised after publication, else its publish time
    (metadata edits and pre-publication drafting are not news to readers)."""
    if article.revised_at and article.published_at and article.revised_at > article.published_at:
        return article.revised_at
    return article.published_at


def news_article(article: Article, *, canonical: str, versions: list[Article]) -> dict:
    """schema.org NewsArticle for a published article (from `with_page_data()`)."""
    authors = [person_ref(person) for person in article.authors.all()]
    if not authors:
        authors = [{"@type": "Organization", "name": article.byline_note or settings.SITE_NAME}]
    image = SharedImage.of(article.lead_image)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": f"{canonical}#article",
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "headline": Truncator(article.title).chars(HEADLINE_LENGTH),
        "description": describe(article.standfirst, article.body),
        "inLanguage": article.language,
        "datePublished": article.published_at.isoformat(),
        "dateModified": modified_at(article).isoformat(),
        "author": authors,
        "publisher": publisher(),
        "image": [image.as_json_ld()],
        "mentions": [person_ref(person) for person in article.people.all()]
        + [company_ref(company) for company in article.companies.all()],
    }
    sections = [section.translated("name", article.language) for section in article.sections.all()]
    if sections:
        data["articleSection"] = sections
    if article.dateline:
        data["dateline"] = article.dateline
    public_versions = {version.pk: version for version in versions}
    source = public_versions.get(article.translation_of_id)
    if source is not None:
        data["translationOfWork"] = {
            "@type": "NewsArticle",
            "@id": absolute_url(source.get_absolute_url()) + "#article",
            "inLanguage": source.language,
        }
    translations = [v for v in versions if v.translation_of_id == article.pk]
    if translations:
        data["workTranslation"] = [
            {
                "@type": "NewsArticle",
                "@id": absolute_url(v.get_absolute_url()) + "#article",
                "inLanguage": v.language,
            }
            for v in translations
        ]
    return data


def person_data(person: Person, *, canonical: str, positions) -> dict:
    """schema.org Person, with the roles a reader can see that are still held."""
    data = {"@context": "https://schema.org", **person_ref(person), "@id": f"{canonical}#person"}
    data["url"] = canonical
    if person.bio:
        data["description"] = describe(person.bio)
    current = [p for p in positions if p.is_current]
    if current:
        data["jobTitle"] = list(dict.fromkeys(p.title for p in current))
        data["worksFor"] = list(
            {p.company_id: company_ref(p.company) for p in current if p.company_is_public}.values()
        )
    if person.photo_id and person.photo.file:
        data["image"] = SharedImage.of(person.photo).as_json_ld()
    return data


def organization_data(company: Company, *, canonical: str, parent, subsidiaries) -> dict:
    """schema.org Organization with its public parent and subsidiaries."""
    data = {"@context": "https://schema.org", **company_ref(company), "@id": f"{canonical}#org"}
    data["url"] = canonical
    if company.description:
        data["description"] = describe(company.description)
    if company.website:
        data["sameAs"] = [company.website]
    if parent is not None:
        data["parentOrganization"] = company_ref(parent)
    if subsidiaries:
        data["subOrganization"] = [company_ref(sub) for sub in subsidiaries]
    return data


def website_data(*, language: str, search_path: str = "/search/") -> dict:
    """The site itself, with the search box search engines may offer."""
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": absolute_url("/"),
        "inLanguage": language,
        "publisher": publisher(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute_url(search_path) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def item_list(*, name: str, canonical: str, articles: list[Article]) -> dict:
    """An ordered list of articles (a story thread)."""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": name,
        "url": canonical,
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "numberOfItems": len(articles),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": number,
                "url": absolute_url(article.get_absolute_url()),
                "name": article.title,
            }
            for number, article in enumerate(articles, start=1)
        ],
    }
