import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from . import staff_login, views

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Editorial desk"
# Password and, for those who have set it up, a second factor (docs/security.md).
admin.site.login_form = staff_login.TwoFactorAuthenticationForm

# Media at this site's own address (files under MEDIA_ROOT, one machine); media on
# S3-compatible storage (an absolute MEDIA_URL) are read from there, not from here.
_media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
_own_media = (
    [re_path(rf"^{_media_prefix}(?P<path>.*)$", views.media, name="media")]
    if not urlsplit(settings.MEDIA_URL).netloc
    else []
)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/two-factor/", admin.site.admin_view(staff_login.two_factor), name="two_factor"),
    path("admin/", admin.site.urls),
    *_own_media,
    path("", include("articles.syndication.api.urls")),
    path("", include("articles.syndication.urls")),
    path("", include(("articles.site.people", "people"))),
    path("", include("articles.urls")),
]

# Public pages answer a miss in the language of the page the reader was after.
handler404 = "articles.site.views.page_not_found"
