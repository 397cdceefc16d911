"""No lost edits: a save based on a stale form is refused, shows what the other person
changed, keeps the editor's own input, and lets them save again after merging."""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from people.models import Company, Person, Quote
from tests.editorial import load_demo_newsroom


def form_payload(response) -> dict:
    """What the browser would post back from an admin change page, untouched."""
    context = response.context
    forms = [context["adminform"].form]
    data = {}
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(getattr(v, "pk", v)) for v in value]
            elif isinstance(value, datetime.date | datetime.datetime):
                data[key] = value.isoformat()
            else:
                data[key] = str(getattr(value, "pk", value))
    return data


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def quote_row_prefix(data: dict, quote) -> str:
    """The form prefix of `quote`'s row among the inline quotes of a posted page."""
    return next(
        key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("quotes-") and key.endswith("-id") and value == str(quote.pk)
    )


def logged_in(users, role: str) -> Client:
    client = Client()
    client.force_login(users[role])
    return client


def two_editors(users):
    return logged_in(users, "editor"), logged_in(users, "admin")


CASES = [
    (Article, {"slug": "lei-jun-steps-down-kingsoft-executive-director"}, "title"),
    (Person, {"slug": "zeng-xuezhong"}, "bio"),
    (Company, {"slug": "kingsoft"}, "description"),
    (Quote, {"text__startswith": "Our peers"}, "context"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "lookup", "field"), CASES, ids=lambda c: getattr(c, "__name__", "")
)
def test_a_stale_save_is_refused_with_the_other_change_and_own_input_kept(
    users, model, lookup, field
):
    obj = model.objects.get(**lookup)
    url = change_url(obj)
    esther, ada = two_editors(users)
    esther_form = form_payload(esther.get(url))
    ada_form = form_payload(ada.get(url))
    stamp = obj.edit_version
    assert esther_form["edit_version"] == ada_form["edit_version"] == str(stamp)

    esther_form[field] = "Esther's wording of this, checked twice."
    assert esther.post(url, esther_form).status_code == 302

    ada_form[field] = "Ada's rival wording, never to be silently lost."
    refused = ada.post(url, ada_form)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "saved this while you were editing" in html
    assert "Esther Editor" in html
    start = html.index('class="edit-conflict"')
    panel = html[start : html.index("</section>", start)]
    assert "<ins>" in panel and "checked twice" in panel  # what Esther changed
    assert "Ada&#x27;s rival wording, never to be silently lost." in html  # her input, kept
    obj.refresh_from_db()
    assert getattr(obj, field) == "Esther's wording of this, checked twice."
    assert obj.edit_version == stamp + 1

    # She merges by hand and saves again: the re-shown form carries the new stamp.
    merged = form_payload(refused)
    assert merged["edit_version"] == str(stamp + 1)
    merged[field] = "Esther's wording, with Ada's point merged in."
    assert ada.post(url, merged).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "Esther's wording, with Ada's point merged in."
    assert obj.edit_version == stamp + 2


@pytest.mark.django_db
def test_a_quote_edited_on_its_speakers_page_is_checked_too(users):
    """A quote can be edited in its own admin or inline on the speaker's page; neither
    path may silently overwrite the other."""
    quote = Quote.objects.get(text__startswith="Our peers")
    esther, ada = two_editors(users)
    speaker_url, quote_url = change_url(quote.speaker), change_url(quote)
    on_speaker_page = form_payload(ada.get(speaker_url))
    prefix = quote_row_prefix(on_speaker_page, quote)
    assert on_speaker_page[f"{prefix}-edit_version"] == str(quote.edit_version)

    own_page = form_payload(esther.get(quote_url))
    own_page["context"] = "Esther: from the open letter of August 2021."
    assert esther.post(quote_url, own_page).status_code == 302

    on_speaker_page[f"{prefix}-context"] = "Ada: from an internal letter."
    refused = ada.post(speaker_url, on_speaker_page)
    assert refused.status_code == 200
    assert "Someone else changed this quote" in refused.content.decode()
    quote.refresh_from_db()
    assert quote.context == "Esther: from the open letter of August 2021."

    merged = form_payload(refused)
    merged[f"{prefix}-context"] = "From the open letter of August 2021 (internal too)."
    assert ada.post(speaker_url, merged).status_code == 302
    quote.refresh_from_db()
    assert quote.context == "From the open letter of August 2021 (internal too)."

    # And the other way round: the quote's own page now holds a stale stamp.
    own_page["context"] = "Esther again, from a stale page."
    assert esther.post(quote_url, own_page).status_code == 200
    quote.refresh_from_db()
    assert quote.context == "From the open letter of August 2021 (internal too)."


