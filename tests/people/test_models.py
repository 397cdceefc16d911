import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Article
from people.models import Company, Person, Position, Quote, QuoteTranslation, format_partial_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def lei_jun():
    return Person.objects.get(slug="lei-jun")


@pytest.fixture
def xiaomi():
    return Company.objects.get(slug="xiaomi")


def test_position_ending_before_start_is_refused_by_validation(lei_jun, xiaomi):
    position = Position(
        person=lei_jun, company=xiaomi, title="Chair",
        start_date=datetime.date(2021, 5, 1), end_date=datetime.date(2021, 4, 1),
        ending=Position.Ending.RESIGNED,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        position.full_clean()


def test_position_ending_before_start_is_refused_by_the_database(lei_jun, xiaomi):
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            person=lei_jun, company=xiaomi, title="Chair",
            start_date=datetime.date(2021, 5, 1), end_date=datetime.date(2021, 4, 1),
            ending=Position.Ending.RESIGNED,
        )  # fmt: skip


def test_a_role_still_held_cannot_have_an_end_date(lei_jun, xiaomi):
    position = Position(
        person=lei_jun, company=xiaomi, title="Chair",
        end_date=datetime.date(2021, 4, 1), ending=Position.Ending.HELD,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="still held has no end date"):
        position.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        position.save()


def test_a_company_cannot_be_its_own_parent(xiaomi):
    xiaomi.parent = xiaomi
    with pytest.raises(ValidationError):
        xiaomi.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        xiaomi.save()


def test_a_company_loop_is_refused(xiaomi):
    india = Company.objects.get(slug="xiaomi-india")
    xiaomi.parent = india
    with pytest.raises(ValidationError, match="loop"):
        xiaomi.full_clean()


def test_tickers_must_name_symbol_and_exchange(xiaomi):
    xiaomi.tickers = "1810 HKEX"
    with pytest.raises(ValidationError, match="SYMBOL:EXCHANGE"):
        xiaomi.full_clean()


def test_one_translation_per_language_per_quote():
    quote = Quote.objects.get(text__startswith="Change is the only constant")
    duplicate = QuoteTranslation(quote=quote, language="nl", text="Iets anders.")
    with pytest.raises(ValidationError, match="already has a translation"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_quote_translation_in_the_quotes_own_language_is_refused():
    quote = Quote.objects.get(text__startswith="Change is the only constant")
    with pytest.raises(ValidationError, match="own language"):
        QuoteTranslation(quote=quote, language="en", text="Change!").full_clean()


def test_quote_rendered_back_from_dutch_is_marked_as_a_translation():
    quote = Quote.objects.get(text__startswith="Nothing is impossible")
    assert quote.language == "en"
    assert quote.rendered_from == "nl"
    assert quote.text_in("nl") == (
        "Niets is onmogelijk als mensen met de juiste intentie samenkomen.",
        "nl",
    )
    # No Turkish rendering: the original comes back, with its language.
    assert quote.text_in("tr") == (quote.text, "en")


def test_lei_jun_timeline_is_in_the_order_it_happened(lei_jun):
    timeline = [(p.company.slug, p.title) for p in lei_jun.positions.timeline()]
    assert timeline == [
        ("kingsoft", "Chief executive"),
        ("kingsoft", "Executive director"),
        ("xiaomi-automobile", "Legal representative"),
        ("shanghai-xiaomi-finance", "Board member"),
        ("xiaomi-credit-management", "Registered officer"),
        ("chengdu-beida", "Executive director"),
        ("xiaomi-automobile-technology", "Manager and executive director"),
        ("xiaomi-technology-wuhan",
         "Legal representative, executive director and general manager"),
        ("xiaomi-youpin", "General manager"),
        ("xiaomi-electronic-software", "Chairman"),
        # Roles with no known dates come last.
        ("kingsoft", "Chair"),
        ("xiaomi", "Founder and chief executive"),
        ("xiaomi", "Chair"),
    ]  # fmt: skip


def test_wuhan_roles_passed_to_zeng_xuezhong(lei_jun):
    wuhan = lei_jun.positions.get(company__slug="xiaomi-technology-wuhan")
    assert wuhan.ending == Position.Ending.REPLACED
    assert wuhan.successor.slug == "zeng-xuezhong"
    assert wuhan.end_display == "7 Dec 2021"


def test_dates_are_shown_only_as_precisely_as_they_are_known():
    day = datetime.date(2021, 10, 15)
    assert format_partial_date(day, "day") == "15 Oct 2021"
    assert format_partial_date(day, "month") == "Oct 2021"
    assert format_partial_date(day, "year") == "2021"
    assert format_partial_date(day, "unknown") == ""
    assert format_partial_date(None, "day") == ""


def test_people_carry_native_script_names_and_aliases():
    assert Person.objects.get(slug="lei-jun").native_name == "雷军"
    liu = Person.objects.get(slug="liu-qiangdong")
    assert "Richard Liu" in liu.all_names() and "刘强东" in liu.all_names()
    assert Company.objects.get(slug="kingsoft-cloud").ticker_list == ["KC:NASDAQ"]
    assert Company.objects.get(slug="kingsoft-office").parent.slug == "kingsoft"


# -- who has a public page ----------


def test_public_people_and_companies_are_those_published_content_names():
    people = set(Person.objects.public().values_list("slug", flat=True))
    assert {"lei-jun", "yingwei-fu", "zeng-xuezhong", "wang-hua"} <= people
    hidden = Person.objects.create(name="Nobody Yet", slug="nobody-yet")
    assert not Person.objects.public().filter(pk=hidden.pk).exists()
    companies = set(Company.objects.public().values_list("slug", flat=True))
    assert {"xiaomi", "kingsoft", "xiaomi-youpin", "chengdu-beida"} <= companies
    assert Company.objects.count() == len(companies)  # the demo links every company


def test_a_role_makes_its_people_public():
    person = Person.objects.create(name="New Chief", slug="new-chief")
    role = Position.objects.create(
        person=person, company=Company.objects.get(slug="jabong"), title="Chief"
    )
    assert not Person.objects.public().filter(pk=person.pk).exists()
    role.sources.add(Article.objects.get(language="nl", slug="manu-kumar-jain-verlaat-xiaomi"))
    assert Person.objects.public().filter(pk=person.pk).exists()
