"""Signing in to the admin (newsroom/staff_login.py, newsroom/twofactor.py): lockouts after
repeated failures, lifted by an admin; two-factor sign-in required for editors when
REQUIRE_2FA is on, with real TOTP codes and recovery codes."""

import re
import time

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom import twofactor

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORDS = {
    "admin": "newsroom-admin",
    "editor": "newsroom-editor",
    "writer": "newsroom-writer",
    "translator": "newsroom-translator",
}


def sign_in(client, username, password=None, code=None, **extra):
    data = {"username": username, "password": password or PASSWORDS[username], "next": "/admin/"}
    if code is not None:
        data["otp_token"] = code
    return client.post(LOGIN, data, **extra)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def app_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for `device` (django-otp's own TOTP)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


# Lockouts ------------------------------------------------------------------------------


def test_repeated_failures_lock_the_account_until_an_admin_lifts_it(client, users, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit):
        response = sign_in(client, "editor", "wrong-password")
        assert response.status_code == 200, attempt  # the login form again, with its error
        assert "Please enter the correct username and password" in response.content.decode()
    locked = sign_in(client, "editor", "wrong-password")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in paused" in page and f"{limit} in a row" in page
    assert "Content-Security-Policy" in locked.headers

    # Now the right password does not open it either: guessing has stopped paying off.
    assert sign_in(client, "editor").status_code == 429
    assert not signed_in(client)

    # An admin sees the lockout in the admin and lifts it.
    admin = Client()
    admin.force_login(users["admin"])
    listing = admin.get("/admin/axes/accessattempt/?locked_out=yes")
    assert listing.status_code == 200 and "editor" in listing.content.decode()
    attempt_ids = list(AccessAttempt.objects.filter(username="editor").values_list("pk", flat=True))
    assert attempt_ids
    lifted = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempt_ids, "post": "yes"},
    )
    assert lifted.status_code == 302
    assert not AccessAttempt.objects.filter(username="editor").exists()

    response = sign_in(client, "editor")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert signed_in(client)


def test_failures_from_one_address_lock_that_address_for_every_account(client, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"nobody{n}", "guess", REMOTE_ADDR="203.0.113.9")
    assert sign_in(client, "writer", REMOTE_ADDR="203.0.113.9").status_code == 429
    # The same person from another address is not punished for it.
    assert sign_in(Client(), "writer", REMOTE_ADDR="198.51.100.4").status_code == 302


def test_failures_for_one_account_lock_it_from_every_address(client, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "translator", "guess", REMOTE_ADDR=f"203.0.113.{n + 1}")
    assert sign_in(client, "translator", REMOTE_ADDR="198.51.100.4").status_code == 429


def test_a_success_forgets_earlier_typos(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "writer", "typo")
    assert sign_in(client, "writer").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "writer", "typo")
    assert sign_in(client, "writer").status_code == 302


