"""Order and rank beyond the demo's handful of stories: list pages, the front page, related
articles and search, on a generated archive of a few hundred articles or on rows whose
scores are known by construction. Expected orders come from the rule written out here
(newest first, ties by id; shared people + companies + threads), never from the view."""

import datetime
import re

import pytest
from django.utils import timezone

from articles.generator import generate
from articles.models import Article, Storyline
from articles.search import search_articles
from articles.site import navigation
from articles.site.views import (
    FRONT_PAGE_OTHER_LANGUAGES,
    FRONT_PAGE_STORIES,
    FRONT_PAGE_THREADS,
    LIST_PAGE_SIZE,
    PEOPLE_IN_THE_NEWS,
)
from people.models import Company, Person
from tests.articles.search.helpers import new_article
from tests.articles.site.test_navigation import published_story

pytestmark = pytest.mark.django_db

CARD = re.compile(r'class="card-title"><a href="([^"]+)"')
ARCHIVE = 300


def cards(html: str) -> list[str]:
    return CARD.findall(html)


def newest_first(queryset) -> list[str]:
    """The public order, written out: publish time descending, then id descending."""
    rows = sorted(queryset, key=lambda a: (a.published_at, a.pk), reverse=True)
    return [a.get_absolute_url() for a in rows]


@pytest.fixture
def archive():
    generate(ARCHIVE, 16)
    return Article.objects.published()


