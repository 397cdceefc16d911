"""An article's history, readable: compare two versions word by word; go back to one.

Comparison uses Python's difflib on words (not characters, not lines): editors change
words, and a body is a few long lines of HTML, so a line diff would mark whole paragraphs.
Reverting restores the words and links of a version but never its workflow state: going
back to last week's text does not take a live article offline or publish a draft.
"""

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version

from articles.models import Article, ArticleEvent, Image, Storyline, StorylineEntry
from articles.workflow import can_edit, restore_as_draft
from newsroom.text import FieldChange, plain_text
from people.models import Company, Person, Quote

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
            a, b = plain_text(a), plain_text(b)
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
