"""Every admin page answers for a superuser on the demo data; bad input is a form error."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.translation import missing_a_language, translation_state
from people.models import Company, Person, Position
from tests.editorial import make_draft

pytestmark = pytest.mark.django_db


def make_sign_in_records(users):
    """What the demo newsroom has none of: a failed and a good sign-in (django-axes' logs)
    and two-factor devices (django-otp's), made the way people make them."""
    from django.test import Client

    from newsroom import twofactor

    Client().post("/admin/login/", {"username": "writer", "password": "newsroom-writer"})
    Client().post("/admin/login/", {"username": "writer", "password": "wrong"})
    twofactor.start_enrolment(users["writer"])
    twofactor.make_recovery_codes(users["writer"])


def make_job_records(settings):
    """What the demo newsroom has none of: jobs on the database queue (a rendition, a
    wire import) and a worker's heartbeat."""
    from django.utils import timezone

    from articles.importer import queue_import
    from articles.jobs import make_image_renditions
    from newsroom.models import WorkerHeartbeat

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_image_renditions.enqueue(1, "images/none.jpg")
    queue_import([("wire.txt", b"Headline\n\nA paragraph.")])
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="test", pid=1, started_at=now, seen_at=now
    )


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_admin_page_answers_200_for_a_superuser(admin_user_client, users, model, settings):
    meta = model._meta
    if meta.app_label in {"axes", "otp_totp", "otp_static"}:
        make_sign_in_records(users)
    if meta.app_label in {"django_tasks_database", "newsroom"} or meta.model_name == "importbatch":
        make_job_records(settings)
    base = f"admin:{meta.app_label}_{meta.model_name}"
    model_admin = admin.site._registry[model]
    assert admin_user_client.get(reverse(f"{base}_changelist")).status_code == 200
    add = admin_user_client.get(reverse(f"{base}_add"))
    assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403)
    objects = model.objects.all()
    assert objects.exists(), f"the demo newsroom has no {meta.verbose_name_plural}"
    for obj in objects[:5]:
        response = admin_user_client.get(reverse(f"{base}_change", args=[obj.pk]))
        assert response.status_code == 200, (meta.label, obj.pk)
        history = admin_user_client.get(reverse(f"{base}_history", args=[obj.pk]))
        assert history.status_code == 200


def test_changelist_filters_show_exactly_the_matching_articles(admin_user_client):
    # A section and a thread that hold articles, by what they hold, not by a fixed id (the
    # demo is loaded again after tests that flush the database, with other ids).
    linked = Article.objects.order_by("pk")
    section = linked.filter(sections__isnull=False).values_list("sections", flat=True)[0]
    thread = linked.filter(storylines__isnull=False).values_list("storylines", flat=True)[0]
    expected = {
        "status__exact=published": Article.objects.filter(status="published"),
        f"sections__id__exact={section}": Article.objects.filter(sections__id=section),
        f"storylines__id__exact={thread}": Article.objects.filter(storylines__id=thread),
    }
    for query, rows in expected.items():
        wanted = {a.pk for a in rows}
        assert wanted, query  # the demo has some: an empty list would prove nothing
        assert changelist_pks(admin_user_client, query) == wanted, query


def test_changelist_search_finds_only_articles_with_the_words(admin_user_client):
    found = Article.objects.filter(pk__in=changelist_pks(admin_user_client, "q=Tianyancha"))
    assert found.exists()
    for article in found:
        words = f"{article.title} {article.standfirst} {article.body} {article.slug}"
        assert "tianyancha" in words.lower(), article.slug
    others = (
        Article.objects.exclude(body__icontains="tianyancha")
        .exclude(standfirst__icontains="tianyancha")
        .exclude(title__icontains="tianyancha")
    )
    assert not found.filter(pk__in=others.values("pk")).exists()
    assert others.exists()


def changelist_pks(client, query: str) -> set[int]:
    response = client.get(f"{reverse('admin:articles_article_changelist')}?{query}")
    assert response.status_code == 200
    assert not response.context["cl"].paginator.capped
    return {a.pk for a in response.context["cl"].result_list}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("state=draft", lambda: Article.objects.filter(status="draft")),
        ("state=live", lambda: Article.objects.published()),
        ("state=scheduled", lambda: Article.objects.scheduled()),
        ("language__exact=nl", lambda: Article.objects.filter(language="nl")),
        ("year=2024", lambda: Article.objects.filter(published_at__year=2024)),
        *[
            (f"translation_state={state}", lambda state=state: Article.objects.filter(
                pk__in=[a.pk for a in Article.objects.select_related("translation_of")
                        if translation_state(a) == state]))
            for state in ["original", "in_progress", "up_to_date", "outdated"]
        ],
        ("translation_state=missing", lambda: missing_a_language(Article.objects.all())),
    ],
)  # fmt: skip
def test_changelist_filters_give_the_right_rows(admin_user_client, query, expected):
    assert changelist_pks(admin_user_client, query) == {a.pk for a in expected()}