@pytest.mark.django_db
def test_a_form_without_its_version_stamp_is_refused(users):
    person = Person.objects.get(slug="wang-hua")
    client = logged_in(users, "editor")
    url = change_url(person)
    data = form_payload(client.get(url))
    del data["edit_version"]
    data["bio"] = "Posted by a script that forgot the stamp."
    response = client.post(url, data)
    assert response.status_code == 200 and "lost its version stamp" in response.content.decode()
    person.refresh_from_db()
    assert person.bio != "Posted by a script that forgot the stamp."


@pytest.mark.django_db
def test_a_workflow_step_in_between_is_not_undone_by_a_form_save(users):
    """The save reads the row under a lock, so a status set meanwhile is kept."""
    from articles import workflow
    from tests.editorial import bring_to, make_draft

    article = bring_to(make_draft(users["writer"]), "in_review", by=users["admin"])
    client = logged_in(users, "editor")
    data = form_payload(client.get(change_url(article)))
    workflow.approve(article, user=users["admin"])
    data["title"] = "Edited after approval"
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    assert article.title == "Edited after approval"


@pytest.mark.django_db
def test_reverting_a_person_through_reversion_keeps_the_counter_moving_forward(users):
    person = Person.objects.get(slug="wang-hua")
    client = logged_in(users, "editor")
    url = change_url(person)
    for bio in ["First rewrite.", "Second rewrite."]:
        data = form_payload(client.get(url))
        data["bio"] = bio
        assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    high = person.edit_version
    oldest = Version.objects.get_for_object(person).last()
    revision_url = reverse("admin:people_person_revision", args=[person.pk, oldest.pk])
    data = form_payload(client.get(revision_url))
    assert data["edit_version"] == str(high)
    assert client.post(revision_url, data).status_code == 302
    person.refresh_from_db()
    assert person.bio == oldest.field_dict["bio"]
    assert person.edit_version == high + 1


# Two real connections at once ------------------------------------------------------------
# PostgreSQL: row locks. SQLite: transactions begin IMMEDIATE (newsroom/settings.py), so the
# second writer waits for the first instead of failing with "database is locked".


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("model,lookup,field", CASES[:2], ids=["article", "person"])
def test_two_simultaneous_saves_exactly_one_wins(users_after_flush, model, lookup, field):
    users = users_after_flush
    obj = model.objects.get(**lookup)
    url = change_url(obj)
    for round_ in range(3):
        obj.refresh_from_db()
        stamp = obj.edit_version
        versions_before = Version.objects.get_for_object(obj).count()
        clients = two_editors(users)
        payloads = [form_payload(c.get(url)) for c in clients]
        words = [f"Round {round_}: Esther's text.", f"Round {round_}: Ada's text."]
        for payload, text in zip(payloads, words, strict=True):
            payload[field] = text
        results = save_at_once(url, clients, payloads)

        codes = sorted(r.status_code for r in results)
        assert codes == [200, 302], codes
        winner = next(i for i, r in enumerate(results) if r.status_code == 302)
        loser = 1 - winner
        obj.refresh_from_db()
        assert getattr(obj, field) == words[winner]
        assert obj.edit_version == stamp + 1
        assert Version.objects.get_for_object(obj).count() == versions_before + 1
        refused = results[loser].content.decode()
        assert "saved this while you were editing" in refused
        assert words[loser].replace("'", "&#x27;") in refused  # the loser's input, kept


def save_at_once(url, clients, payloads) -> list:
    """POST both forms from two threads (two database connections), released together."""
    start = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def save(i):
        try:
            start.wait()
            results[i] = clients[i].post(url, payloads[i])
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def users_after_flush(transactional_db):
    from django.contrib.auth import get_user_model

    load_demo_newsroom()
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__in=["admin", "editor"])}


