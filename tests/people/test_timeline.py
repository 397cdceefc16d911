"""Timelines: a person's roles and a company's people, in order, in fixed queries."""

import datetime
import re

import pytest
from django.utils import translation
from django.utils.html import strip_tags

from articles.models import Article
from articles.templatetags.public_site import role_ending
from people.models import Company, DatePrecision, Person, Position
from people.timeline import (
    COMPANY_ROLES_SHOWN,
    company_timeline,
    descendants,
    person_timeline,
    public_positions,
)


def descendants_of(company):
    parents = dict(Company.objects.values_list("pk", "parent_id"))
    return Company.objects.filter(pk__in=descendants(company.pk, parents))


pytestmark = pytest.mark.django_db


def ending_summary(position, language="en"):
    """How the page says the role ended, as text."""
    with translation.override(language):
        return strip_tags(role_ending(position, language))


def rows(positions):
    return [
        (p.company.name, p.title, p.start_display, p.end_display, ending_summary(p))
        for p in positions
    ]


def test_lei_juns_timeline_in_order_with_dates_at_their_precision():
    timeline = person_timeline(Person.objects.get(slug="lei-jun"))
    assert rows(timeline)[:3] == [
        ("Kingsoft Corporation", "Chief executive", "1998", "2007", "Ended in 2007"),
        (
            "Kingsoft Corporation",
            "Executive director",
            "",
            "20 Jun 2020",
            "Resigned on 20 Jun 2020",
        ),
        (
            "Xiaomi Automobile Co., Ltd.",
            "Legal representative",
            "1 Sep 2021",
            "",
            "Still held",
        ),
    ]
    wuhan = next(p for p in timeline if p.company.slug == "xiaomi-technology-wuhan")
    assert ending_summary(wuhan) == "Replaced by Zeng Xuezhong on 7 Dec 2021"
    youpin = next(p for p in timeline if p.company.slug == "xiaomi-youpin")
    assert ending_summary(youpin) == "Resigned in Apr 2022"
    # roles nobody dated come last, still held
    assert all(p.is_current and not p.start_date for p in timeline[-3:])
    dated = [p.timeline_date for p in timeline if p.timeline_date]
    assert dated == sorted(dated)


def test_lei_juns_roles_cite_the_stories_that_report_them():
    timeline = person_timeline(Person.objects.get(slug="lei-jun"))
    kingsoft_story = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    assert timeline[0].published_sources == [kingsoft_story]
    assert all(p.published_sources for p in timeline)


def test_manu_kumar_jains_timeline():
    timeline = person_timeline(Person.objects.get(slug="manu-kumar-jain"))
    assert rows(timeline) == [
        ("Xiaomi India", "Managing director", "2014", "2023", "Resigned in 2023"),
        ("Xiaomi International", "Member of the international team", "Jul 2021", "2023",
         "Resigned in 2023"),
        ("Xiaomi Group", "Vice-president", "", "2023", "Resigned in 2023"),
        ("Jabong", "Co-founder", "", "", "Unknown"),
    ]  # fmt: skip


def test_unpublished_sources_stay_out_and_draft_only_roles_are_hidden(users):
    manu = Person.objects.get(slug="manu-kumar-jain")
    position = Position.objects.filter(person=manu).first()
    draft = Article.objects.create(language="en", title="Notes on Manu", slug="notes-on-manu")
    position.sources.add(draft)
    secret = Position.objects.create(person=manu, company=position.company, title="Secret role")
    secret.sources.add(draft)
    timeline = person_timeline(manu)
    assert draft not in {a for p in timeline for a in p.published_sources}
    assert position in timeline and secret not in timeline


def test_ending_summaries_in_dutch_and_turkish():
    wuhan = next(
        p
        for p in person_timeline(Person.objects.get(slug="lei-jun"))
        if p.company.slug == "xiaomi-technology-wuhan"
    )
    assert ending_summary(wuhan, "nl") == "Vervangen door Zeng Xuezhong op 7 dec 2021"
    assert ending_summary(wuhan, "tr").endswith("Zeng Xuezhong (7 Ara 2021)")
    with translation.override("en"):
        html = role_ending(wuhan, "nl")
    assert '<a href="/people/zeng-xuezhong/?lang=nl">Zeng Xuezhong</a>' in html
    assert '<time datetime="2021-12-07">' in html