def test_thread_filter_offers_recent_threads_and_keeps_the_chosen_one(admin_user_client):
    from articles.desk.article_list import StorylineFilter
    from articles.models import Storyline, StorylineEntry

    story = Article.objects.published().first()
    old = Storyline.objects.create(title="An old thread", slug="an-old-thread")
    StorylineEntry.objects.create(storyline=old, article=story)
    for n in range(StorylineFilter.shown + 5):  # newer threads push the old one out
        thread = Storyline.objects.create(title=f"Running story {n:02d}", slug=f"running-{n}")
        StorylineEntry.objects.create(storyline=thread, article=story)

    def offered(query=""):
        response = admin_user_client.get(f"{reverse('admin:articles_article_changelist')}?{query}")
        spec = next(f for f in response.context["cl"].filter_specs if f.title == "storyline")
        return {title for _pk, title in spec.lookup_choices}

    choices = offered()
    assert len(choices) == StorylineFilter.shown
    assert "Running story 24" in choices and "An old thread" not in choices
    chosen = offered(f"storylines__id__exact={old.pk}")
    assert "An old thread" in chosen
    assert changelist_pks(admin_user_client, f"storylines__id__exact={old.pk}") == {story.pk}


def test_owner_filter_offers_the_staff_and_gives_their_articles(admin_user_client, users):
    writer = users["writer"]
    response = admin_user_client.get(reverse("admin:articles_article_changelist"))
    owner_filter = next(f for f in response.context["cl"].filter_specs if f.title == "owner")
    assert {pk for pk, _name in owner_filter.lookup_choices} == set(
        get_user_model().objects.filter(is_staff=True).values_list("pk", flat=True)
    )
    pks = changelist_pks(admin_user_client, f"owner__id__exact={writer.pk}")
    assert pks == set(Article.objects.filter(owner=writer).values_list("pk", flat=True))


def test_admin_search_finds_an_article_by_a_word_of_its_title(admin_user_client, users):
    draft = make_draft(users["writer"], title="Quarterly shipments of foldables")
    published = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    # Every article the user may list is searched, drafts included (as before the index).
    assert draft.pk in changelist_pks(admin_user_client, "q=foldables")
    assert published.pk in changelist_pks(admin_user_client, "q=Kingsoft")
    assert changelist_pks(admin_user_client, f"q={published.slug}") == {published.pk}
    assert changelist_pks(admin_user_client, "q=zzyzx") == set()


def test_the_default_list_counts_no_further_than_its_cap(admin_user_client):
    url = reverse("admin:articles_article_changelist")
    admin_user_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        admin_user_client.get(url)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all(" LIMIT " in sql.upper() for sql in counts), counts


def test_the_article_autocomplete_searches_the_index(admin_user_client):
    response = admin_user_client.get(
        "/admin/autocomplete/?app_label=articles&model_name=article&field_name=related"
        "&term=Kingsoft"
    )
    titles = [r["text"] for r in response.json()["results"]]
    assert titles and all("[" in t for t in titles)
    assert any("Kingsoft" in t for t in titles)


def test_recover_list_answers(admin_user_client):
    assert admin_user_client.get(reverse("admin:articles_article_recoverlist")).status_code == 200


