"""A story graph of any size, for query-budget tests: the pages must run the same number
of queries whether an article has 1 or 50 of everything.

Rows are created in bulk as test data (published ones directly with their publish time);
the workflow that publishes real articles is tested in its own module.
"""

import datetime
from dataclasses import dataclass

from django.conf.locale import LANG_INFO
from django.utils import timezone

from articles.models import Article, Image, Section, Storyline, StorylineEntry
from newsroom.languages import language_codes
from people.models import Company, Person, Position, Quote, QuoteTranslation

PUBLISHED = Article.Status.PUBLISHED


def many_languages(count: int = 51) -> list[tuple[str, str]]:
    """`count` publishing languages (en, nl, tr first), so one story can have 50 versions."""
    codes = ["en", "nl", "tr"] + sorted(
        code
        for code, info in LANG_INFO.items()
        if len(code) == 2 and "name_local" in info and code not in {"en", "nl", "tr"}
    )
    return [(code, LANG_INFO[code]["name_local"]) for code in codes[:count]]


@dataclass
class StoryGraph:
    article: Article
    person: Person
    company: Company
    storyline: Storyline


def _article(tag: str, number: int, language: str = "en", **fields) -> Article:
    return Article(
        language=language,
        title=f"{tag} story {number}",
        slug=f"{tag}-story-{number}",
        standfirst=f"What happened to {tag}, part {number}.",
        body=f"<p>{tag} {number}</p>",
        status=PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(hours=number + 1),
        content_hash=f"{tag}{number}",
        **fields,
    )


def build_story_graph(size: int, *, tag: str) -> StoryGraph:
    """One published English article with `size` of everything around it: mentioned
    people and companies, authors, quotes (each translated twice), language versions (as
    many as the configured languages allow), story-thread neighbours, editors' picks and
    articles related through shared mentions. Its first person holds `size` roles, has
    `size` quotes and appears in every article; its first company has `size`
    subsidiaries and `size` people."""
    image = Image.objects.first()
    section = Section.objects.first()
    people = Person.objects.bulk_create(
        Person(name=f"{tag} Person {i}", slug=f"{tag}-person-{i}", bio="A person.")
        for i in range(size)
    )
    companies = Company.objects.bulk_create(
        Company(name=f"{tag} Company {i}", slug=f"{tag}-company-{i}") for i in range(size)
    )
    Company.objects.filter(pk__in=[c.pk for c in companies[1:]]).update(parent=companies[0])
    quotes = Quote.objects.bulk_create(
        Quote(
            speaker=people[0],
            text=f"{tag} said {i}.",
            language="en",
            said_on=datetime.date(2021, 10, 1),
            said_on_precision="month",
            context="An interview",
        )
        for i in range(size)
    )
    QuoteTranslation.objects.bulk_create(
        QuoteTranslation(quote=quote, language=language, text=f"{quote.text} ({language})")
        for quote in quotes
        for language in ("nl", "tr")
    )

    main = _article(tag, 0, lead_image=image)
    main.save()
    main.people.set(people)
    main.companies.set(companies)
    main.authors.set(people)
    main.quotes.set(quotes)
    main.sections.add(section)

    other_languages = [code for code in language_codes() if code != "en"][:size]
    Article.objects.bulk_create(
        _article(
            tag,
            0,
            language=code,
            translation_key=main.translation_key,
            translation_of=main,
            lead_image=image,
        )
        for code in other_languages
    )

    # The first thread neighbour is Turkish and the first pick Dutch, so the pages also
    # look for versions in the reader's language.
    neighbours = Article.objects.bulk_create(
        _article(tag, 100 + i, language="tr" if i == 0 else "en", lead_image=image)
        for i in range(size)
    )
    picks = Article.objects.bulk_create(
        _article(tag, 200 + i, language="nl" if i == 0 else "en", lead_image=image)
        for i in range(size)
    )
    related = Article.objects.bulk_create(
        _article(tag, 300 + i, lead_image=image) for i in range(size)
    )
    main.related.set(picks)
    for article in related:
        article.people.add(people[0])
        article.companies.add(companies[0])
        article.sections.add(section)
        article.authors.add(people[0])

    storyline = Storyline.objects.create(title=f"{tag} thread", slug=f"{tag}-thread")
    StorylineEntry.objects.bulk_create(
        [StorylineEntry(storyline=storyline, article=main, position=size)]
        + [
            StorylineEntry(storyline=storyline, article=article, position=i)
            for i, article in enumerate(neighbours)
        ]
    )
    # Dutch versions of the thread, so the thread page has something to swap in.
    Article.objects.bulk_create(
        _article(
            tag,
            100 + i,
            language="nl",
            translation_key=article.translation_key,
            translation_of=article,
            lead_image=image,
        )
        for i, article in enumerate(neighbours)
        if article.language != "nl"
    )

    positions = Position.objects.bulk_create(
        [
            Position(
                person=people[0],
                company=companies[i],
                title=f"Role {i}",
                start_date=datetime.date(2020, 1 + i % 12, 1),
                start_precision="month",
                end_date=datetime.date(2022, 1, 1),
                end_precision="year",
                ending="replaced",
                successor=people[i],
            )
            for i in range(size)
        ]
        + [
            Position(person=people[i], company=companies[0], title=f"Member {i}")
            for i in range(size)
        ]
    )
    Position.sources.through.objects.bulk_create(
        Position.sources.through(position=position, article=main) for position in positions
    )
    return StoryGraph(main, people[0], companies[0], storyline)
