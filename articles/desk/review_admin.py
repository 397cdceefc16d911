"""Review inside ArticleAdmin: notifications marked read, and the banner on the change
form (what an editor asked to change). A writer's or translator's edit of a live article
is staged for an editor (articles/staging.py, desk/staging_admin.py).

The inbox and the header's unread count are template tags (articles/templatetags/desk.py)
over `articles/notifications.py`; the compare page is in workflow_admin.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from articles import notifications
from articles.desk.admin_base import ArticleAdminBase, user_display_name
from articles.models import Article


def review_banner(user, article: Article) -> dict | None:
    """What the top of the change form must tell `user` about review, if anything."""
    if article.status == Article.Status.CHANGES_REQUESTED:
        event = article.events.filter(transition="request_changes").select_related("actor").first()
        if event is not None:
            return {
                "kind": "changes_requested",
                "by": user_display_name(event.actor) if event.actor else "An editor",
                "when": event.created_at,
                "comment": event.comment,
            }
    return None


class ReviewAdminMixin(ArticleAdminBase):
    """Mixed into ArticleAdmin (before VersionAdmin)."""

    def get_urls(self):
        return [
            path(
                "notifications/read/",
                self.admin_site.admin_view(self.mark_notifications_read_view),
                name="articles_notifications_read",
            ),
        ] + super().get_urls()

    def mark_notifications_read_view(self, request):
        """POST: mark one notification (`notification`) or all of them (`all`) read."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        chosen = request.POST.get("notification", "")
        if chosen.isdigit():
            if not request.user.notifications.filter(pk=int(chosen)).exists():
                raise Http404("No such notification of yours.")
            notifications.mark_read(request.user, notification=int(chosen))
        elif request.POST.get("all"):
            count = notifications.mark_read(request.user)
            messages.success(request, f"Marked {count} notification{'s' * (count != 1)} read.")
        else:
            messages.error(request, "Say which notification to mark read.")
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:index")
        return HttpResponseRedirect(target)

    # Reading ---------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200 and str(object_id).isdigit():
            # Opening the article is reading what the notifications about it said.
            notifications.mark_read(request.user, article=int(object_id))
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["review_banner"] = review_banner(request.user, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