def test_list_pages_are_newest_first_with_no_story_twice_and_none_left_out(
    client, archive, no_page_cache
):
    expected = newest_first(archive.filter(language="nl"))
    assert len(expected) > 2 * LIST_PAGE_SIZE  # full pages and a short last one
    shown, number = [], 1
    while True:
        response = client.get(f"/articles/?language=nl&lang=nl&page={number}")
        if response.status_code == 404:
            break
        assert response.status_code == 200
        page = cards(response.content.decode())
        assert 0 < len(page) <= LIST_PAGE_SIZE
        shown.extend(page)
        number += 1
    assert number - 1 == -(-len(expected) // LIST_PAGE_SIZE)  # pages: ceil(n / size)
    assert shown == expected


def test_ties_in_publish_time_are_broken_by_id_the_same_on_every_page(
    client, archive, no_page_cache
):
    # Twenty-five stories published at the same instant straddle a page boundary.
    moment = timezone.now() - datetime.timedelta(minutes=1)
    tied = list(archive.filter(language="tr").order_by("pk")[:25])
    assert len(tied) == 25
    Article.objects.filter(pk__in=[a.pk for a in tied]).update(published_at=moment)
    first = cards(client.get("/articles/?language=tr&lang=tr").content.decode())
    second = cards(client.get("/articles/?language=tr&lang=tr&page=2").content.decode())
    by_id = [a.get_absolute_url() for a in sorted(tied, key=lambda a: -a.pk)]
    assert first == by_id[:LIST_PAGE_SIZE]
    assert second[: 25 - LIST_PAGE_SIZE] == by_id[LIST_PAGE_SIZE:]


def test_the_front_page_shows_the_newest_stories_up_to_each_cap(client, archive, no_page_cache):
    html = client.get("/").content.decode()
    main, elsewhere = html.split('id="elsewhere-heading"')
    assert cards(main) == newest_first(archive.filter(language="en"))[:FRONT_PAGE_STORIES]
    # Stories not told in English, newest first, one card each, at most the cap.
    others = cards(elsewhere)
    assert len(others) == FRONT_PAGE_OTHER_LANGUAGES
    shown = [Article.objects.get(language=u.split("/")[1], slug=u.split("/")[2]) for u in others]
    assert all(a.language != "en" for a in shown)
    english_keys = set(archive.filter(language="en").values_list("translation_key", flat=True))
    assert not {a.translation_key for a in shown} & english_keys
    assert len({a.translation_key for a in shown}) == len(shown)
    times = [(a.published_at, a.pk) for a in shown]
    assert times == sorted(times, reverse=True)
    threads = re.findall(r'<a href="(/stories/[^"]+)"', main)
    assert 0 < len(threads) <= FRONT_PAGE_THREADS
    people = re.findall(r'<a href="(/people/[^"?]+)[^"]*">\s*<span class="avatar"', html)
    assert len(people) == PEOPLE_IN_THE_NEWS


# -- Related articles: scores known by construction ------------------------------------------


@pytest.fixture
def scored(users):
    """A story about three people, a company and a thread, and candidates sharing 3, 2, 2,
    1, 1 and 0 of those; the two 2s and the two 1s are ties to break."""
    people = [Person.objects.create(name=f"Ranked person {n}") for n in range(3)]
    company = Company.objects.create(name="Ranked company")
    thread = Storyline.objects.create(title="Ranked thread")
    base = published_story(
        users, "Ranked base story", people=people, companies=[company], storylines=[(thread, 1)]
    )
    made = {
        "three": published_story(
            users, "Shares three", people=people[:2], storylines=[(thread, 2)]
        ),
        "two_older": published_story(users, "Shares two, older", people=people[1:]),
        "two_newer": published_story(
            users, "Shares two, newer", people=[people[0]], companies=[company]
        ),
        "one_a": published_story(users, "Shares one, a", people=[people[2]]),
        "one_b": published_story(users, "Shares one, b", storylines=[(thread, 3)]),
        "none": published_story(users, "Shares nothing"),
        "pick": published_story(users, "The editors' pick"),
    }
    now = timezone.now()
    times = {
        "three": 9,
        "two_older": 8,
        "two_newer": 2,
        "one_a": 5,
        "one_b": 5,
        "none": 1,
        "pick": 30,
    }
    for name, minutes in times.items():
        Article.objects.filter(pk=made[name].pk).update(
            published_at=now - datetime.timedelta(minutes=minutes)
        )
    base.related.add(made["pick"])
    return base, made


def test_related_articles_rank_picks_then_score_then_newest_then_id(scored):
    base, made = scored
    page = Article.objects.with_page_data().get(pk=base.pk)
    related = navigation.related_articles(page, language="en", limit=10)
    one_first, one_second = sorted([made["one_a"], made["one_b"]], key=lambda a: a.pk)
    assert related == [
        made["pick"],  # the editors' pick, whatever its score
        made["three"],
        made["two_newer"],  # ties on 2: the newer first
        made["two_older"],
        one_first,  # ties on 1 and on time: the lower id first
        one_second,
    ]  # "Shares nothing" scores 0 and is never suggested
    assert navigation.related_articles(page, language="en", limit=3) == related[:3]


# -- Search: ranks known by construction -----------------------------------------------------


def test_search_ranks_title_then_more_mentions_then_newest(users, archive):
    filler = "The desk filed this report after a long day of calls and meetings."
    body = "<p>{} {}</p>"
    now = timezone.now()
    made = {}
    for name, title, words, minutes in [
        ("title", "Quokka census", "Nothing more to say here today at all.", 50),
        ("thrice", "Field notes one", "quokka quokka quokka and more.", 40),
        ("once_old", "Field notes two", "a quokka and two more words.", 30),
        ("once_new", "Field notes three", "a quokka and two more words.", 20),
    ]:
        made[name] = new_article(users["admin"], title=title, body=body.format(words, filler))
        Article.objects.filter(pk=made[name].pk).update(
            published_at=now - datetime.timedelta(minutes=minutes)
        )
    found = list(search_articles("quokka"))
    assert [a.pk for a in found] == [
        made["title"].pk,  # the title weighs most
        made["thrice"].pk,  # more mentions in a body of the same length
        made["once_new"].pk,  # the same words: the newer first
        made["once_old"].pk,
    ]
    assert found[2].rank == found[3].rank
