import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Storyline, StorylineEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def kingsoft_story():
    return Article.objects.get(language="en", slug="lei-jun-steps-down-kingsoft-executive-director")


def test_slug_is_unique_per_language(kingsoft_story):
    clash = Article(language="en", title="Another", slug=kingsoft_story.slug)
    with pytest.raises(ValidationError, match="already has this slug"):
        clash.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()


def test_the_same_slug_is_fine_in_another_language(kingsoft_story):
    other = Article(language="tr", title="Başka", slug=kingsoft_story.slug)
    other.full_clean()
    other.save()
    assert other.pk


def test_one_version_per_language_in_a_translation_group(kingsoft_story):
    # The Kingsoft story already has a Dutch version (a draft in progress).
    second_dutch = Article(
        language="nl", title="Nog een", slug="nog-een", translation_of=kingsoft_story
    )
    with pytest.raises(ValidationError, match="already has a Nederlands version"):
        second_dutch.full_clean()
    second_dutch.translation_key = kingsoft_story.translation_key
    with pytest.raises(IntegrityError), transaction.atomic():
        second_dutch.save()


def test_a_translation_must_be_in_another_language(kingsoft_story):
    same = Article(language="en", title="Copy", slug="copy", translation_of=kingsoft_story)
    with pytest.raises(ValidationError, match="another language"):
        same.full_clean()


def test_published_needs_a_publish_time_in_the_database(kingsoft_story):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=kingsoft_story.pk).update(published_at=None)


def test_published_is_the_one_visibility_rule(kingsoft_story):
    visible = set(Article.objects.published().values_list("pk", flat=True))
    assert kingsoft_story.pk in visible
    # Drafts, reviews and scheduled articles are not visible.
    hidden = Article.objects.exclude(status=Article.Status.PUBLISHED)
    assert hidden.exists()
    assert not visible & set(hidden.values_list("pk", flat=True))
    scheduled = Article.objects.get(language="nl", slug="open-brief-lei-jun-xiaomi-nummer-twee")
    assert scheduled.is_scheduled and scheduled.pk not in visible
    # The rule is evaluated when asked: move the time into the past and it shows.
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert Article.objects.published().filter(pk=scheduled.pk).exists()


def test_absolute_url_has_language_prefix_and_slug(kingsoft_story):
    assert kingsoft_story.get_absolute_url() == (
        "/en/lei-jun-steps-down-kingsoft-executive-director/"
    )


DIRTY_BODY = """
<p onclick="steal()">Lei Jun <strong>resigned</strong>.</p>
<script>alert('x')</script>
<img src="x.png" onerror="alert(1)" alt="x">
<a href="javascript:alert(1)">click</a>
<a href="JaVaScRiPt:alert(2)">again</a>
<a href="https://example.com/" onmouseover="x()">source</a>
<iframe src="https://evil.example/"></iframe>
<p style="background:url(javascript:alert(1))">styled</p>
"""


def test_body_is_sanitised_on_every_orm_save(kingsoft_story):
    kingsoft_story.body = DIRTY_BODY
    kingsoft_story.save()
    kingsoft_story.refresh_from_db()
    body = kingsoft_story.body.lower()
    assert "<script" not in body and "alert('x')" not in body
    assert "onclick" not in body and "onerror" not in body and "onmouseover" not in body
    assert "javascript:" not in body
    assert "<iframe" not in body and "style=" not in body
    # Editorial markup survives.
    assert "<strong>resigned</strong>" in kingsoft_story.body
    assert 'href="https://example.com/"' in kingsoft_story.body


def test_body_is_sanitised_on_create_through_the_manager():
    article = Article.objects.create(
        language="en", title="Dirty", slug="dirty", body="<p>ok</p><script>bad()</script>"
    )
    assert Article.objects.get(pk=article.pk).body == "<p>ok</p>"


def test_content_hash_ignores_metadata_but_tracks_words(kingsoft_story):
    before = kingsoft_story.content_hash
    kingsoft_story.source = "Somewhere else"
    kingsoft_story.save()
    assert kingsoft_story.content_hash == before
    kingsoft_story.standfirst += " More."
    kingsoft_story.save()
    assert kingsoft_story.content_hash != before


def test_crlf_and_rewrapped_text_keep_the_fingerprint(kingsoft_story):
    """Browsers send textareas with CRLF; a save that changes no words changes nothing."""
    before_hash, before_body = kingsoft_story.content_hash, kingsoft_story.body
    kingsoft_story.body = before_body.replace("\n", "\r\n")
    kingsoft_story.standfirst = kingsoft_story.standfirst.replace(" ", "\n  ", 1)
    kingsoft_story.save()
    kingsoft_story.refresh_from_db()
    assert "\r" not in kingsoft_story.body
    assert kingsoft_story.body == before_body
    assert kingsoft_story.content_hash == before_hash


def test_a_revision_is_a_change_of_words_after_publication(kingsoft_story):
    assert kingsoft_story.is_live and kingsoft_story.revised_at is None
    kingsoft_story.source = "Tianyancha records"
    kingsoft_story.save()
    kingsoft_story.refresh_from_db()
    assert kingsoft_story.revised_at is None  # metadata is not a revision

    kingsoft_story.body += "<p>Correction: a date was wrong.</p>"
    kingsoft_story.save()
    kingsoft_story.refresh_from_db()
    assert kingsoft_story.revised_at is not None
    assert kingsoft_story.revised_at > kingsoft_story.published_at


def test_drafting_before_publication_is_not_a_revision():
    draft = Article.objects.get(status=Article.Status.IN_REVIEW)
    draft.body += "<p>More.</p>"
    draft.save()
    draft.refresh_from_db()
    assert draft.revised_at is None


def test_the_demo_shows_updated_only_on_the_corrected_story(client):
    corrected = Article.objects.get(slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    untouched = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    assert corrected.revised_at is not None and untouched.revised_at is None
    assert 'class="updated"' in client.get(corrected.get_absolute_url()).content.decode()
    assert 'class="updated"' not in client.get(untouched.get_absolute_url()).content.decode()


def test_public_storylines_need_a_published_article():
    empty = Storyline.objects.create(title="Nothing yet", slug="nothing-yet")
    StorylineEntry.objects.create(
        storyline=empty,
        article=Article.objects.get(language="nl", slug="lei-jun-stopt-als-bestuurder-kingsoft"),
    )
    slugs = set(Storyline.objects.public().values_list("slug", flat=True))
    assert "nothing-yet" not in slugs and "xiaomi-rise" in slugs
