"""What the article admin's mixins share: finding the article a view acts on, readonly
panels drawn for the person looking, and how users and refusals read on screen.

`ArticleAdminBase` sits under the desk, translation and mention mixins of ArticleAdmin
(`articles/admin.py`), so each of their views finds its article by the same rule.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse

from articles.models import Article


def user_display_name(user) -> str:
    """How a staff user is named on screen: their full name, else their username."""
    if user is None:
        return "nobody"
    return user.get_full_name() or user.get_username()


def parse_id(value) -> int | None:
    """A row number as a form or query string sends it, or None for anything else.

    ASCII digits only (str.isdigit also takes "²", which int() refuses) and no longer
    than a 64-bit column holds (SQLite raises OverflowError on bigger numbers).
    """
    value = str(value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def refusal_message(error: ValidationError | PermissionDenied) -> str:
    """What an operation's refusal says to the person who asked for it."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You do not have permission to do that."


def viewer_display(*, description: str):
    """`admin.display` for a readonly panel that depends on who is looking.

    The decorated method takes `(request, obj)`; ArticleAdminBase hands Django a callable
    of `obj` alone, bound to the request (see ViewerField).
    """

    def decorate(method):
        method = admin.display(description=description)(method)
        method.needs_viewer = True
        return method

    return decorate


@dataclass(frozen=True)
class ViewerField:
    """A readonly field bound to one request: Django calls readonly fields with the object
    only, and the panels show each person the buttons they may press.

    Equal for the same panel and request, because Django looks the fieldsets' entries up
    in `get_readonly_fields()` by equality, and builds each list more than once.
    """

    panel: Callable  # the admin's bound method (request, obj) -> str
    request: HttpRequest

    def __call__(self, obj):
        return self.panel(self.request, obj)

    @property
    def __name__(self) -> str:
        # The change form's CSS class (field-<name>) and the label lookup use it.
        return self.panel.__name__

    @property
    def short_description(self) -> str:
        return self.panel.short_description


class ArticleAdminBase:
    """Mixed in under ArticleAdmin's mixins (before VersionAdmin)."""

    def get_article(self, request, object_id) -> Article:
        """The article a custom admin view acts on.

        None by that number (or not in this user's queryset): 404, as for any missing
        object. There, but the user may neither view nor change it: PermissionDenied
        (403), as Django's own change view answers.
        """
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No article with that number; it may have been deleted.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def change_url(self, article) -> str:
        return reverse("admin:articles_article_change", args=[article.pk])

    # Readonly panels drawn for the viewer (see viewer_display) ----------------------

    def _bind_viewer_fields(self, request, fields):
        return [
            ViewerField(getattr(self, name), request)
            if isinstance(name, str) and getattr(getattr(self, name, None), "needs_viewer", False)
            else name
            for name in fields
        ]

    def get_readonly_fields(self, request, obj=None):
        return self._bind_viewer_fields(request, super().get_readonly_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**options, "fields": self._bind_viewer_fields(request, options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]
