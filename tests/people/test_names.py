"""people/names.py: finding people and companies by any of their names, in any script."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people import names
from people.models import Company, NameKey, Person

pytestmark = pytest.mark.django_db


def found(query: str) -> list[tuple[str, str]]:
    return [(f.kind, f.entity.slug) for f in names.find(query)]


def test_a_name_gives_its_whole_key_and_the_tails_that_start_a_word():
    assert names.name_keys(["Xiaomi Technology (Wuhan) Co., Ltd."]) == [
        ("xiaomi technology wuhan co ltd", True),
        ("technology wuhan co ltd", False),
        ("wuhan co ltd", False),
        ("co ltd", False),
        ("ltd", False),
    ]


def test_names_without_spaces_give_a_tail_at_every_character():
    assert names.name_keys(["小米集团"]) == [
        ("小米集团", True),
        ("米集团", False),
        ("集团", False),
        ("团", False),
    ]


def test_keys_fold_case_accents_and_punctuation():
    assert names.name_key("  KILIÇDAROĞLU, Kemal ") == "kilicdaroglu kemal"
    assert names.name_key("O’Brien") == "o'brien"
    assert names.name_key("!!!") == ""


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("雷军", ("person", "lei-jun")),  # native script
        ("lei jun", ("person", "lei-jun")),
        ("LEI", ("person", "lei-jun")),  # the start of a name
        ("Richard Liu", ("person", "liu-qiangdong")),  # an alias
        ("小米", ("company", "xiaomi")),  # the start of 小米集团
        ("小米集团", ("company", "xiaomi")),
        ("金山软件", ("company", "kingsoft")),
    ],
)
def test_people_and_companies_are_found_by_every_name(query, expected):
    assert found(query)[0] == expected


def test_the_whole_name_ranks_before_names_that_only_start_with_it():
    results = found("xiaomi")
    assert results[0] == ("company", "xiaomi")  # its alias is exactly "Xiaomi"
    assert ("company", "xiaomi-automobile") in results
    assert len(results) == 6  # the limit: a short block, not every subsidiary


def test_one_word_of_several_finds_a_whole_name():
    assert found("Lei Jun resigns") == [("person", "lei-jun")]
    assert ("company", "xiaomi") in found("resignation at Xiaomi")
    assert found("Kingsoft and 雷军") == [("person", "lei-jun"), ("company", "kingsoft")]


def test_nothing_for_no_words_or_a_single_latin_letter():
    assert found("") == []
    assert found("?!") == []
    assert found("l") == []
    assert found("雷") == [("person", "lei-jun")]  # a Chinese surname is a name


def test_only_people_and_companies_with_public_pages_are_found():
    Person.objects.create(name="Quintus Draftonly", native_name="草稿")
    assert found("quintus") == []
    assert found("草稿") == []


def test_keys_follow_a_rename_and_go_with_a_delete():
    person = Person.objects.get(slug="wang-hua")
    person.aliases = "Hua Wang\nHW Comms"
    person.save()
    assert ("person", "wang-hua") in found("hw comms")
    person.aliases = ""
    person.save()
    assert found("hw comms") == []
    company = Company.objects.get(slug="gasgoo")
    company.native_name = "盖世汽车"
    company.save()
    assert found("盖世") == [("company", "gasgoo")]
    keys = NameKey.objects.filter(company=company)
    assert keys.exists()
    company.delete()
    assert not keys.exists()


def test_bulk_loads_and_rebuilds_write_the_keys():
    NameKey.objects.all().delete()
    assert found("雷军") == []
    assert names.rebuild_names() > 0
    assert found("雷军") == [("person", "lei-jun")]


def test_a_lookup_costs_four_queries_at_most_however_many_people(django_assert_max_num_queries):
    from articles.generator import generate

    generate(300, seed=11)  # hundreds of generated people and companies, all with keys
    assert NameKey.objects.count() > 500
    for query in ("a", "lei jun", "xiaomi", "雷军", "zz top of nothing"):
        with django_assert_max_num_queries(4):
            names.find(query)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")
@pytest.mark.postgres
def test_the_key_lookup_reads_the_index_on_postgresql():
    people = Person.objects.bulk_create(
        Person(name=f"Generated Person {n:05d}", slug=f"generated-person-{n:05d}")
        for n in range(20_000)
    )
    names.index_names(people)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_namekey")
    with CaptureQueriesContext(connection) as captured:
        names.find("generated person 0001")
    key_queries = [q["sql"] for q in captured if "people_namekey" in q["sql"]]
    assert key_queries
    for sql in key_queries:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Seq Scan on people_namekey" not in plan, plan
        assert "name_key_lookup" in plan, plan
