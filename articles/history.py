"""An article's history, readable: compare two versions word by word; go back to one.

Comparison uses Python's difflib on words (not characters, not lines): editors change
words, and a body is a few long lines of HTML, so a line diff would mark whole paragraphs.
The body is also compared with its markup (`newsroom.htmldiff`), so a heading, a link, a
list or bold text that changed shows even where no word did. Which two versions a
reviewer sees first is `default_comparison`: since the last submission, or against what
went live.
Reverting restores the words and links of a version but never its workflow state: going
back to last week's text does not take a live article offline or publish a draft.
"""

import datetime
from dataclasses import dataclass

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version

from articles.models import (
    Article,
    ArticleEvent,
    Correction,
    Image,
    Storyline,
    StorylineEntry,
)
from articles.workflow import can_edit, restore_as_draft
from newsroom.htmldiff import html_diff
from newsroom.text import FieldChange, plain_text
from people.models import Company, DeletedLinks, Person, Position, Quote
from people.records import save_deletion_revision

# What a revert leaves as it is now: the workflow's state, who owns the article, its
# identity, and the concurrency counter (which only ever goes up).
KEPT_ON_REVERT = (
    "status",
    "published_at",
    "first_published_at",
    "owner_id",
    "translation_key",
    "created_at",
    "edit_version",
)

# Links a revert never removes: the people and companies accepted as mentions (accepting
# is a step of its own, `articles.mentions.accept_mentions`; going back to older words
# does not unlink who the story is about). The version's own mentions come back too.
KEPT_LINKS_ON_REVERT = ("people", "companies")

COMPARED_TEXT = [("title", "Title"), ("standfirst", "Standfirst"), ("body", "Body")]
COMPARED_LINKS = [
    ("people", "Mentioned people", Person),
    ("companies", "Mentioned companies", Company),
    ("quotes", "Quotes", Quote),
]


