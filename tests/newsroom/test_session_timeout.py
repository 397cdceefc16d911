"""Staff sessions end when idle for SESSION_IDLE_SECONDS (8 h) and, however busy, at the
latest SESSION_ABSOLUTE_SECONDS (12 h) after signing in (newsroom.middleware)."""

import datetime

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_an_idle_session_ends_after_eight_hours(client, users, clock, settings):
    assert settings.SESSION_IDLE_SECONDS == 8 * 3600
    client.force_login(users["editor"])
    assert client.get("/admin/").status_code == 200
    clock.shift(8 * HOUR - 2 * MINUTE)
    assert client.get("/admin/").status_code == 200  # still there, and seen again now
    clock.shift(3 * HOUR)
    assert client.get("/admin/").status_code == 200
    client.force_login(users["editor"])  # a new sign-in: the 12 hours start again
    clock.shift(8 * HOUR + 2 * MINUTE)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[0] == ("/admin/login/?next=/admin/", 302)
    assert "You were signed out after 8 hours without activity" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_busy_session_still_ends_twelve_hours_after_signing_in(client, users, clock, settings):
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600
    client.force_login(users["editor"])
    for _hour in range(11):
        clock.shift(HOUR)
        assert client.get("/admin/").status_code == 200
    clock.shift(HOUR + MINUTE)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[0][1] == 302
    assert "12 hours after signing in" in response.content.decode()
    assert SESSION_KEY not in client.session
    # Signing in again starts a new day.
    client.force_login(users["editor"])
    assert client.get("/admin/").status_code == 200


def test_timeouts_follow_the_settings(client, users, clock, settings):
    settings.SESSION_IDLE_SECONDS = 15 * 60
    client.force_login(users["writer"])
    clock.shift(14 * MINUTE)
    assert client.get("/admin/").status_code == 200
    clock.shift(16 * MINUTE)
    assert client.get("/admin/").status_code == 302


def test_a_click_a_second_does_not_write_the_session_each_time(client, users, clock):
    """Last-seen is refreshed at most once a minute: most requests save no session."""
    client.force_login(users["editor"])
    client.get("/admin/")
    key = client.session.session_key

    saved = Session.objects.get(session_key=key).expire_date
    clock.shift(datetime.timedelta(seconds=20))
    client.get("/admin/")
    assert Session.objects.get(session_key=key).expire_date == saved
    clock.shift(datetime.timedelta(seconds=50))
    client.get("/admin/")
    assert Session.objects.get(session_key=key).expire_date > saved


def test_readers_get_no_session_and_no_cookie(client):
    response = client.get("/")
    assert response.status_code == 200
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()