# The compare-and-set's retry ------------------------------------------------------------
# Two real connections cannot reach it: the save re-reads the row under a lock (PostgreSQL)
# or inside a transaction that began IMMEDIATE (SQLite), so nobody else can write between
# that read and the compare-and-set. It guards a database without either. To exercise it
# here, a write lands at that very point through Django's execute_wrapper on the saving
# connection (just before the compare-and-set's UPDATE), as another writer's would on
# such a database; the code under test runs unchanged.

CAS = re.compile(r'^UPDATE "(?P<table>\w+)" SET "edit_version" = ')


class WriteBeforeCompareAndSet:
    """Move the row's counter on just before the first `times` compare-and-sets."""

    def __init__(self, pk: int, times: int, table: str | None = None):
        self.pk, self.times, self.table, self.seen = pk, times, table, 0

    def __call__(self, execute, sql, params, many, context):
        found = CAS.match(sql)
        if found and self.table in (None, found["table"]):
            self.seen += 1
            if self.seen <= self.times:
                table = found["table"]
                bump = f'UPDATE "{table}" SET "edit_version" = "edit_version" + 1 WHERE "id" = %s'
                execute(bump, [self.pk], False, context)
        return execute(sql, params, many, context)


@pytest.mark.django_db
def test_a_compare_and_set_that_loses_is_retried_and_the_retry_saves(users, client):
    person = Person.objects.get(slug="zeng-xuezhong")
    stamp, versions = person.edit_version, Version.objects.get_for_object(person).count()
    client.force_login(users["editor"])
    url = change_url(person)
    payload = form_payload(client.get(url))
    payload["bio"] = "Saved on the second try."
    interleave = WriteBeforeCompareAndSet(person.pk, times=1)
    with connection.execute_wrapper(interleave):
        response = client.post(url, payload)
    assert interleave.seen == 2  # the first compare-and-set lost, the retry ran another
    assert response.status_code == 302
    person.refresh_from_db()
    # The losing attempt was rolled back whole (the interleaved write with it): one save.
    assert person.bio == "Saved on the second try."
    assert person.edit_version == stamp + 1
    assert Version.objects.get_for_object(person).count() == versions + 1


@pytest.mark.django_db
def test_a_compare_and_set_that_loses_twice_saves_nothing_and_keeps_the_words(users, client):
    person = Person.objects.get(slug="zeng-xuezhong")
    bio, stamp = person.bio, person.edit_version
    versions = Version.objects.get_for_object(person).count()
    client.force_login(users["editor"])
    url = change_url(person)
    payload = form_payload(client.get(url))
    payload["bio"] = "Never saved."
    interleave = WriteBeforeCompareAndSet(person.pk, times=2)
    with connection.execute_wrapper(interleave):
        response = client.post(url, payload)
    assert interleave.seen == 2  # one retry, no more
    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.bio, person.edit_version) == (bio, stamp)
    assert Version.objects.get_for_object(person).count() == versions
    shown = response.content.decode()
    assert "Someone else saved at the same moment; nothing was saved." in shown
    assert form_payload(response)["bio"] == "Never saved."  # what was typed, still there


# -- The stamp, row by row and as the form reports it (mutation testing) -------------------


@pytest.mark.django_db
def test_inline_saves_move_the_quote_s_stamp_on_by_one_each(users):
    quote = Quote.objects.get(text__startswith="Our peers")
    client = logged_in(users, "editor")
    url = change_url(quote.speaker)
    stamp = quote.edit_version
    for n in (1, 2):
        data = form_payload(client.get(url))
        prefix = quote_row_prefix(data, quote)
        data[f"{prefix}-context"] = f"Context, rewrite {n}."
        assert client.post(url, data).status_code == 302
        quote.refresh_from_db()
        assert (quote.context, quote.edit_version) == (f"Context, rewrite {n}.", stamp + n)