def article_versions(article: Article) -> QuerySet:
    """The article's versions, newest first, with who made them."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def _list_diff(old: list[str], new: list[str]) -> tuple[SafeString, SafeString]:
    removed, added = set(old) - set(new), set(new) - set(old)
    left = [f"<del>{escape(n)}</del>" if n in removed else escape(n) for n in old]
    right = [f"<ins>{escape(n)}</ins>" if n in added else escape(n) for n in new]
    return mark_safe("<br>".join(left) or "—"), mark_safe("<br>".join(right) or "—")


def compare_field_dicts(old: dict, new: dict) -> list[FieldChange]:
    """Compare two states of an article (reversion field dicts or the like).

    Three queries whatever the size: the names of the people, companies and quotes.
    """
    changes = []
    for name, label in COMPARED_TEXT:
        a = old.get(name) or ""
        b = new.get(name) or ""
        if name == "body":
            rich = html_diff(a, b)
            words = FieldChange.of_text(name, label, plain_text(a), plain_text(b))
            changes.append(
                FieldChange(
                    name,
                    label,
                    words.old,
                    words.new,
                    words.changed or rich.changed,
                    words.inline,
                    rich=rich.html,
                )
            )
            continue
        changes.append(FieldChange.of_text(name, label, a, b))
    for name, label, model in COMPARED_LINKS:
        a_ids, b_ids = list(old.get(name) or []), list(new.get(name) or [])
        related = model.objects.filter(pk__in={*a_ids, *b_ids})
        if model is Quote:
            related = related.select_related("speaker")  # a quote's name includes its speaker
        names = {obj.pk: str(obj) for obj in related}
        a_names = sorted(names.get(pk, f"(deleted #{pk})") for pk in a_ids)
        b_names = sorted(names.get(pk, f"(deleted #{pk})") for pk in b_ids)
        left, right = _list_diff(a_names, b_names)
        changes.append(FieldChange(name, label, left, right, set(a_ids) != set(b_ids)))
    return changes


def compare_versions(old: Version, new: Version) -> list[FieldChange]:
    """Side-by-side changes between two stored versions of one article."""
    if old.object_id != new.object_id or old.content_type_id != new.content_type_id:
        raise ValidationError("Both versions must be of the same article.")
    return compare_field_dicts(old.field_dict, new.field_dict)


# -- which two versions to compare --------------------------------------------------------

COMPARISONS = {
    "submitted": "Since last submitted",
    "live": "Against the live version",
    "previous": "Last two versions",
}
# Workflow steps that send words to the editors (see articles/workflow.py).
SUBMITTING = ("submit",)


@dataclass(frozen=True)
class Comparison:
    """Two versions to show side by side, and what they are, in words."""

    key: str  # a key of COMPARISONS
    old: Version
    new: Version
    description: str


def same_content(a: Version, b: Version) -> bool:
    """Whether two versions hold the same words and links (workflow steps make versions
    that change neither)."""
    if a.pk == b.pk:
        return True
    old, new = a.field_dict, b.field_dict
    if any((old.get(name) or "") != (new.get(name) or "") for name, _label in COMPARED_TEXT):
        return False
    return all(set(old.get(name) or []) == set(new.get(name) or []) for name, *_ in COMPARED_LINKS)


def version_at(versions: list[Version], moment: datetime.datetime) -> Version | None:
    """The version in effect at `moment` (versions newest first): the newest made then or
    before. A workflow step saves its version just before it records its event."""
    return next((v for v in versions if v.revision.date_created <= moment), None)


def _when(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _who(event: ArticleEvent) -> str:
    actor = event.actor
    return (actor.get_full_name() or actor.get_username()) if actor else "someone"


def live_comparison(article: Article, versions: list[Version]) -> Comparison | None:
    """The version that went live (at the last Publish) against the newest one."""
    if article.status != Article.Status.PUBLISHED:
        return None
    event = article.events.filter(transition="publish").select_related("actor").first()
    base = version_at(versions, event.created_at) if event else None
    if base is None:
        return None
    when = _when(event.created_at)
    done = "scheduled" if article.is_scheduled else "published"
    if same_content(base, versions[0]):
        text = f"Unchanged since it was {done} ({when}, by {_who(event)})."
    else:
        text = f"What changed since it was {done} ({when}, by {_who(event)})."
    return Comparison("live", base, versions[0], text)


def submitted_comparison(article: Article, versions: list[Version]) -> Comparison | None:
    """What changed since the words were last sent for review.

    Right after a submission nothing has changed since it, so a reviewer sees what
    changed since the submission before (what the writer did about the last review);
    on a first submission, everything since the article was started.
    """
    events = list(article.events.filter(transition__in=SUBMITTING).select_related("actor")[:2])
    if not events:
        return None
    newest = versions[0]
    last = version_at(versions, events[0].created_at)
    if last is not None and not same_content(last, newest):
        when = _when(events[0].created_at)
        text = f"What changed since it was last submitted ({when}, by {_who(events[0])})."
        return Comparison("submitted", last, newest, text)
    if len(events) > 1:
        before = version_at(versions, events[1].created_at)
        if before is not None:
            text = (
                f"What changed since the submission before the last "
                f"({_when(events[1].created_at)}, by {_who(events[1])}): the writer's answer "
                "to the last review."
            )
            return Comparison("submitted", before, newest, text)
    first = versions[-1]
    text = "First submission: everything written since the article was started."
    return Comparison("submitted", first, newest, text)


def previous_comparison(article: Article, versions: list[Version]) -> Comparison:
    old = versions[1] if len(versions) > 1 else versions[0]
    return Comparison("previous", old, versions[0], "The two most recent versions.")


def comparison(article: Article, versions: list[Version], key: str = "") -> Comparison:
    """The comparison `key` names, or the one a reviewer wants first: against the live
    version for a published article, else since the last submission, else the last two
    versions. `versions` newest first, not empty."""
    makers = {
        "live": live_comparison,
        "submitted": submitted_comparison,
        "previous": previous_comparison,
    }
    order = [key] if key in makers else ["live", "submitted"]
    for name in [*order, "previous"]:
        found = makers[name](article, versions)
        if found is not None:
            return found
    raise AssertionError("previous_comparison always answers")


def current_field_dict(article: Article) -> dict:
    """The article as it is now, in the shape of a version's field dict."""
    data = {name: getattr(article, name) for name, _label in COMPARED_TEXT}
    for name, _label, _model in COMPARED_LINKS:
        data[name] = list(getattr(article, name).values_list("pk", flat=True))
    return data


