"""Mentions inside ArticleAdmin: the people and companies an article's text names,
suggested on the change page and on a page of their own, accepted with one click.

Finding names is `people/linking.py`; accepting them is `articles/mentions.py`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.desk.admin_base import ArticleAdminBase, refusal_message, viewer_display
from articles.mentions import accept_mentions
from articles.workflow import can_edit
from newsroom.redirects import safe_next
from people import linking
from people.models import Person


class MentionLinkingAdminMixin(ArticleAdminBase):
    """Suggested mentions with one-click accept, for ArticleAdmin."""

    def get_urls(self):
        app, model = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/mentions/",
                self.admin_site.admin_view(self.mentions_view),
                name=f"{app}_{model}_mentions",
            ),
        ] + super().get_urls()

    @viewer_display(description="suggested mentions")
    def mention_suggestions(self, request, obj):
        """Names in the text not linked yet (with accept buttons for those who may edit),
        and links the text does not support."""
        if not obj or not obj.pk:
            return "Save the article first; then the people and companies it names are suggested."
        review = linking.review_mentions(obj)
        context = {
            "review": review,
            "confident": sum(1 for s in review.pending if s.confident),
            "may_accept": can_edit(request.user, obj),
            "url": reverse("admin:articles_article_mentions", args=[obj.pk]),
            "read_limit": f"{linking.read_limit():,}".replace(",", " "),
        }
        return render_to_string("admin/articles/article/_mention_suggestions.html", context)

    def mentions_view(self, request, object_id):
        """GET: the suggestions on a page of their own; POST: accept some or all of them."""
        article = self.get_article(request, object_id)
        if request.method == "POST":
            return self._accept(request, article)
        suggestions = linking.pending_suggestions(article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Suggested mentions in “{article.title}”",
            "article": article,
            "confident": [s for s in suggestions if s.confident],
            "ambiguous": [s for s in suggestions if not s.confident],
            "may_accept": can_edit(request.user, article),
            "change_url": self.change_url(article),
        }
        return TemplateResponse(request, "admin/articles/article/mentions.html", context)

    # The change form's buttons (saved first: see admin_base) ---------------------------

    def form_actions(self):
        return {
            **super().form_actions(),
            "_accept_mention": self.accept_mention_action,
            "_accept_all_mentions": self.accept_mention_action,
        }

    def accept_mention_action(self, request, article):
        """After the save: accept what the button names, as found in the text just saved."""
        try:
            self._link(
                request,
                article,
                keys=request.POST.getlist("_accept_mention"),
                accept_all=bool(request.POST.get("_accept_all_mentions")),
            )
        except LookupError as error:
            raise ValidationError(str(error)) from None
        return HttpResponseRedirect(self.change_url(article))

    def _accept(self, request, article):
        # Back where the button was (the mentions page sends `next`), else the change
        # page; never off this site.
        target = safe_next(request, self.change_url(article))
        try:
            self._link(
                request,
                article,
                keys=request.POST.getlist("accept"),
                accept_all=bool(request.POST.get("accept_all")),
            )
        except LookupError as error:
            return HttpResponseBadRequest(str(error).encode())
        except PermissionDenied as error:
            raise PermissionDenied(refusal_message(error)) from None
        return HttpResponseRedirect(target)

    def _link(self, request, article, *, keys: list[str], accept_all: bool) -> None:
        """Accept the suggestions named by `keys` (person:ID / company:ID), or every
        confident one; a message says what was linked."""
        linker = linking.Linker.current()
        if accept_all:
            pending = linking.pending_suggestions(article, linker=linker)
            people, companies = linking.confident_mentions(pending)
        else:
            people, companies = [], []
            for value in keys:
                entity = linker.find(value)
                if entity is None:
                    raise LookupError(
                        f"“{value}” names no person or company (expected person:ID or "
                        "company:ID). Nothing was linked."
                    )
                (people if isinstance(entity, Person) else companies).append(entity)
        if not people and not companies:
            messages.warning(request, "Nothing to link.")
            return
        accept_mentions(article, user=request.user, people=people, companies=companies)
        names = ", ".join(e.name for e in [*people, *companies])
        messages.success(request, f"Linked {names}.")
