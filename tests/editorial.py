"""Helpers for the editorial-workflow tests: fresh articles, and moving them to a state.

States are reached through the workflow operations themselves (as a superuser), never by
writing `status`, so every test starts from a history the real code could have made.
"""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles import workflow
from articles.models import Article

_counter = itertools.count(1)

# The path from a draft to each state; "scheduled" is published with a future time.
PATHS: dict[str, list[str]] = {
    "draft": [],
    "in_review": ["submit"],
    "changes_requested": ["submit", "request_changes"],
    "approved": ["submit", "approve"],
    "published": ["submit", "approve", "publish"],
    "scheduled": ["submit", "approve", "schedule"],
    "unpublished": ["submit", "approve", "publish", "unpublish"],
    "archived": ["submit", "approve", "publish", "archive"],
}

# For each transition, the state the matrix starts it from.
START_STATE = {
    "submit": "draft",
    "request_changes": "in_review",
    "return_to_draft": "in_review",
    "approve": "in_review",
    "publish": "approved",
    "unpublish": "published",
    "archive": "published",
    "reopen": "unpublished",
    "reschedule": "scheduled",
    "publish_now": "scheduled",
}


def staff_user(username: str, group: str | None = None):
    """A staff member (logged in with force_login: no password, so no slow hashing)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"is_staff": True, "email": f"{username}@newsroom.example"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
    return user


def roleless_user():
    """A staff member with no role: may open the admin, may do nothing there."""
    return staff_user("norole")


def make_draft(owner, *, language="en", translation_of=None, **fields) -> Article:
    n = next(_counter)
    article = Article(
        language=language,
        title=fields.pop("title", f"Workflow test story {n}"),
        slug=fields.pop("slug", f"workflow-test-story-{n}"),
        standfirst=fields.pop("standfirst", "A story made for a test."),
        body=fields.pop("body", "<p>Words for a test.</p>"),
        owner=owner,
        translation_of=translation_of,
        **fields,
    )
    article.full_clean()
    article.save()
    return article


def later(**delta) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(**delta)


def bring_to(article: Article, state: str, *, by, at: datetime.datetime | None = None) -> Article:
    """Move a fresh draft to `state` through the workflow, acting as `by` (a superuser)."""
    for step in PATHS[state]:
        if step == "request_changes":
            workflow.request_changes(article, user=by, comment="Needs a second source.")
        elif step == "schedule":
            workflow.schedule(article, user=by, at=at or later(hours=6))
        else:
            workflow.take(article, transition=step, user=by)
    article.refresh_from_db()
    return article


def load_demo_newsroom() -> None:
    """For tests on a flushed database (transactional, live server); load_demo also puts
    back the role groups the flush removed."""
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
