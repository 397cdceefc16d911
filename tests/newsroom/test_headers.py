"""Security headers: Content-Security-Policy (readers' pages and the admin), Permissions-
Policy, HSTS and the https redirect behind a TLS proxy, on rendered and cached pages alike;
and `check --deploy` clean with production settings."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from articles.models import Article

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = [
    "/",
    "/nl/",
    "/en/lei-jun-steps-down-kingsoft-executive-director/",
    "/people/lei-jun/",
    "/feeds/",
    "/search/?q=xiaomi",
    "/feeds/nl/rss.xml",
    "/sitemap.xml",
]


def policy(response) -> dict[str, list[str]]:
    """The CSP header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def permissions(response) -> dict[str, str]:
    header = response["Permissions-Policy"]
    return dict(part.strip().split("=", 1) for part in header.split(","))


@pytest.mark.parametrize("url", PUBLIC)
def test_readers_pages_carry_a_strict_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    csp = policy(response)
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]  # the subscribe page's copy button; no inline
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"][0] == "'self'"
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"]
    header = response["Content-Security-Policy"]
    assert "unsafe" not in header and "nonce-" not in header
    pp = permissions(response)
    assert pp["camera"] == "()" and pp["geolocation"] == "()" and pp["microphone"] == "()"
    assert pp["clipboard-write"] == "(self)"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_json_ld_is_the_only_script_in_a_readers_page(client):
    """The policy allows no inline script; the pages have none but JSON-LD (data, which
    browsers do not run and CSP does not block: tests/e2e/test_security_headers.py)."""
    html = client.get("/en/lei-jun-steps-down-kingsoft-executive-director/").content.decode()
    scripts = html.count("<script")
    assert scripts == html.count('<script type="application/ld+json">') >= 1


def test_a_cached_page_gets_the_same_headers_without_a_query(client, django_assert_num_queries):
    first = client.get("/people/lei-jun/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        hit = Client().get("/people/lei-jun/")
    assert hit["X-Page-Cache"] == "hit"
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options"):
        assert hit[header] == first[header], header
    # Nothing of the request that rendered it is in the cached page: no nonce anywhere.
    assert b"nonce" not in hit.content


def test_the_admin_is_as_strict_and_offers_a_nonce_only_when_a_page_uses_one(admin_user_client):
    article = Article.objects.get(slug="lei-jun-steps-down-kingsoft-executive-director")
    response = admin_user_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == ["'none'"]
    # Styles may be inline in the admin (the body editor injects one <style>); scripts not.
    assert csp["script-src"][0] == "'self'" and csp["style-src"] == ["'self'", "'unsafe-inline'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in " ".join(csp["script-src"]) and "unsafe-eval" not in header
    # No inline <script> and no style attribute left in our admin pages (static files
    # only); Django's admin scripts are all <script src>.
    html = response.content.decode()
    assert "<script>" not in html and " style=" not in html
    assert all("src=" in tag for tag in html.split("<script")[1:])


def test_a_page_that_uses_the_nonce_gets_it_in_its_header(rf):
    from django.http import HttpResponse

    from newsroom.middleware import ContentSecurityPolicyMiddleware

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    request = rf.get("/admin/")
    response = ContentSecurityPolicyMiddleware(view)(request)
    nonce = request.csp_nonce
    assert f"'nonce-{nonce}'" in policy(response)["script-src"]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_behind_a_tls_proxy_http_is_redirected_and_https_is_strict(settings, client):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    plain = client.get("/people/lei-jun/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/people/lei-jun/"
    # The load balancer's health check may ask over plain http.
    assert client.get("/healthz").status_code == 200
    secure = client.get("/people/lei-jun/", HTTP_X_FORWARDED_PROTO="https")
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cached = Client().get("/people/lei-jun/", HTTP_X_FORWARDED_PROTO="https")
    assert cached["X-Page-Cache"] == "hit"
    assert cached["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Content-Security-Policy" in cached


def _production_env(tmp_path, **extra) -> dict:
    # Only what a server's environment would hold: nothing of this test run's (its
    # database, or DJANGO_ALLOW_ASYNC_UNSAFE while a browser test is open).
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        BEHIND_TLS_PROXY="1",
        ALLOWED_HOSTS="news.example.com",
        NEWSROOM_VAR_DIR=str(tmp_path),
        **extra,
    )
    return env


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_turn_on_hsts_redirect_and_two_factor(tmp_path):
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.REQUIRE_2FA, "
        "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_AGE, s.TRUSTED_PROXY_COUNT]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [
        31536000, True, True, ["HTTP_X_FORWARDED_PROTO", "https"], True, True, 12 * 3600, 1,
    ]  # fmt: skip
    development = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**_production_env(tmp_path), "DEBUG": "1", "BEHIND_TLS_PROXY": "0"},
        capture_output=True,
        text=True,
    )
    assert development.returncode == 0, development.stderr
    assert json.loads(development.stdout) == [0, False, False, None, False, False, 12 * 3600, 0]