def reverted_field_dict(article: Article, version: Version) -> dict:
    """What reverting `article` to `version` would make of it (for the revert page)."""
    data = dict(version.field_dict)
    for name in KEPT_LINKS_ON_REVERT:
        now = getattr(article, name).values_list("pk", flat=True)
        data[name] = list(dict.fromkeys([*(data.get(name) or []), *now]))
    return data


def _restore_objects(
    version: Version, *, overrides: dict, keep_links: dict | None = None
) -> Article:
    """Write `version` of an article (and its story-thread entries in the same revision)
    back to the database, with `overrides` applied. Links to things deleted since are
    dropped, as deleting them would have done."""
    article_id = int(version.object_id)
    deserialized = version._object_version
    article = deserialized.object
    # A deserialised object looks new to validation; it is new only when recovering.
    article._state.adding = not Article.objects.filter(pk=article_id).exists()
    for field, value in overrides.items():
        setattr(article, field, value)
    for field, model in [("lead_image_id", Image), ("translation_of_id", Article)]:
        pk = getattr(article, field)
        if pk is not None and not model.objects.filter(pk=pk).exists():
            setattr(article, field, None)
    if article.owner_id and not get_user_model().objects.filter(pk=article.owner_id).exists():
        article.owner_id = None
    article.full_clean(exclude=["translation_of"])
    for accessor, ids in (keep_links or {}).items():
        deserialized.m2m_data[accessor] = [*deserialized.m2m_data.get(accessor, []), *ids]
    for accessor, ids in list(deserialized.m2m_data.items()):
        related = Article._meta.get_field(accessor).related_model
        deserialized.m2m_data[accessor] = list(
            related.objects.filter(pk__in=ids).values_list("pk", flat=True)
        )
    deserialized.save()

    entry_type = ContentType.objects.get_for_model(StorylineEntry)
    old_entries = [
        v._object_version
        for v in version.revision.version_set.filter(content_type=entry_type)
        if v.field_dict["article_id"] == article_id
    ]
    keep = {e.object.pk for e in old_entries}
    StorylineEntry.objects.filter(article_id=article_id).exclude(pk__in=keep).delete()
    live_threads = set(
        Storyline.objects.filter(pk__in={e.object.storyline_id for e in old_entries}).values_list(
            "pk", flat=True
        )
    )
    for entry in old_entries:
        if entry.object.storyline_id in live_threads:
            entry.save()
    return Article.objects.get(pk=article_id)


def revert_to_version(
    article: Article, *, version: Version, user: AbstractBaseUser, comment: str = ""
) -> Article:
    """Bring back the words and links of `version`. The revert is itself a new version;
    the article keeps its workflow state and owner."""
    if int(version.object_id) != article.pk or version._model is not Article:
        raise ValidationError("That version belongs to another article.")
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if not can_edit(user, locked):
            raise PermissionDenied("You do not have permission to change this article.")
        overrides = {field: getattr(locked, field) for field in KEPT_ON_REVERT}
        overrides["edit_version"] = locked.edit_version + 1
        when = f"{version.revision.date_created:%Y-%m-%d %H:%M %Z}"
        label = f"Reverted to the version of {when}" + (f": {comment}" if comment else "")
        keep_links = {
            name: list(getattr(locked, name).values_list("pk", flat=True))
            for name in KEPT_LINKS_ON_REVERT
        }
        with reversion.create_revision():
            restored = _restore_objects(version, overrides=overrides, keep_links=keep_links)
            reversion.add_to_revision(restored)
            reversion.set_user(user)
            reversion.set_comment(label)
        ArticleEvent.objects.create(
            article=restored,
            actor=user,
            transition="revert",
            from_status=restored.status,
            to_status=restored.status,
            comment=label,
        )
    return restored


