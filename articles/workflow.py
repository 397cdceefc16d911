"""The editorial workflow: the only code that changes an article's status.

Every operation checks the acting user's permission, moves the article along one edge
of ALLOWED_TRANSITIONS, records an ArticleEvent and makes one reversion revision whose
comment names the transition.
"""

import datetime

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles import notifications
from articles.models import Article, ArticleEvent

# Who may edit what lives with the other object-level rules (articles/rules.py); the
# names stay importable from here for the code that asks the workflow.
from articles.rules import OWNER_EDITABLE, can_edit, is_editor, is_responsible  # noqa: F401

Status = Article.Status

# transition name -> (states it may start from, state it ends in)
ALLOWED_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}), Status.IN_REVIEW),
    "request_changes": (frozenset({Status.IN_REVIEW, Status.APPROVED}), Status.CHANGES_REQUESTED),
    "return_to_draft": (frozenset({Status.CHANGES_REQUESTED, Status.IN_REVIEW}), Status.DRAFT),
    "approve": (frozenset({Status.IN_REVIEW}), Status.APPROVED),
    "publish": (frozenset({Status.APPROVED}), Status.PUBLISHED),
    "unpublish": (frozenset({Status.PUBLISHED}), Status.UNPUBLISHED),
    "archive": (frozenset({Status.PUBLISHED, Status.UNPUBLISHED}), Status.ARCHIVED),
    "reopen": (frozenset({Status.UNPUBLISHED, Status.ARCHIVED}), Status.DRAFT),
    # Moving a scheduled article's time; only while it is not yet live (see may_take).
    "reschedule": (frozenset({Status.PUBLISHED}), Status.PUBLISHED),
    # A scheduled article goes live at once instead of at its time.
    "publish_now": (frozenset({Status.PUBLISHED}), Status.PUBLISHED),
}

TRANSITION_LABELS = {
    "submit": "Submit for review",
    "request_changes": "Request changes",
    "return_to_draft": "Back to draft",
    "approve": "Approve",
    "publish": "Publish",
    "unpublish": "Unpublish",
    "archive": "Archive",
    "reopen": "Reopen as draft",
    "reschedule": "Reschedule",
    "publish_now": "Publish now",
}

# What the admin's workflow panel has to ask for before it can call the operation.
NEEDS_COMMENT = frozenset({"request_changes"})
NEEDS_TIME = frozenset({"reschedule"})
TAKES_TIME = frozenset({"publish", "reschedule"})
# Steps that set the publish time (to the time given, or now).
SETS_TIME = TAKES_TIME | {"publish_now"}
# Steps open only while the article is scheduled (published, its time still ahead).
ONLY_SCHEDULED = frozenset({"reschedule", "publish_now"})


def may_take(user: AbstractBaseUser, article: Article, transition: str) -> bool:
    """Whether `user` may move `article` along `transition` from where it is now."""
    sources, _target = ALLOWED_TRANSITIONS[transition]
    if article.status not in sources or not user.is_active:
        return False
    if transition == "submit":
        return can_edit(user, article)
    if transition == "return_to_draft":
        # The owner may pull their own article back out of review.
        return is_responsible(user, article) or user.has_perm("articles.review_article")
    if transition in {"request_changes", "approve"}:
        return user.has_perm("articles.review_article")
    if transition in ONLY_SCHEDULED and not article.is_scheduled:
        return False
    return user.has_perm("articles.publish_article")


def available_transitions(user: AbstractBaseUser, article: Article) -> list[str]:
    """The steps `user` may take on `article` now, as buttons."""
    return [name for name in ALLOWED_TRANSITIONS if may_take(user, article, name)]


def _transition(
    article: Article,
    *,
    name: str,
    user: AbstractBaseUser,
    comment: str,
    publish_at: datetime.datetime | None = None,
) -> Article:
    sources, target = ALLOWED_TRANSITIONS[name]
    label = TRANSITION_LABELS[name]
    comment = (comment or "").strip()
    with transaction.atomic():
        # Re-read under a row lock so two editors pressing buttons at once cannot both win.
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.status not in sources:
            raise ValidationError(
                f"“{label}” is not possible: the article is {locked.get_status_display().lower()}."
            )
        if name in ONLY_SCHEDULED and not locked.is_scheduled:
            raise ValidationError(f"“{label}” is not possible: the article is already live.")
        if not may_take(user, locked, name):
            raise PermissionDenied(f"You do not have permission to {label.lower()} this article.")
        previous = locked.status
        locked.status = target
        fields = ["status", "updated_at"]
        if name in SETS_TIME:
            locked.published_at = publish_at or timezone.now()
            fields.append("published_at")
            # Only a time that has passed counts as having been live.
            first = locked.first_published_at
            if first is None or first > timezone.now():
                locked.first_published_at = locked.published_at
                fields.append("first_published_at")
        locked.full_clean(exclude=["slug", "translation_of"], validate_unique=False)
        with reversion.create_revision():
            locked.save(update_fields=fields)
            reversion.set_user(user)
            when = f" for {publish_at:%Y-%m-%d %H:%M %Z}" if publish_at else ""
            reversion.set_comment(f"{label}{when}" + (f": {comment}" if comment else ""))
        event = ArticleEvent.objects.create(
            article=locked,
            actor=user,
            transition=name,
            from_status=previous,
            to_status=target,
            comment=comment,
            publish_at=locked.published_at if name in SETS_TIME else None,
        )
        notifications.notify(event)
    for field in fields:
        setattr(article, field, getattr(locked, field))
    return article


