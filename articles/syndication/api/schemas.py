"""What the API answers, as typed schemas: ninja validates every response against them and
writes the OpenAPI schema from them.

References (`…Ref`) are what one object says about another it links to; summaries are list
items; details are what a single object's endpoint answers. Every object carries `url`
(its public page) and `api_url` (where the API tells more), both absolute.
"""

import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

Precision = Literal["day", "month", "year"]
TranslationStateName = Literal["original", "in_progress", "up_to_date", "outdated"]


class PartialDate(Schema):
    """A date known only to some precision: a role that began "Oct 2021" is not said to
    have begun on 1 October."""

    value: str = Field(description='ISO 8601 at its precision: "2021", "2021-10", "2021-10-15".')
    precision: Precision
    display: str = Field(description='As the site prints it: "2021", "Oct 2021", "15 Oct 2021".')


class Rendition(Schema):
    url: str
    width: int
    height: int
    type: str = Field(description="MIME type: image/webp, image/jpeg or image/png.")


class ImageOut(Schema):
    url: str = Field(description="The original file.")
    width: int | None
    height: int | None
    alt_text: str
    caption: str
    credit: str
    renditions: list[Rendition] = Field(
        description="Web-sized copies, WebP and JPEG/PNG, narrowest first (empty until made)."
    )


class PersonRef(Schema):
    slug: str
    name: str
    native_name: str
    url: str | None = Field(description="The person's public page; null when they have none.")
    api_url: str | None


class CompanyRef(Schema):
    slug: str
    name: str
    native_name: str
    url: str | None = Field(description="The company's public page; null when it has none.")
    api_url: str | None


class SectionOut(Schema):
    slug: str
    name: str
    url: str = Field(description="The public list of the section's stories.")
    api_url: str = Field(description="The section's articles through the API.")


class ArticleRef(Schema):
    id: int
    language: str
    slug: str
    title: str
    published_at: datetime.datetime
    url: str = Field(description="The canonical public page.")
    api_url: str


class ArticleSummary(ArticleRef):
    standfirst: str
    updated_at: datetime.datetime = Field(
        description="The last change to the article, or its publish time if that is later."
    )
    revised_at: datetime.datetime | None = Field(
        description="When its words last changed after publication (a correction), if ever."
    )
    authors: list[PersonRef]
    byline_note: str
    sections: list[SectionOut]
    lead_image: ImageOut | None


class QuoteTranslationOut(Schema):
    language: str
    text: str
    note: str = Field(description="Who translated it, or how.")


class QuoteOut(Schema):
    id: int
    speaker: PersonRef
    text: str = Field(description="The words in the language they were said in.")
    language: str
    rendered_from: str | None = Field(
        description="Set when the exact words are not known and `text` is itself translated "
        "back from this language's rendering."
    )
    said_on: PartialDate | None
    context: str = Field(description="Where it was said: an interview, an open letter…")
    source_url: str
    translations: list[QuoteTranslationOut]
    api_url: str


class ShownQuoteText(Schema):
    text: str
    language: str
    is_translation: bool = Field(
        description="True when these are not the speaker's words but a translation of them."
    )


class QuoteInArticle(QuoteOut):
    shown: ShownQuoteText = Field(
        description="The words as the article gives them: the translation in the article's "
        "language where one exists (marked as a translation), else the original."
    )


class QuoteDetail(QuoteOut):
    articles: list[ArticleRef] = Field(description="Published articles that use the quote.")


class StorySummary(Schema):
    slug: str
    title: str
    description: str
    url: str
    api_url: str


class StoryPosition(StorySummary):
    position: int = Field(description="The article's place in the thread (ascending order).")


class LanguageVersion(ArticleRef):
    translation_state: TranslationStateName = Field(
        description="original (not a translation), up_to_date, or outdated (its source's "
        "words changed since it was last brought up to date)."
    )


class ArticleDetail(ArticleSummary):
    body_html: str = Field(
        description="Sanitised HTML (no scripts, styles or event handlers); links absolute."
    )
    dateline: str
    source: str
    source_url: str
    people: list[PersonRef] = Field(description="People the article mentions.")
    companies: list[CompanyRef] = Field(description="Companies the article mentions.")
    quotes: list[QuoteInArticle]
    stories: list[StoryPosition] = Field(description="Story threads the article belongs to.")
    translation_state: TranslationStateName
    translation_of: ArticleRef | None = Field(
        description="The published version this one was translated from, if any."
    )
    versions: list[LanguageVersion] = Field(
        description="The story's other published language versions."
    )


class Role(Schema):
    """A role a person held at a company, at the precision its dates are known."""

    person: PersonRef
    title: str
    company: CompanyRef
    start: PartialDate | None
    end: PartialDate | None
    ending: Literal["held", "resigned", "removed", "replaced", "retired", "ended", "unknown"]
    current: bool
    successor: PersonRef | None
    note: str
    sources: list[ArticleRef] = Field(description="Published articles that report the role.")


class PersonSummary(PersonRef):
    url: str
    api_url: str


class PersonDetail(PersonSummary):
    aliases: list[str]
    bio: str
    photo: ImageOut | None
    roles: list[Role] = Field(description="The roles timeline, in the order they happened.")
    articles_url: str = Field(description="Their stories through the API.")
    quotes_url: str = Field(description="Their quotes through the API.")


class Ticker(Schema):
    symbol: str
    exchange: str


class CompanySummary(CompanyRef):
    url: str
    api_url: str


class CompanyDetail(CompanySummary):
    aliases: list[str]
    tickers: list[Ticker]
    website: str
    description: str
    parent: CompanyRef | None = Field(description="The parent company, when it has a page.")
    subsidiaries: list[CompanyRef]
    roles: list[Role] = Field(
        description="The most recent roles at the company and its subsidiaries, in order."
    )
    more_roles: bool = Field(description="Older roles exist than those listed.")
    articles_url: str


class StoryEntry(Schema):
    position: int
    article: ArticleRef


class StoryDetail(StorySummary):
    entries: list[StoryEntry] = Field(description="The thread's published articles, in order.")


class Page(Schema):
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )
    next: str | None = Field(description="The next page's address; null on the last page.")


class ArticlePage(Page):
    items: list[ArticleSummary]


class PersonPage(Page):
    items: list[PersonSummary]


class CompanyPage(Page):
    items: list[CompanySummary]


class QuotePage(Page):
    items: list[QuoteOut]


class StoryPage(Page):
    items: list[StorySummary]


class InvalidParam(Schema):
    name: str = Field(description="The query or path parameter at fault.")
    reason: str


class Problem(Schema):
    """An error, as RFC 9457 problem details (`application/problem+json`)."""

    model_config = ConfigDict(populate_by_name=True)

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str = Field(description="The path and query that was asked for.")
    invalid_params: list[InvalidParam] | None = Field(
        default=None,
        alias="invalid-params",
        description="For a 400: each bad parameter and what is wrong with it.",
    )
