"""Deleting, recovering and merging people and companies (people/records.py) without
silently rewriting what articles say."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from people import records
from people.models import Company, Person, Position, Quote
from tests.editorial import bring_to, make_draft

pytestmark = pytest.mark.django_db


def test_a_person_published_articles_name_cannot_be_deleted(client, users):
    lei = Person.objects.get(slug="lei-jun")
    live_title = records.published_articles_naming(lei).first().title
    with pytest.raises(ValidationError, match="cannot be deleted: published articles name"):
        records.delete_entity(lei, user=users["editor"])

    client.force_login(users["editor"])
    url = reverse("admin:people_person_delete", args=[lei.pk])
    page = client.get(url).content.decode()
    assert "cannot be deleted: published articles name this person" in page
    assert live_title.replace("'", "&#x27;") in page
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200  # the page again, nothing deleted
    assert Person.objects.filter(pk=lei.pk).exists()
    assert records.published_articles_naming(lei).exists()


def test_a_company_published_articles_name_cannot_be_deleted(users):
    xiaomi = Company.objects.get(slug="xiaomi")
    with pytest.raises(ValidationError, match="published articles name this company"):
        records.delete_entity(xiaomi, user=users["editor"])


def test_deleting_a_person_only_drafts_name_is_recorded_and_recovered_with_links(client, users):
    person = Person.objects.create(name="Ada Example", slug="ada-example")
    draft = make_draft(users["writer"])
    draft.people.add(person)
    draft.authors.add(person)
    in_review = bring_to(make_draft(users["writer"]), "in_review", by=users["admin"])
    in_review.people.add(person)
    role = Position.objects.create(
        person=person, company=Company.objects.get(slug="xiaomi"), title="Adviser"
    )
    succeeded = Position.objects.create(
        person=Person.objects.get(slug="lei-jun"),
        company=Company.objects.get(slug="kingsoft"),
        title="Test role",
        ending="replaced",
        successor=person,
    )

    client.force_login(users["writer"])  # writers hold no delete_person
    delete_url = reverse("admin:people_person_delete", args=[person.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.force_login(users["editor"])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not draft.people.exists() and not draft.authors.exists()
    # Each article's history says what changed in it and why.
    latest = Version.objects.get_for_object(draft).first()
    assert "Ada Example was deleted" in latest.revision.get_comment()
    assert Version.objects.get_for_object(in_review).first().revision == latest.revision

    version = records.deleted_versions(Person).get(object_id=str(person.pk))
    recover_url = reverse("admin:people_person_recover", args=[version.pk])
    assert client.get(recover_url).status_code == 200
    assert client.post(recover_url).status_code == 302

    person = Person.objects.get(pk=person.pk)
    assert list(draft.people.all()) == [person] and list(draft.authors.all()) == [person]
    assert list(in_review.people.all()) == [person]
    assert Position.objects.filter(pk=role.pk, person=person).exists()
    succeeded.refresh_from_db()
    assert succeeded.successor == person
    assert "was recovered" in Version.objects.get_for_object(draft).first().revision.get_comment()


def test_merging_duplicate_people_moves_everything_and_redirects(client, users):
    lei = Person.objects.get(slug="lei-jun")
    duplicate = Person.objects.create(
        name="Jun Lei", slug="jun-lei", native_name="雷军", aliases="Lei J."
    )
    live = bring_to(make_draft(users["writer"]), "published", by=users["admin"])
    live.people.add(duplicate)
    draft = make_draft(users["writer"])
    draft.authors.add(duplicate)
    quote = Quote.objects.create(speaker=duplicate, text="Dup words.", language="en")
    live.quotes.add(quote)
    role = Position.objects.create(
        person=duplicate, company=Company.objects.get(slug="xiaomi"), title="Founder (dup)"
    )
    assert client.get("/people/jun-lei/").status_code == 200  # public: a live article names him

    client.force_login(users["writer"])
    changelist = reverse("admin:people_person_changelist")
    chosen = {"action": "merge_duplicates", "_selected_action": [lei.pk, duplicate.pk]}
    assert "merge_duplicates" not in client.get(changelist).content.decode()
    client.force_login(users["editor"])
    page = client.post(changelist, chosen)
    assert page.status_code == 200 and "Merge into the chosen person" in page.content.decode()
    response = client.post(changelist, {**chosen, "apply": "1", "keep": lei.pk})
    assert response.status_code == 302

    assert not Person.objects.filter(pk=duplicate.pk).exists()
    lei.refresh_from_db()
    assert lei in live.people.all() and lei in draft.authors.all()
    quote.refresh_from_db()
    role.refresh_from_db()
    assert quote.speaker == lei and role.person == lei
    assert "Jun Lei" in lei.alias_list and "Lei J." in lei.alias_list
    # The old address leads to the person who stays.
    moved = client.get("/people/jun-lei/?lang=nl")
    assert moved.status_code == 301 and moved["Location"] == "/people/lei-jun/?lang=nl"
    assert client.get(moved["Location"]).status_code == 200
    # One revision records the merge, with the articles whose links changed.
    revision = Version.objects.get_for_object(lei).first().revision
    assert revision.get_comment() == "Merged Jun Lei into Lei Jun"
    assert revision.version_set.filter(object_id=str(live.pk)).exists()
    assert Version.objects.get_for_object(live).first().revision == revision


def test_merging_needs_an_editor(users):
    lei = Person.objects.get(slug="lei-jun")
    other = Person.objects.create(name="Someone", slug="someone")
    with pytest.raises(Exception, match="Only editors"):
        records.merge_people(lei, [other], user=users["writer"])
    assert Person.objects.filter(pk=other.pk).exists()
    assert Article.objects.filter(people=lei).exists()