@pytest.mark.django_db
def test_a_quote_added_on_the_speaker_s_page_needs_no_stamp(users):
    """A new row has no version to compare: it is saved, not refused as a conflict."""
    person = Person.objects.get(slug="lei-jun")
    client = logged_in(users, "admin")
    url = change_url(person)
    data = form_payload(client.get(url))
    n = int(data["quotes-TOTAL_FORMS"])  # an admin: editors may not add quotes to Lei Jun
    data["quotes-TOTAL_FORMS"] = str(n + 1)
    data.update(
        {
            f"quotes-{n}-speaker": str(person.pk),
            f"quotes-{n}-text": "A sentence he said on a Tuesday.",
            f"quotes-{n}-language": "en",
            f"quotes-{n}-said_on_precision": "day",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    added = Quote.objects.get(text="A sentence he said on a Tuesday.")
    assert added.speaker == person and added.edit_version == 1


@pytest.mark.django_db
def test_conflicts_carry_the_edit_conflict_code(users):
    """Code that reads the form tells a conflict from other errors, on the page's object and
    on an inline row. Ada's stale page still holds the quote's old words: posted back, they
    would undo Esther's change, so the row is refused too, though Ada did not touch it."""
    from django.core.exceptions import NON_FIELD_ERRORS

    quote = Quote.objects.get(text__startswith="Our peers")
    esther, ada = two_editors(users)
    person_url = change_url(quote.speaker)
    stale = form_payload(ada.get(person_url))
    fresh = form_payload(esther.get(person_url))
    fresh["bio"] = "Esther's bio."
    prefix = quote_row_prefix(fresh, quote)
    fresh[f"{prefix}-context"] = "Esther's context."
    assert esther.post(person_url, fresh).status_code == 302

    stale["bio"] = "Ada's bio."
    refused = ada.post(person_url, stale)
    assert refused.context["adminform"].form.has_error(NON_FIELD_ERRORS, "edit_conflict")
    [row] = [
        form
        for formset in refused.context["inline_admin_formsets"]
        for form in formset.formset.forms
        if formset.formset.prefix == "quotes" and form.instance.pk == quote.pk
    ]
    assert row.has_error(NON_FIELD_ERRORS, "edit_conflict")
    assert row.non_field_errors() == [
        "Someone else changed this quote since you opened the page; it now reads: "
        f"“{Quote.objects.get(pk=quote.pk)}”. Your version is kept below: merge by hand "
        "and save again."
    ]
    quote.refresh_from_db()
    assert quote.context == "Esther's context."


def speaker_page_with_quote_edit(client, quote):
    url = change_url(quote.speaker)
    data = form_payload(client.get(url))
    prefix = quote_row_prefix(data, quote)
    data["bio"] = "A new bio, typed with care."
    data[f"{prefix}-context"] = "A new context, typed with care."
    return url, data


@pytest.mark.django_db
def test_an_inline_row_whose_compare_and_set_loses_is_retried_with_its_page(users, client):
    """Only the page's own object is locked for a save: another page can save a quote
    between the speaker page's check and its write. The whole save is rolled back (the
    bio with it) and run again, as for the page's own object."""
    quote = Quote.objects.get(text__startswith="Our peers")
    person, stamp = quote.speaker, quote.edit_version
    client.force_login(users["editor"])
    url, data = speaker_page_with_quote_edit(client, quote)
    interleave = WriteBeforeCompareAndSet(quote.pk, times=1, table="people_quote")
    with connection.execute_wrapper(interleave):
        response = client.post(url, data)
    assert interleave.seen == 2 and response.status_code == 302
    person.refresh_from_db()
    quote.refresh_from_db()
    assert person.bio == "A new bio, typed with care."
    assert (quote.context, quote.edit_version) == ("A new context, typed with care.", stamp + 1)


@pytest.mark.django_db
def test_an_inline_row_whose_compare_and_set_loses_twice_saves_nothing(users, client):
    quote = Quote.objects.get(text__startswith="Our peers")
    person, context, stamp = quote.speaker, quote.context, quote.edit_version
    bio, person_stamp = person.bio, person.edit_version
    client.force_login(users["editor"])
    url, data = speaker_page_with_quote_edit(client, quote)
    interleave = WriteBeforeCompareAndSet(quote.pk, times=2, table="people_quote")
    with connection.execute_wrapper(interleave):
        response = client.post(url, data)
    assert interleave.seen == 2
    assert response.status_code == 200
    person.refresh_from_db()
    quote.refresh_from_db()
    assert (person.bio, person.edit_version) == (bio, person_stamp)
    assert (quote.context, quote.edit_version) == (context, stamp)
    assert response.context["adminform"].form.has_error("__all__", "edit_conflict")
    kept = form_payload(response)
    assert kept["bio"] == "A new bio, typed with care."
    assert "A new context, typed with care." in kept.values()
