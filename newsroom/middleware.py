"""Middleware shared by the whole project: the site's language, security headers, session
timeouts and the two-factor requirement."""

import time
from urllib.parse import urlencode

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property

from newsroom import twofactor


class SiteLanguageMiddleware:
    """Start every request in the default language and say which language it answered in.

    Public pages and feeds take their language from the URL (a view switches to it with
    `articles.site.navigation.activate_page_language`); the admin stays in the default
    language. Unlike Django's LocaleMiddleware this never reads the browser's
    Accept-Language, so no response varies on it and a CDN keeps one copy per URL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A worker thread keeps the language its last request activated: reset it.
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        try:
            response = self.get_response(request)
            if "Content-Language" not in response:
                response["Content-Language"] = translation.get_language()
        finally:
            translation.deactivate()
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with two policies: `CONTENT_SECURITY_POLICY` for readers'
    pages (and everything else), `CONTENT_SECURITY_POLICY_ADMIN` under the admin.

    It sits outside the page cache, so a page answered from the cache gets the header
    too. Readers' pages never carry a nonce (their policy has none), so a cached page
    holds nothing that belongs to the request that rendered it.
    """

    @cached_property
    def admin_prefix(self) -> str:
        return reverse("admin:index")

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path.startswith(self.admin_prefix):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        return parts


# Session keys: when the user signed in and when they were last seen (epoch seconds).
SIGNED_IN_AT = "newsroom_signed_in_at"
SEEN_AT = "newsroom_seen_at"
# How stale "last seen" may get before a request writes the session to refresh it: the
# idle timeout is this much less precise, and a busy editor's clicks are not each a write.
SEEN_PRECISION = 60


def _note_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = time.time()


user_logged_in.connect(_note_sign_in, dispatch_uid="newsroom.middleware.note_sign_in")


class SessionTimeoutMiddleware:
    """Sign out a session idle for SESSION_IDLE_SECONDS, or signed in longer ago than
    SESSION_ABSOLUTE_SECONDS however busy it has been.

    Only signed-in sessions (the staff: readers have none) are looked at; a request
    without a session cookie costs nothing here. Place after MessageMiddleware, so the
    login page can say why it is showing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        has_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
        if has_cookie and SESSION_KEY in request.session:
            self._expire(request)
        response = self.get_response(request)
        if (has_cookie or request.session.modified) and SESSION_KEY in request.session:
            now = time.time()
            if SIGNED_IN_AT not in request.session:  # signed in before this middleware ran
                request.session[SIGNED_IN_AT] = now
            if now - request.session.get(SEEN_AT, 0) >= SEEN_PRECISION:
                request.session[SEEN_AT] = now
        return response

    @staticmethod
    def _expire(request) -> None:
        session, now = request.session, time.time()
        signed_in, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
        if signed_in is None or seen is None:
            return
        if now - seen > settings.SESSION_IDLE_SECONDS:
            why = f"after {_hours(settings.SESSION_IDLE_SECONDS)} without activity"
        elif now - signed_in > settings.SESSION_ABSOLUTE_SECONDS:
            why = f"{_hours(settings.SESSION_ABSOLUTE_SECONDS)} after signing in"
        else:
            return
        logout(request)
        messages.info(request, f"You were signed out {why}. Please sign in again.")


def _hours(seconds: int) -> str:
    hours = seconds / 3600
    return f"{hours:g} hour{'s' if hours != 1 else ''}" if hours >= 1 else f"{seconds} seconds"


class TwoFactorRequiredMiddleware:
    """Under the admin, send a signed-in user who must use two-factor sign-in
    (`twofactor.two_factor_required`) but has not in this session to the two-factor page:
    to set it up, or to type a code. Signing out and that page itself stay open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_2FA
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.path.startswith(reverse("admin:index"))
            and request.path not in _open_paths()
        ):
            user = request.user
            if twofactor.two_factor_required(user) and not user.is_verified():
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('two_factor')}?{query}")
        return self.get_response(request)


def _open_paths() -> set[str]:
    return {
        reverse("two_factor"),
        reverse("admin:logout"),
        reverse("admin:login"),
        reverse("admin:jsi18n"),
    }