def test_person_timeline_takes_two_queries_however_many_roles(django_assert_num_queries):
    lei_jun = Person.objects.get(slug="lei-jun")
    with django_assert_num_queries(2):
        before = person_timeline(lei_jun)
    xiaomi = Company.objects.get(slug="xiaomi")
    story = Article.objects.get(slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    for year in range(1990, 2020):
        position = Position.objects.create(
            person=lei_jun,
            company=xiaomi,
            title=f"Adviser {year}",
            start_date=datetime.date(year, 3, 1),
            start_precision=DatePrecision.MONTH,
            successor=Person.objects.get(slug="wang-xiang"),
            end_date=datetime.date(year, 12, 31),
            ending=Position.Ending.REPLACED,
        )
        position.sources.add(story)
    with django_assert_num_queries(2):
        after = person_timeline(lei_jun)
    assert len(after) == len(before) + 30
    assert ending_summary(after[0]) == "Replaced by Wang Xiang on 31 Dec 1990"
    assert after[0].start_display == "Mar 1990"


def test_company_timeline_covers_subsidiaries_in_order():
    timeline = company_timeline(Company.objects.get(slug="xiaomi"))
    assert timeline.parent is None
    assert "Xiaomi India" in [c.name for c in timeline.subsidiaries]
    companies = {p.company.slug for p in timeline.positions}
    assert {"xiaomi", "xiaomi-india", "xiaomi-technology-wuhan"} <= companies
    assert "kingsoft" not in companies
    people = list(dict.fromkeys(p.person.name for p in timeline.positions))
    assert people[0] == "Manu Kumar Jain"  # his Xiaomi India role (2014) is the earliest dated
    assert {"Lei Jun", "Zeng Xuezhong", "Wang Xiang", "Wang Hua"} <= set(people)
    zeng = [p for p in timeline.positions if p.person.slug == "zeng-xuezhong"]
    assert [p.start_display for p in zeng] == ["Jul 2020", "7 Dec 2021"]


def test_a_subsidiary_knows_its_parent():
    timeline = company_timeline(Company.objects.get(slug="kingsoft-cloud"))
    assert timeline.parent.name == "Kingsoft Corporation"
    assert timeline.positions == [] and timeline.subsidiaries == []


def test_company_timeline_takes_four_queries_however_deep(django_assert_num_queries):
    xiaomi = Company.objects.get(slug="xiaomi")
    story = Article.objects.get(slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    with django_assert_num_queries(4):
        before = company_timeline(xiaomi)
    parent = Company.objects.get(slug="xiaomi-automobile")
    person = Person.objects.get(slug="zeng-xuezhong")
    for depth in range(6):  # a chain of ever deeper subsidiaries, each with a role
        parent = Company.objects.create(name=f"Xiaomi EV unit {depth}", parent=parent)
        role = Position.objects.create(person=person, company=parent, title=f"Director {depth}")
        role.sources.add(story)
    with django_assert_num_queries(4):
        after = company_timeline(xiaomi)
    assert len(after.positions) == len(before.positions) + 6


def test_descendants_survive_a_loop_in_bad_data():
    assert descendants(1, {1: 3, 2: 1, 3: 2}) == {2, 3}


def test_a_company_with_many_roles_lists_only_the_most_recent_in_order(
    client, django_assert_num_queries
):
    xiaomi = Company.objects.get(slug="xiaomi")
    lei_jun = Person.objects.get(slug="lei-jun")
    story = Article.objects.get(slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    shown_before = len(company_timeline(xiaomi).positions)
    extra = COMPANY_ROLES_SHOWN + 5 - shown_before
    for month in range(extra):
        role = Position.objects.create(
            person=lei_jun,
            company=xiaomi,
            title=f"Board observer {month:02d}",
            start_date=datetime.date(1980 + month // 12, month % 12 + 1, 1),
            start_precision=DatePrecision.MONTH,
        )
        role.sources.add(story)
    with django_assert_num_queries(4):  # the same cost as a company with a handful of roles
        timeline = company_timeline(xiaomi)
    assert len(timeline.positions) == COMPANY_ROLES_SHOWN and timeline.more_positions
    # Everything the company page could show, in timeline order: the dated roles that
    # happened last are kept (undated ones only when there is room).
    every = public_positions(Position.objects.filter(company__in=[xiaomi, *descendants_of(xiaomi)]))
    dated = [p.pk for p in every if p.timeline_date]
    assert [p.pk for p in timeline.positions] == dated[-COMPANY_ROLES_SHOWN:]
    assert "Board observer 00" not in {p.title for p in timeline.positions}

    html = client.get("/companies/xiaomi/").content.decode()
    assert f"The {COMPANY_ROLES_SHOWN} most recent roles." in html
    assert len(re.findall(r'<li class="role[ "]', html)) == COMPANY_ROLES_SHOWN
