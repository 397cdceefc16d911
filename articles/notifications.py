"""Notifications: who hears about a workflow step, in the desk's inbox and by e-mail.

The workflow's operations (articles/workflow.py) call `notify(event)` once per step they
take, inside their transaction. A submission goes to the editors; changes requested, an
approval, a publication or a schedule go to the article's owner (its writer or
translator). Nobody is told about what they did themselves. E-mail goes out through
Django's mail framework from a background job queued when the step commits (never in
the editor's request), to those who have an address; a mail server that fails is logged,
never undoes the step, and the job tries again later (each e-mail is sent once).
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleEvent, Notification
from newsroom.jobs import enqueue_on_commit
from newsroom.languages import language_name
from newsroom.site import absolute_url

logger = logging.getLogger(__name__)

Verb = Notification.Verb
# How many notifications the inbox shows, and how far the unread count counts ("99+").
INBOX_SIZE = 15
UNREAD_CAP = 99

TO_EDITORS = frozenset({Verb.SUBMITTED})
TO_OWNER = frozenset({Verb.CHANGES_REQUESTED, Verb.APPROVED, Verb.PUBLISHED, Verb.SCHEDULED})

SUBJECTS = {
    Verb.SUBMITTED: "For review",
    Verb.CHANGES_REQUESTED: "Changes requested",
    Verb.APPROVED: "Approved",
    Verb.PUBLISHED: "Published",
    Verb.SCHEDULED: "Scheduled",
}


def verb_for(event: ArticleEvent) -> str | None:
    """What a workflow step is, for the people told about it (None: nobody is told)."""
    transition = event.transition
    if transition in ("submit", "propose_change"):  # a draft, or a change to a live one
        return Verb.SUBMITTED
    if transition == "request_changes":
        return Verb.CHANGES_REQUESTED
    if transition == "approve":
        return Verb.APPROVED
    if transition == "publish":
        later = event.publish_at is not None and event.publish_at > timezone.now()
        return Verb.SCHEDULED if later else Verb.PUBLISHED
    if transition == "reschedule":
        return Verb.SCHEDULED
    if transition == "publish_change":  # an editor published the owner's proposed change
        return Verb.PUBLISHED
    return None


def editors() -> QuerySet:
    """Active staff who review: the review permission through their role or their own.

    Superusers are not included by that alone: being able to do everything is not the
    same as wanting to hear about every submission (give them the Editor role for that).
    """
    permission = Permission.objects.filter(
        content_type__app_label="articles", codename="review_article"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(user_permissions__in=permission) | Q(groups__permissions__in=permission))
        .distinct()
    )


def recipients(verb: str, article: Article, *, actor: AbstractBaseUser | None) -> list:
    """Who hears about `verb` on `article`, each once, never the person who did it."""
    if verb in TO_EDITORS:
        people = list(editors())
    elif verb in TO_OWNER and article.owner_id is not None:
        owner = get_user_model().objects.filter(pk=article.owner_id, is_active=True).first()
        people = [owner] if owner else []
    else:
        people = []
    actor_id = actor.pk if actor is not None else None
    unique = {person.pk: person for person in people if person.pk != actor_id}
    return list(unique.values())


def notify(event: ArticleEvent) -> list[Notification]:
    """Tell the right people about one workflow step: an inbox entry each, and an e-mail
    once the step is committed. Called by the workflow's operations, in their
    transaction, so a step that fails tells nobody."""
    verb = verb_for(event)
    if verb is None:
        return []
    article = event.article
    people = recipients(verb, article, actor=event.actor)
    if not people:
        return []
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            article=article,
            verb=verb,
            actor=event.actor,
            comment=event.comment,
            created=event.created_at,
        )
        for person in people
    )
    to_email = [n.pk for n in notifications if n.recipient.email]
    if to_email:
        from articles import jobs

        enqueue_on_commit(jobs.send_notification_emails, to_email)
    return notifications


def describe(notification: Notification) -> str:
    """One line: who did what to which article."""
    actor = notification.actor
    who = (actor.get_full_name() or actor.get_username()) if actor else "Someone"
    article = notification.article
    what = f"{who} {notification.get_verb_display()} “{article.title}”"
    if notification.verb == Verb.SCHEDULED and article.published_at:
        what += f" for {timezone.localtime(article.published_at):%Y-%m-%d %H:%M %Z}"
    return what


def message(notification: Notification) -> tuple[str, str, str | None, list[str]]:
    """The e-mail for one notification: subject, body, sender (the default), recipients."""
    article = notification.article
    link = absolute_url(reverse("admin:articles_article_change", args=[article.pk]))
    lines = [f"{describe(notification)} ({language_name(article.language)})."]
    if notification.comment:
        lines += ["", "Comment:", *[f"  {line}" for line in notification.comment.splitlines()]]
    why = (
        "you review articles"
        if notification.verb in TO_EDITORS
        else "the article is yours (you are its writer or translator)"
    )
    lines += ["", f"Open it on the desk: {link}", "", f"You receive this because {why}."]
    subject = f"[{settings.SITE_NAME}] {SUBJECTS[notification.verb]}: {article.title}"
    return (subject[:200], "\n".join(lines), None, [notification.recipient.email])


def send_emails(notification_ids: list[int]) -> int:
    """Send the e-mail of each of these notifications not sent yet, marking each sent as
    it goes; returns how many went. Raises when the mail server fails (the job retries:
    the ones already sent are not sent again)."""
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("article", "actor", "recipient")
        .order_by("pk")
    )
    pending = [n for n in pending if n.recipient.email]
    sent = 0
    try:
        with get_connection() as connection:
            for notification in pending:
                subject, body, sender, to = message(notification)
                EmailMessage(subject, body, sender, to, connection=connection).send()
                Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
                sent += 1
    except Exception:
        logger.exception("Could not send %d notification e-mail(s)", len(pending) - sent)
        raise
    return sent


# -- the inbox ---------------------------------------------------------------------------


def inbox(user: AbstractBaseUser, *, limit: int = INBOX_SIZE) -> list[Notification]:
    """The newest notifications of `user` (one query, off the inbox index)."""
    return list(Notification.objects.inbox(user)[:limit])


def unread_count(user: AbstractBaseUser) -> int:
    """How many unread notifications `user` has, counted up to UNREAD_CAP + 1 only, from
    the partial index of unread rows: the same cost however many there are."""
    if not getattr(user, "is_authenticated", False):
        return 0
    unread = Notification.objects.filter(recipient=user).unread().order_by()  # no sort: count
    return unread[: UNREAD_CAP + 1].count()


def mark_read(user: AbstractBaseUser, *, notification: int | None = None, article=None) -> int:
    """Mark `user`'s unread notifications read: one, those about one article, or all."""
    unread = Notification.objects.filter(recipient=user).unread()
    if notification is not None:
        unread = unread.filter(pk=notification)
    if article is not None:
        unread = unread.filter(article=article)
    return unread.update(read_at=timezone.now())
