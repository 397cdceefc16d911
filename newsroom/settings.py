"""Newsroom settings, read from the environment (12-factor).

Every value has a development default so `make demo` works on a fresh machine;
production (DEBUG off) refuses to start without a real SECRET_KEY.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

from newsroom import logs

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# Production mode, as the environment says (DEBUG=0). Unlike DEBUG, which Django's test
# runner switches off whatever the environment says, it stays as started: the demo command
# and the two-factor default go by it.
PRODUCTION = not DEBUG

_DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a long random value (50+ characters) when DEBUG is off."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    # The body editor's ProseMirror/Tiptap bundle (its static files; articles/desk/editor.py).
    "django_prose_editor",
    "reversion",
    # Logins that resist attack (docs/security.md): lockouts, second factor, CSP checks.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # django-ninja: the read API (/api/v1/); listed for its Swagger UI static files.
    "ninja",
    "people",
    "articles",
    # Background jobs (docs/tasks.md): the task API, its database queue, and newsroom's own
    # worker heartbeats (newsroom/jobs.py).
    "django_tasks",
    "newsroom.apps.JobQueueConfig",  # django_tasks_db, named for the admin
    "newsroom",
]

MIDDLEWARE = [
    # First: a request id for every line logged while answering, and one line per request
    # (cached pages included) with its status and duration (newsroom/logs.py).
    "newsroom.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Security headers sit outside the page cache, so a cached page gets them too.
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The read API's CORS headers, outside the page cache so cached answers carry them.
    "articles.syndication.api.cors.CorsMiddleware",
    # Before the session: a cached page is answered without touching session or database.
    "newsroom.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Not Django's LocaleMiddleware: the language comes from the URL, never the browser.
    "newsroom.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "newsroom.middleware.SessionTimeoutMiddleware",
    "newsroom.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "reversion.middleware.RevisionMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/newsroom.
# Default: a SQLite file under var/ so a fresh clone runs with nothing installed.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets readers go on while one writer writes; the timeout waits out short locks.
    # A file, not memory, for the test database too, so tests can close and reopen it.
    DATABASES["default"].setdefault("TEST", {"NAME": str(VAR_DIR / "test-newsroom.sqlite3")})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Transactions take the write lock when they begin, so a second writer waits
            # (up to the timeout) instead of failing with "database is locked" when two
            # people save at the same moment.
            "transaction_mode": "IMMEDIATE",
        }
    )

# Read replicas (docs/replicas.md): DATABASE_REPLICA_URLS, comma-separated PostgreSQL URLs
# of streaming replicas of DATABASE_URL, become the aliases replica1, replica2, … to which
# newsroom.replicas sends readers' page reads. Writes, the admin, signed-in staff and a
# browser that has just written (for REPLICA_PIN_SECONDS) read from the primary; a replica
# that is down or more than REPLICA_MAX_LAG_SECONDS behind is left out until it catches up
# (each process checks every REPLICA_CHECK_SECONDS).
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    _replica = dj_database_url.parse(_url, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")))
    if _replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS: replicas must be PostgreSQL URLs")
    # A replica that does not answer costs a request a short wait, not a hung worker.
    _replica.setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("REPLICA_CONNECT_TIMEOUT", "2"))
    )
    # Tests never create a database on a replica (it is read-only; it streams the primary's).
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "10"))
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "3"))
# Before the page cache, so the pages it renders on a miss are routed too.
MIDDLEWARE.insert(
    MIDDLEWARE.index("newsroom.pagecache.PageCacheMiddleware"),
    "newsroom.replicas.ReplicaRoutingMiddleware",
)

# Cache: REDIS_URL for a shared cache across app servers; local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The readers' page cache (newsroom/pagecache.py) keeps whole responses apart from the
# small things in "default", so its size and evictions never push those out. It must be
# shared by every process that serves pages, or a save in one gunicorn worker would not
# retire the pages another worker keeps: Redis when REDIS_URL is set (many machines),
# else files under var/ (every worker on one machine sees them).
if REDIS_URL:
    CACHES["pages"] = {
        **CACHES["default"],
        "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + ":pages",
        "TIMEOUT": None,
    }
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "pagecache"),
        "KEY_PREFIX": "pages",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    }
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# What a cached page tells a CDN (s-maxage) and a browser (max-age): the CDN may keep a
# page a few minutes and serve a stale one while it fetches a new one; a browser asks
# again every time (a 304 from the page cache when nothing changed), so a reader sees a
# correction at once.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "0"))
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "600"))

# Logins ---------------------------------------------------------------------------------
# django-axes counts failed logins per username and per address (either locks), answers a
# lockout with a page saying so, and lists lockouts in the admin ("Access attempts"):
# deleting one unlocks at once; otherwise it lifts after LOGIN_LOCKOUT_MINUTES.
# Roles come from the groups (ModelBackend); per-object rules from articles/rules.py.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True  # a typo or two before the right password is forgotten
# Each failure is kept too (who, when, from where), for an admin looking into a lockout.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "newsroom.staff_login.locked_out"
AXES_CLIENT_IP_CALLABLE = "newsroom.staff_login.client_ip"
AXES_VERBOSE = env_bool("LOGIN_LOCKOUT_LOG", True)
# Proxies in front of the app that append to X-Forwarded-For (BEHIND_TLS_PROXY: one).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if BEHIND_TLS_PROXY else "0"))

# Two-factor sign-in (TOTP apps, with recovery codes) through django-otp. Required for
# whoever holds TWO_FACTOR_PERMISSION (editors) and superusers when REQUIRE_2FA is on: by
# default in production, not in development or the demo. Anyone on the staff may turn it on.
REQUIRE_2FA = env_bool("REQUIRE_2FA", PRODUCTION)
TWO_FACTOR_PERMISSION = os.environ.get("TWO_FACTOR_PERMISSION", "articles.publish_article")
RECOVERY_CODE_COUNT = 10

# Signed-in sessions end after SESSION_IDLE_SECONDS without a request, and at the latest
# SESSION_ABSOLUTE_SECONDS after signing in (newsroom.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(8 * 3600)))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages the newsroom publishes in. Adding one is a setting, not a code change:
# NEWSROOM_LANGUAGES=en,nl,tr,de
_language_codes = env_list("NEWSROOM_LANGUAGES", "en,nl,tr")
for _code in _language_codes:
    if _code not in LANG_INFO:
        raise ImproperlyConfigured(f"NEWSROOM_LANGUAGES: unknown language code {_code!r}")
LANGUAGES = [(code, LANG_INFO[code]["name_local"]) for code in _language_codes]
LANGUAGE_CODE = _language_codes[0]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Until collectstatic has run (development, tests) whitenoise serves from the app folders.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Without external storage the app serves media itself (see newsroom/urls.py).
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Media on S3-compatible storage (django-storages), docs/media-storage.md:
#   MEDIA_STORAGE_URL=s3://BUCKET[/PREFIX]?endpoint_url=…&region_name=…&custom_domain=…
# or the usual AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME,
# AWS_S3_CUSTOM_DOMAIN, AWS_LOCATION on their own; credentials from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY (or boto3's other usual places). Media are published, so objects are
# public-read with plain, unsigned URLs, and MEDIA_URL is where they are read: pages (and
# the CSP below, and the body's picture policy) use it, and every URL is made from it
# without a call into boto3. The app then serves no media itself.
_MEDIA_STORAGE_URL = os.environ.get("MEDIA_STORAGE_URL", "") or (
    f"s3://{os.environ['AWS_STORAGE_BUCKET_NAME']}/{os.environ.get('AWS_LOCATION', '')}"
    if os.environ.get("AWS_STORAGE_BUCKET_NAME")
    else ""
)
if _MEDIA_STORAGE_URL:
    _media = urlsplit(_MEDIA_STORAGE_URL)
    _query = dict(parse_qsl(_media.query))
    _unknown = sorted(set(_query) - {"endpoint_url", "region_name", "custom_domain"})
    if _media.scheme != "s3" or not _media.netloc or "@" in _media.netloc or _unknown:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL: expected s3://BUCKET?endpoint_url=…&region_name=…&custom_domain=…"
            " (credentials go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
            + (f"; unknown: {', '.join(_unknown)}" if _unknown else "")
        )
    _endpoint = _query.get("endpoint_url") or os.environ.get("AWS_S3_ENDPOINT_URL", "")
    _region = _query.get("region_name") or os.environ.get("AWS_S3_REGION_NAME", "")
    _domain = _query.get("custom_domain") or os.environ.get("AWS_S3_CUSTOM_DOMAIN", "")
    _protocol = os.environ.get("AWS_S3_URL_PROTOCOL", "https:")
    if not _domain and _endpoint:  # path-style addresses on the endpoint itself
        _at = urlsplit(_endpoint)
        _protocol, _domain = f"{_at.scheme}:", f"{_at.netloc}{_at.path.rstrip('/')}/{_media.netloc}"
    elif not _domain:
        _domain = f"{_media.netloc}.s3.{_region + '.' if _region else ''}amazonaws.com"
    _location = _media.path.strip("/")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _media.netloc,
            "location": _location,
            "endpoint_url": _endpoint or None,
            "region_name": _region or None,
            # Other S3-compatible servers (MinIO…) want the bucket in the path, not the host.
            "addressing_style": "path" if _endpoint else None,
            "custom_domain": _domain.strip("/"),
            "url_protocol": _protocol,
            "querystring_auth": False,
            # A bucket with ACLs switched off (public through its policy): AWS_DEFAULT_ACL=
            "default_acl": os.environ.get("AWS_DEFAULT_ACL", "public-read") or None,
            # A name taken gets a suffix, as on disk: never another picture's bytes.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    MEDIA_URL = f"{_protocol}//{_domain.strip('/')}/" + (f"{_location}/" if _location else "")
    SERVE_MEDIA = env_bool("SERVE_MEDIA", False)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Limits with clear answers (docs/uploads-and-limits.md). Sizes in bytes; each a form error
# or a refusal that says why, never a stalled worker or a generic 400.
MB = 1024 * 1024
# Uploaded pictures: file size, pixels (width x height), and the formats taken.
IMAGE_UPLOAD_MAX_BYTES = int(os.environ.get("IMAGE_UPLOAD_MAX_BYTES", 20 * MB))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 40_000_000))
# An article's body, in bytes of HTML (UTF-8), and a wire file for import_articles.
ARTICLE_BODY_MAX_BYTES = int(os.environ.get("ARTICLE_BODY_MAX_BYTES", 1 * MB))
IMPORT_MAX_FILE_BYTES = int(os.environ.get("IMPORT_MAX_FILE_BYTES", 1 * MB))
# How much plain text the entity linker reads of one article (title, standfirst, body).
LINKER_MAX_CHARS = int(os.environ.get("LINKER_MAX_CHARS", 200_000))
# A form's fields (files apart) may be this large. Above ARTICLE_BODY_MAX_BYTES with room
# for URL encoding (up to 3 bytes per byte), so an overlong body gets the body-size form
# error, with the text kept, instead of Django's bare 400 that loses it.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(
    os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", max(10 * MB, 4 * ARTICLE_BODY_MAX_BYTES))
)

SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGIN_URL = "admin:login"

# E-mail (notifications of workflow steps, articles/notifications.py). With EMAIL_HOST set,
# SMTP; without, each message is written to a file under var/mail/, so one machine works
# with no mail server and nothing is lost. EMAIL_BACKEND overrides either.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Newsroom <newsroom@localhost>")


# Headers ----------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
if BEHIND_TLS_PROXY:
    # Every address is https: plain http is redirected (but the load balancer's health
    # check), and browsers are told to use nothing else for HSTS_SECONDS.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
# Asking to be preloaded into browsers (HSTS_PRELOAD=1) is a promise that is slow to take
# back, made by the site's owner on hstspreload.org; it is not a default, so the deploy
# check's reminder about it (W021) is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# Content-Security-Policy (django-csp, newsroom.middleware.ContentSecurityPolicyMiddleware).
# Readers' pages run no inline script (JSON-LD is data, which CSP does not run) and load
# everything from this site, or from media storage when MEDIA_URL names another origin;
# CSP_EXTRA_IMG_SRC adds more (a CDN). The admin is as strict: scripts from static files
# or carrying the request's nonce, never inline attributes.
_IMAGES = [SELF, *filter(None, [_origin(MEDIA_URL)]), *env_list("CSP_EXTRA_IMG_SRC", "")]
_CSP_COMMON = {
    "default-src": [NONE],
    "img-src": _IMAGES,
    "font-src": [SELF],
    "connect-src": [SELF],
    "manifest-src": [SELF],
    "form-action": [SELF],
    "base-uri": [NONE],
    "object-src": [NONE],
    "frame-ancestors": [NONE],
}
_CSP_REPORT_URI = os.environ.get("CSP_REPORT_URI", "")
if _CSP_REPORT_URI:
    _CSP_COMMON["report-uri"] = [_CSP_REPORT_URI]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {**_CSP_COMMON, "script-src": [SELF], "style-src": [SELF]},
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        # NONCE: the request's nonce, for a <script nonce="{{ request.csp_nonce }}">
        # should one ever be needed; it is in the header only when a page used it.
        "script-src": [SELF, NONCE],
        # The body editor (ProseMirror, via django-prose-editor) inserts one <style>
        # element when it starts; styles cannot run code, scripts stay strict.
        "style-src": [SELF, UNSAFE_INLINE],
    },
}

# Browser features no page of ours uses are switched off; copying a feed's address (the
# subscribe page) writes to the clipboard.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "clipboard-write": ["self"],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
    "browsing-topics": [],
}

# Logs: one line per event on stdout (newsroom/logs.py). LOG_FORMAT=json (the default
# when DEBUG is off) writes JSON objects for a log collector, text (the default when DEBUG
# is on) lines for a person; LOG_LEVEL filters all but the one line per request.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "") or ("text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = logs.logging_config(LOG_FORMAT, os.environ.get("LOG_LEVEL", "WARNING"))


# Background jobs (docs/tasks.md) ----------------------------------------------------------
# django-tasks (the API Django 6.0 ships as django.tasks) with django-tasks-db: the queue
# is this database, and `manage.py run_worker` runs its jobs (several workers share it,
# on PostgreSQL with SELECT ... FOR UPDATE SKIP LOCKED). TASKS_BACKEND=immediate runs every
# job at once in the process that enqueues it (the test suite's default, tests/conftest.py).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("TASKS_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}
# A failed job is tried again TASKS_MAX_ATTEMPTS times in all, waiting
# TASKS_RETRY_SECONDS, then twice that, and so on (at most an hour) between attempts.
TASKS_MAX_ATTEMPTS = int(os.environ.get("TASKS_MAX_ATTEMPTS", "5"))
TASKS_RETRY_SECONDS = float(os.environ.get("TASKS_RETRY_SECONDS", "10"))
# A worker writes its heartbeat every TASKS_HEARTBEAT_SECONDS; one not heard from for
# TASKS_WORKER_STALE_SECONDS is taken for dead, and the job it was running runs again.
TASKS_HEARTBEAT_SECONDS = float(os.environ.get("TASKS_HEARTBEAT_SECONDS", "5"))
TASKS_WORKER_STALE_SECONDS = float(os.environ.get("TASKS_WORKER_STALE_SECONDS", "60"))

# WebSub (articles/syndication/websub.py): the hub (or hubs, comma-separated) every feed
# advertises and is announced to when what it shows changes. Empty: no hub, no pings.
WEBSUB_HUB_URLS = env_list("WEBSUB_HUB_URL", "")
# Seconds one ping may take before it counts as failed (and is tried again later).
WEBSUB_PING_TIMEOUT = int(os.environ.get("WEBSUB_PING_TIMEOUT", "10"))
