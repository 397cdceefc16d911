"""What the article admin's mixins share: finding the article a view acts on, readonly
panels drawn for the person looking, buttons that save what was typed before they act,
and how users and refusals read on screen.

`ArticleAdminBase` sits under the desk, translation and mention mixins of ArticleAdmin
(`articles/admin.py`), so each of their views finds its article by the same rule.

Save first, then act. The change page is one form; the buttons of its panels (workflow
steps, accepting mentions, starting or syncing translations, preview links) are submit
buttons of that form, each with a name of its own (`form_actions()`). Pressing one posts
everything typed to the change view, which saves it exactly as "Save" does (validation,
the edit-conflict check of newsroom/concurrency.py, one revision), and only then takes
the step. If the save is refused, nothing is saved, the step is not taken and the form
comes back with the errors and every typed word. Where this person may only read the
article there is nothing to save, and the step is taken alone.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
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

    # Save first, then act (see the module docstring) ---------------------------------

    def form_actions(self) -> dict[str, Callable]:
        """The change form's action buttons: the name a button posts -> a method
        `(request, article) -> HttpResponse` that takes the step once the form is saved.
        Each mixin adds its own (and calls super)."""
        return {}

    def form_action_errors(self, request, article, action: str) -> list[str]:
        """Why `action` cannot be taken, checked before anything is saved (the step's
        own input, and whether it is open to this person); the operation still has the
        last word after the save. Each mixin answers for its own actions."""
        return []

    def requested_action(self, request) -> str | None:
        if request.method != "POST":
            return None
        return next((name for name in self.form_actions() if name in request.POST), None)

    def take_action(self, request, article, action: str) -> HttpResponse:
        """Run `action`; a refusal becomes a message on the change page (never a rollback
        of the save that came before it)."""
        try:
            return self.form_actions()[action](request, article)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_message(error))
            return HttpResponseRedirect(self.change_url(article))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        action = self.requested_action(request)
        if action is not None:
            article = self.get_article(request, object_id)
            if not self.has_change_permission(request, article):
                # A read-only page: nothing typed to save.
                errors = self.form_action_errors(request, article, action)
                if errors:
                    for error in errors:
                        messages.error(request, error)
                    return HttpResponseRedirect(self.change_url(article))
                return self.take_action(request, article, action)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        action = self.requested_action(request) if obj is not None else None
        if action is None:
            return form_class
        admin = self

        class SaveThenActForm(form_class):
            def clean(self):
                cleaned = super().clean()
                for error in admin.form_action_errors(request, obj, action):
                    self.add_error(None, error)
                return cleaned

        SaveThenActForm.__name__ = form_class.__name__
        return SaveThenActForm

    def save_model(self, request, obj, form, change):
        request.saved_changes = bool(form.changed_data)
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        action = self.requested_action(request)
        if action is None:
            return super().response_change(request, obj)
        if getattr(request, "saved_changes", False):
            messages.success(request, "Your changes are saved.")
        return self.take_action(request, obj, action)

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