def submit_for_review(article: Article, *, user: AbstractBaseUser, comment: str = "") -> Article:
    """Send a draft (or a draft with requested changes) to the editors."""
    return _transition(article, name="submit", user=user, comment=comment)


def request_changes(article: Article, *, user: AbstractBaseUser, comment: str) -> Article:
    """Send an article back to its writer; the comment says what to change."""
    if not (comment or "").strip():
        raise ValidationError("Say what should change: requesting changes needs a comment.")
    return _transition(article, name="request_changes", user=user, comment=comment.strip())


def return_to_draft(article: Article, *, user: AbstractBaseUser, comment: str = "") -> Article:
    """Take an article out of review and back into drafting."""
    return _transition(article, name="return_to_draft", user=user, comment=comment)


def approve(article: Article, *, user: AbstractBaseUser, comment: str = "") -> Article:
    """Mark a reviewed article ready to publish."""
    return _transition(article, name="approve", user=user, comment=comment)


def publish(
    article: Article,
    *,
    user: AbstractBaseUser,
    at: datetime.datetime | None = None,
    comment: str = "",
) -> Article:
    """Publish an approved article now, or schedule it for `at` (an embargo).

    A scheduled article is published with a future time; the visibility rule makes it
    appear when that time comes, with nobody pressing anything.
    """
    if at is not None and timezone.is_naive(at):
        raise ValidationError("Give the publish time with a time zone.")
    return _transition(article, name="publish", user=user, comment=comment, publish_at=at)


def schedule(
    article: Article, *, user: AbstractBaseUser, at: datetime.datetime, comment: str = ""
) -> Article:
    """Publish an approved article at a future time."""
    if at is None or at <= timezone.now():
        raise ValidationError("A scheduled time must be in the future.")
    return publish(article, user=user, at=at, comment=comment)


def reschedule(
    article: Article, *, user: AbstractBaseUser, at: datetime.datetime, comment: str = ""
) -> Article:
    """Move a scheduled (not yet live) article to another future time."""
    if at is None or timezone.is_naive(at):
        raise ValidationError("Give the new publish time with a time zone.")
    if at <= timezone.now():
        raise ValidationError("A scheduled time must be in the future; use Unpublish to stop it.")
    return _transition(article, name="reschedule", user=user, comment=comment, publish_at=at)


def publish_now(article: Article, *, user: AbstractBaseUser, comment: str = "") -> Article:
    """Put a scheduled article live at once (its publish time becomes now)."""
    return _transition(article, name="publish_now", user=user, comment=comment)


def unpublish(article: Article, *, user: AbstractBaseUser, comment: str = "") -> Article:
    """Take a published (or scheduled) article off the public site."""
    return _transition(article, name="unpublish", user=user, comment=comment)


def archive(article: Article, *, user: AbstractBaseUser, comment: str = "") -> Article:
    return _transition(article, name="archive", user=user, comment=comment)


def reopen(article: Article, *, user: AbstractBaseUser, comment: str = "") -> Article:
    """Bring an unpublished or archived article back to a draft for rework."""
    return _transition(article, name="reopen", user=user, comment=comment)


def restore_as_draft(stored: dict) -> dict:
    """The workflow fields a recovered (once deleted) article comes back with: a draft,
    so it goes through review again before readers see it."""
    return {"status": Status.DRAFT, "edit_version": (stored.get("edit_version") or 0) + 1}


OPERATIONS = {
    "submit": submit_for_review,
    "request_changes": request_changes,
    "return_to_draft": return_to_draft,
    "approve": approve,
    "publish": publish,
    "unpublish": unpublish,
    "archive": archive,
    "reopen": reopen,
    "reschedule": reschedule,
    "publish_now": publish_now,
}


def take(
    article: Article,
    *,
    transition: str,
    user: AbstractBaseUser,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> Article:
    """Run the operation for `transition` by name (what the admin's buttons call)."""
    if transition not in OPERATIONS:
        raise ValidationError(f"“{transition}” is not a workflow step.")
    if transition in NEEDS_TIME and at is None:
        raise ValidationError(f"{TRANSITION_LABELS[transition]} needs a date and time.")
    kwargs = {"user": user, "comment": comment}
    if transition in TAKES_TIME:
        kwargs["at"] = at
    return OPERATIONS[transition](article, **kwargs)