def test_behind_a_proxy_the_client_address_is_the_one_the_proxy_saw(client, settings):
    """TRUSTED_PROXY_COUNT=1: the right-most X-Forwarded-For entry counts; what a client
    writes to the left of it cannot spread its failures over made-up addresses."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(
            Client(),
            f"nobody{n}",
            "guess",
            REMOTE_ADDR="10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9",
        )
    assert AccessAttempt.objects.filter(ip_address="203.0.113.9").count() == 5
    blocked = sign_in(client, "writer", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert blocked.status_code == 429
    other = sign_in(Client(), "writer", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert other.status_code == 302


# Two-factor sign-in ----------------------------------------------------------------------


def enrol(client) -> tuple[TOTPDevice, list[str]]:
    """Set up an authenticator app through the two-factor page, as a person does."""
    page = client.post("/admin/two-factor/", {"action": "start"})
    html = page.content.decode()
    assert "<svg" in html and "Set up an authenticator app" in html
    device_id = re.search(r'name="device" value="(\d+)"', html).group(1)
    device = TOTPDevice.objects.get(pk=device_id, confirmed=False)
    # The key typed by hand is the device's: an app given either gets the same codes.
    assert "".join(re.search(r"Key: <code>([A-Z2-7 ]+)</code>", html).group(1).split())
    done = client.post(
        "/admin/two-factor/", {"action": "confirm", "device": device_id, "code": app_code(device)}
    )
    html = done.content.decode()
    assert "Two-factor sign-in is on" in html
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


def test_an_editor_must_set_up_two_factor_when_it_is_required(client, settings):
    settings.REQUIRE_2FA = True
    response = sign_in(client, "editor")
    assert response.status_code == 302 and signed_in(client)
    # Signed in with a password, but the admin sends them to set up a second factor.
    blocked = client.get("/admin/articles/article/")
    assert blocked.status_code == 302
    assert blocked["Location"] == "/admin/two-factor/?next=%2Fadmin%2Farticles%2Farticle%2F"
    intro = client.get(blocked["Location"]).content.decode()
    assert "Your role needs two-factor sign-in" in intro

    # A wrong code turns nothing on.
    page = client.post("/admin/two-factor/", {"action": "start"})
    device_id = re.search(r'name="device" value="(\d+)"', page.content.decode()).group(1)
    wrong = client.post(
        "/admin/two-factor/", {"action": "confirm", "device": device_id, "code": "000000"}
    )
    assert "That code does not match" in wrong.content.decode()
    assert not twofactor.has_two_factor(wrong.wsgi_request.user)
    assert client.get("/admin/").status_code == 302

    device, _codes = enrol(client)
    assert client.get("/admin/articles/article/").status_code == 200

    # Next time, the password alone is not enough ...
    client.logout()
    refused = sign_in(client, "editor")
    assert refused.status_code == 200 and not signed_in(client)
    assert "Type the code from your authenticator app" in refused.content.decode()
    assert "That code does not match" in sign_in(client, "editor", code="123456").content.decode()
    assert not signed_in(client)
    # ... the password and the app's code are: a little later (a wrong code makes the
    # next attempt wait, and the code used to enrol cannot be used again).
    with time_machine.travel(time.time() + 31):
        response = sign_in(client, "editor", code=app_code(device))
    assert response.status_code == 302 and signed_in(client)
    assert client.get("/admin/articles/article/").status_code == 200


def test_a_recovery_code_signs_in_once(client, users, settings):
    settings.REQUIRE_2FA = True
    sign_in(client, "editor")
    _device, codes = enrol(client)
    client.logout()
    assert sign_in(client, "editor", code=codes[0].upper()).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    with time_machine.travel(time.time() + 10):  # past django-otp's throttle, if any
        used = sign_in(client, "editor", code=codes[0])
    assert used.status_code == 200 and "That code does not match" in used.content.decode()
    assert twofactor.recovery_codes_left(users["editor"]) == 9


def test_wrong_codes_count_towards_the_lockout(client, settings):
    settings.REQUIRE_2FA = True
    sign_in(client, "editor")
    enrol(client)
    client.logout()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "editor", code=f"99999{n}")
        assert response.status_code == 200
    assert sign_in(client, "editor", code="999999").status_code == 429


def test_a_session_signed_in_without_the_code_must_confirm_it(client, users, settings):
    """A session from before two-factor became required (here force_login) is asked for
    a code before the admin opens, and the code opens it."""
    settings.REQUIRE_2FA = True
    client.force_login(users["editor"])
    device, _codes = enrol(client)
    client.logout()
    client.force_login(users["editor"])
    response = client.get("/admin/")
    assert response["Location"] == "/admin/two-factor/?next=%2Fadmin%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Type the code your authenticator app shows now" in page
    confirmed = client.post(
        "/admin/two-factor/",
        {"action": "verify", "code": app_code(device, steps_ahead=1), "next": "/admin/"},
    )
    assert confirmed["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_two_factor_page_never_sends_anyone_off_the_site(client, users, settings):
    settings.REQUIRE_2FA = True
    client.force_login(users["editor"])
    device, _codes = enrol(client)
    client.logout()
    client.force_login(users["editor"])
    response = client.post(
        "/admin/two-factor/",
        {"action": "verify", "code": app_code(device, steps_ahead=1), "next": "//evil.example/"},
    )
    assert response["Location"] == "/admin/"


def test_writers_and_translators_need_no_second_factor_but_may_add_one(client, users, settings):
    settings.REQUIRE_2FA = True
    for username in ("writer", "translator"):
        client.force_login(users[username])
        assert client.get("/admin/").status_code == 200
    # A writer who turns it on is asked for the code at sign-in, and may turn it off.
    client.force_login(users["writer"])
    enrol(client)
    client.logout()
    assert not signed_in(client) and sign_in(client, "writer").status_code == 200
    with time_machine.travel(time.time() + 40):
        device = twofactor.app_device(users["writer"])
        assert sign_in(client, "writer", code=app_code(device)).status_code == 302
        client.post("/admin/two-factor/", {"action": "off"})
    assert not twofactor.has_two_factor(users["writer"])


def test_editors_cannot_turn_a_required_second_factor_off(client, users, settings):
    settings.REQUIRE_2FA = True
    client.force_login(users["editor"])
    enrol(client)
    page = client.get("/admin/two-factor/").content.decode()
    assert "Turn two-factor sign-in off" not in page
    response = client.post("/admin/two-factor/", {"action": "off"}, follow=True)
    assert "must keep two-factor sign-in on" in response.content.decode()
    assert twofactor.has_two_factor(users["editor"])


def test_without_the_requirement_editors_sign_in_with_a_password(client, settings):
    settings.REQUIRE_2FA = False
    assert sign_in(client, "editor").status_code == 302
    assert client.get("/admin/articles/article/").status_code == 200


def test_new_recovery_codes_replace_the_old_ones(client, users, settings):
    settings.REQUIRE_2FA = True
    client.force_login(users["admin"])
    assert client.get("/admin/")["Location"].startswith("/admin/two-factor/")  # superuser
    _device, old = enrol(client)
    page = client.post("/admin/two-factor/", {"action": "codes"}).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    client.logout()
    assert sign_in(client, "admin", code=old[1]).status_code == 200
    with time_machine.travel(time.time() + 10):
        assert sign_in(client, "admin", code=new[1]).status_code == 302