def article_form_data(article, **overrides):
    data = {
        "language": article.language,
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "published_at_0": "",
        "published_at_1": "",
        "owner": "",
        "authors": [],
        "byline_note": article.byline_note,
        "source": article.source,
        "source_url": "",
        "dateline": "",
        "lead_image": "",
        "people": [],
        "companies": [],
        "quotes": [],
        "sections": [],
        "related": [],
        "translation_of": "",
        "storyline_entries-TOTAL_FORMS": "0",
        "storyline_entries-INITIAL_FORMS": "0",
        "storyline_entries-MIN_NUM_FORMS": "0",
        "storyline_entries-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_duplicate_slug_in_admin_is_a_form_error(admin_user_client):
    existing = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    count = Article.objects.count()
    response = admin_user_client.post(
        reverse("admin:articles_article_add"),
        article_form_data(existing, title="Copy"),
    )
    assert response.status_code == 200
    assert "already has this slug" in response.content.decode()
    assert Article.objects.count() == count


def test_second_dutch_version_in_admin_is_a_form_error(admin_user_client):
    source = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    count = Article.objects.count()
    response = admin_user_client.post(
        reverse("admin:articles_article_add"),
        article_form_data(
            source, language="nl", slug="tweede-versie", title="Tweede", translation_of=source.pk
        ),
    )
    assert response.status_code == 200
    assert "already has a Nederlands version" in response.content.decode()
    assert Article.objects.count() == count


def test_position_ending_before_start_in_admin_is_a_form_error(admin_user_client):
    person = Person.objects.get(slug="wang-hua")
    company = Company.objects.get(slug="xiaomi")
    count = Position.objects.count()
    response = admin_user_client.post(
        reverse("admin:people_position_add"),
        {
            "person": person.pk,
            "company": company.pk,
            "title": "Spokesperson",
            "start_date": "2021-05-01",
            "start_precision": "day",
            "end_date": "2021-04-01",
            "end_precision": "day",
            "ending": "resigned",
            "successor": "",
            "note": "",
            "sources": [],
        },
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    assert Position.objects.count() == count


def test_position_inline_on_person_reports_bad_dates(admin_user_client):
    person = Person.objects.get(slug="wang-hua")
    url = reverse("admin:people_person_change", args=[person.pk])
    page = admin_user_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(name=person.name, slug=person.slug, native_name="", aliases="", bio=person.bio,
                photo="")  # fmt: skip
    existing = list(person.positions.all())
    data.update({
        "positions-TOTAL_FORMS": str(len(existing) + 1),
        "positions-INITIAL_FORMS": str(len(existing)),
        "positions-MIN_NUM_FORMS": "0", "positions-MAX_NUM_FORMS": "1000",
        "quotes-TOTAL_FORMS": str(person.quotes.count()),
        "quotes-INITIAL_FORMS": str(person.quotes.count()),
        "quotes-MIN_NUM_FORMS": "0", "quotes-MAX_NUM_FORMS": "1000",
    })  # fmt: skip
    for i, p in enumerate(existing):
        data.update({
            f"positions-{i}-id": p.pk, f"positions-{i}-person": person.pk,
            f"positions-{i}-title": p.title, f"positions-{i}-company": p.company_id,
            f"positions-{i}-start_precision": p.start_precision,
            f"positions-{i}-end_precision": p.end_precision, f"positions-{i}-ending": p.ending,
        })  # fmt: skip
    for i, q in enumerate(person.quotes.all()):
        data.update({
            f"quotes-{i}-id": q.pk, f"quotes-{i}-speaker": person.pk, f"quotes-{i}-text": q.text,
            f"quotes-{i}-language": q.language, f"quotes-{i}-rendered_from": q.rendered_from,
            f"quotes-{i}-said_on": q.said_on.isoformat() if q.said_on else "",
            f"quotes-{i}-said_on_precision": q.said_on_precision,
            f"quotes-{i}-context": q.context,
        })  # fmt: skip
    n = len(existing)
    data.update({
        f"positions-{n}-person": person.pk, f"positions-{n}-title": "Spokesperson",
        f"positions-{n}-company": Company.objects.get(slug="xiaomi").pk,
        f"positions-{n}-start_date": "2021-05-01", f"positions-{n}-start_precision": "day",
        f"positions-{n}-end_date": "2021-04-01", f"positions-{n}-end_precision": "day",
        f"positions-{n}-ending": "resigned",
    })  # fmt: skip
    count = Position.objects.count()
    response = admin_user_client.post(url, data)
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    assert Position.objects.count() == count


def test_a_new_article_starts_in_the_language_of_the_persons_latest_one(client, users):
    from tests.editorial import make_draft

    client.force_login(users["editor"])
    make_draft(users["editor"], language="tr")
    form = client.get(reverse("admin:articles_article_add")).context["adminform"].form
    assert form.initial["language"] == "tr"
    client.force_login(users["admin"])
    Article.objects.filter(owner=users["admin"]).delete()
    form = client.get(reverse("admin:articles_article_add")).context["adminform"].form
    assert form.initial["language"] == "en"  # nothing of theirs yet: the site's first language


def test_the_read_only_view_shows_the_body_rendered_not_its_markup(client, users):
    from tests.editorial import bring_to, make_draft

    article = bring_to(
        make_draft(users["writer"], body="<h2>Heading</h2><p>Some <strong>bold</strong>.</p>"),
        "in_review",
        by=users["admin"],
    )
    client.force_login(users["writer"])  # may read it in review, not change it
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert (
        '<div class="rendered-body"><h2>Heading</h2><p>Some <strong>bold</strong>.</p></div>'
        in html
    )
    assert "&lt;h2&gt;" not in html
    assert "3 words · about 1 min to read" in html
