import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from reversion.models import Revision, Version

from articles.models import Article
from articles.translation import TranslationState, translations_panel

pytestmark = pytest.mark.django_db


def counts():
    models = [
        m for app in ("articles", "people", "auth") for m in apps.get_app_config(app).get_models()
    ]
    result = {m._meta.label: m.objects.count() for m in models}
    result["versions"] = Version.objects.count()
    result["revisions"] = Revision.objects.count()
    return result


def test_load_demo_twice_changes_nothing():
    # The test database already holds the demo newsroom (conftest); run it again.
    before = counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "editor" in out.getvalue() and "newsroom-editor" in out.getvalue()


def test_demo_has_the_five_stories_in_their_original_languages():
    originals = Article.objects.filter(translation_of__isnull=True, status="published")
    assert sorted(originals.values_list("language", flat=True)) == ["en", "en", "en", "nl", "tr"]


def test_demo_translations_cover_every_state():
    states = set()
    for original in Article.objects.filter(translation_of__isnull=True):
        states |= {version.state for version in translations_panel(original)}
    assert {
        TranslationState.MISSING,
        TranslationState.IN_PROGRESS,
        TranslationState.UP_TO_DATE,
        TranslationState.OUTDATED,
    } <= states


def test_demo_has_a_draft_in_review_and_a_scheduled_article():
    assert Article.objects.filter(status=Article.Status.IN_REVIEW).exists()
    assert any(a.is_scheduled for a in Article.objects.filter(status="published"))


def test_demo_lead_images_carry_the_credits_from_the_facts():
    cars = Article.objects.get(slug="lei-jun-gives-up-roles-for-xiaomi-cars")
    kingsoft = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    assert cars.lead_image.credit == "Photo credit: Xiaomi"
    assert kingsoft.lead_image.credit == "Kingsoft/Weibo"
    assert cars.lead_image.width == 1200 and cars.lead_image.height == 675


def test_load_demo_refuses_a_production_site_unless_allowed(settings):
    settings.PRODUCTION = True
    before = counts()
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo", stdout=io.StringIO())
    assert counts() == before


def test_load_demo_allowed_in_production_prints_random_passwords_once(settings):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    User.objects.filter(username__in=["editor", "writer"]).delete()
    settings.PRODUCTION = True
    out = io.StringIO()
    call_command("load_demo", "--allow-production", stdout=out)
    printed = out.getvalue()
    lines = {line.split()[0]: line.split()[1] for line in printed.splitlines() if line[:2] == "  "}
    # New accounts: a long random password, not the README's, and it works.
    for username in ("editor", "writer"):
        password = lines[username]
        assert len(password) >= 20 and password != f"newsroom-{username}"
        user = User.objects.get(username=username)
        assert user.check_password(password)
        assert not user.check_password(f"newsroom-{username}")
    # Accounts that existed keep their password, and it is not printed.
    assert lines["admin"] == "(unchanged:"
    assert "newsroom-admin" not in printed
    assert lines["editor"] != lines["writer"]
    # Run again: nothing new, so no password is printed a second time.
    again = io.StringIO()
    call_command("load_demo", "--allow-production", stdout=again)
    assert lines["editor"] not in again.getvalue()