def deleted_articles() -> QuerySet:
    """Versions of deleted articles, the latest per article, newest first."""
    return Version.objects.get_deleted(Article).select_related("revision__user")


def delete_article(article: Article, *, user: AbstractBaseUser, comment: str = "") -> None:
    """Delete an article so that it can be recovered whole.

    One revision keeps the article (with its thread entries, as every revision does), its
    timeline and corrections (not versioned on their own), and the links other rows held
    to it: the translations made from it, the roles it sources, the articles that list it
    as related. Its translations stay versions of the same story (the language switcher
    still joins them); only their source link is cleared, and recovery restores it.
    """
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if not user.has_perm("articles.delete_article", locked):
            raise PermissionDenied("Only editors can delete articles.")
        key = str(locked.pk)
        links = {
            "translations": {key: list(locked.translations.values_list("pk", flat=True))},
            "position_sources": {key: list(locked.positions.values_list("pk", flat=True))},
            "related_from": {key: list(locked.related_from.values_list("pk", flat=True))},
        }
        rows = serializers.serialize("json", [*locked.events.all(), *locked.corrections.all()])
        # The revision is written now, not at the end of the request's revision block,
        # which would find the article gone (see people.records.save_deletion_revision).
        save_deletion_revision(
            [locked, *locked.storyline_entries.all()],
            user=user,
            comment="Deleted" + (f": {comment}" if comment else ""),
            links=links,
            rows=rows,
        )
        locked.delete()


def _restore_links(article: Article, version: Version) -> None:
    """Put back what the deletion's revision says pointed at the article, where those
    rows still exist, and its timeline and corrections."""
    record = DeletedLinks.objects.filter(revision_id=version.revision_id).first()
    if record is None:  # deleted before deletions kept their links
        return
    key = article.pk
    Article.objects.filter(
        pk__in=record.of("translations", key),
        translation_of__isnull=True,
        translation_key=article.translation_key,
    ).exclude(language=article.language).update(translation_of=article)
    article.positions.add(*Position.objects.filter(pk__in=record.of("position_sources", key)))
    article.related_from.add(*Article.objects.filter(pk__in=record.of("related_from", key)))
    users = get_user_model().objects
    for row in serializers.deserialize("json", record.rows or "[]"):
        obj = row.object
        if not isinstance(obj, ArticleEvent | Correction) or obj.article_id != article.pk:
            continue
        for field in ("actor_id", "corrected_by_id"):
            pk = getattr(obj, field, None)
            if pk is not None and not users.filter(pk=pk).exists():
                setattr(obj, field, None)
        row.save()


def recover_article(version: Version, *, user: AbstractBaseUser) -> Article:
    """Bring a deleted article back, as a draft (it goes through review again)."""
    if version._model is not Article:
        raise ValidationError("That version is not of an article.")
    if not (user.has_perm("articles.add_article") and user.has_perm("articles.edit_any_article")):
        raise PermissionDenied("Only editors can recover deleted articles.")
    with transaction.atomic():
        if Article.objects.filter(pk=version.object_id).exists():
            raise ValidationError("This article is not deleted: open it to revert instead.")
        with reversion.create_revision():
            previous = version.field_dict["status"]
            article = _restore_objects(version, overrides=restore_as_draft(version.field_dict))
            _restore_links(article, version)
            reversion.add_to_revision(article)
            reversion.set_user(user)
            reversion.set_comment(f"Recovered after deletion (it was {previous}); now a draft")
        ArticleEvent.objects.create(
            article=article,
            actor=user,
            transition="recover",
            from_status=previous,
            to_status=article.status,
            comment="Recovered after deletion",
        )
    return article
