"""Deleting, recovering and merging people and companies without silently rewriting
what articles say.

- A person or company that a published article (live or scheduled) names (mentions,
  credits in the byline, quotes, or reports a role of) cannot be deleted: the refusal
  lists those articles. Merge a duplicate into the record that stays instead.
- Deleting one that only unpublished work names removes those links, records the change
  in each article's history, and keeps the links with the deletion's revision, so that
  recovering the person or company puts them back where the articles still exist.
- Merging a duplicate person moves everything that names them (mentions, bylines,
  quotes, roles, successions) to the person who stays, keeps the duplicate's names as
  aliases and its page address as a redirect, and records one revision.

people/ sits below articles/ in the layers: articles are reached through the app
registry (and their published rule through `people.models`), never imported.
"""

import reversion
from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from reversion.models import Revision, Version

from people.models import Company, DeletedLinks, Person, PersonRedirect, Position, Quote

SHOWN_IN_REFUSAL = 10


def _articles():
    return apps.get_model("articles", "Article")


def save_deletion_revision(
    objects: list[Model], *, user, comment: str, links: dict | None = None, rows: str = ""
) -> Revision:
    """One revision holding `objects` as they are now, written at once.

    Not `reversion.create_revision()`: inside a request, RevisionMiddleware holds an outer
    revision block, and a nested block is saved only when the outer one ends, after the
    objects are gone, when reversion keeps no version of rows that no longer exist. The
    versions are serialised as reversion serialises them (JSON, every field), so its
    history, "recover deleted" list and `Version.objects.get_deleted()` read them.
    """
    revision = Revision.objects.create(
        date_created=timezone.now(), user=user if user and user.pk else None, comment=comment
    )
    Version.objects.bulk_create(
        Version(
            revision=revision,
            object_id=str(obj.pk),
            content_type=ContentType.objects.get_for_model(obj),
            db=router.db_for_write(type(obj)),
            format="json",
            serialized_data=serializers.serialize("json", [obj]),
            object_repr=str(obj),
        )
        for obj in objects
    )
    DeletedLinks.objects.create(revision=revision, links=links or {}, rows=rows)
    return revision


# -- Who names them -------------------------------------------------------------------------


def articles_naming(entity: Person | Company) -> QuerySet:
    """Every article that names the person or company: mentions, bylines, quotes, roles."""
    Article = _articles()
    if isinstance(entity, Person):
        quoted = Article.quotes.through.objects.filter(quote__speaker=entity)
        roles = Position.sources.through.objects.filter(
            Q(position__person=entity) | Q(position__successor=entity)
        )
        return Article.objects.filter(
            Q(pk__in=Article.people.through.objects.filter(person=entity).values("article_id"))
            | Q(pk__in=Article.authors.through.objects.filter(person=entity).values("article_id"))
            | Q(pk__in=quoted.values("article_id"))
            | Q(pk__in=roles.values("article_id"))
        )
    roles = Position.sources.through.objects.filter(position__company=entity)
    return Article.objects.filter(
        Q(pk__in=Article.companies.through.objects.filter(company=entity).values("article_id"))
        | Q(pk__in=roles.values("article_id"))
    )


def published_articles_naming(entity: Person | Company) -> QuerySet:
    """Those of them on the public record: published, live or scheduled."""
    return articles_naming(entity).filter(status="published")


def deletion_refusal(entity: Person | Company) -> str | None:
    """Why the person or company cannot be deleted, naming the articles; None if it can."""
    named = list(
        published_articles_naming(entity).order_by("-published_at", "-pk")[: SHOWN_IN_REFUSAL + 1]
    )
    if not named:
        return None
    titles = "; ".join(f"“{a.title}” [{a.language}]" for a in named[:SHOWN_IN_REFUSAL])
    more = " and more" if len(named) > SHOWN_IN_REFUSAL else ""
    kind = "person" if isinstance(entity, Person) else "company"
    return (
        f"{entity.name} cannot be deleted: published articles name this {kind}: {titles}"
        f"{more}. Deleting would change what those articles say. Unlink them first, or "
        f"merge this {kind} into the record that stays."
    )


# -- Deleting and recovering ------------------------------------------------------------------

# The article links a deletion removes, by the through table's field naming the entity.
PERSON_LINKS = {"people": "person", "authors": "person"}
COMPANY_LINKS = {"companies": "company"}


def _link_map(entity) -> dict[str, dict[str, list[int]]]:
    Article = _articles()
    names = PERSON_LINKS if isinstance(entity, Person) else COMPANY_LINKS
    links = {}
    for accessor, column in names.items():
        through = getattr(Article, accessor).through
        ids = through.objects.filter(**{column: entity}).values_list("article_id", flat=True)
        links[accessor] = {str(entity.pk): sorted(ids)}
    if isinstance(entity, Person):
        succeeded = Position.objects.filter(successor=entity).values_list("pk", flat=True)
        links["successor_of"] = {str(entity.pk): sorted(succeeded)}
    else:
        children = Company.objects.filter(parent=entity).values_list("pk", flat=True)
        links["parent_of"] = {str(entity.pk): sorted(children)}
    return links


def _record_in_articles(article_ids: set[int], *, user, comment: str) -> None:
    """A revision in each article's history saying what changed in it and why."""
    if not article_ids:
        return
    with reversion.create_revision():
        for article in _articles().objects.filter(pk__in=article_ids):
            reversion.add_to_revision(article)
        reversion.set_user(user)
        reversion.set_comment(comment)


def delete_entity(entity: Person | Company, *, user: AbstractBaseUser) -> None:
    """Delete a person or company no published article names, keeping the links that
    pointed at it with the deletion's revision (see `recover_entity`)."""
    kind = "person" if isinstance(entity, Person) else "company"
    if not user.has_perm(f"people.delete_{kind}", entity):
        raise PermissionDenied(f"You do not have permission to delete this {kind}.")
    with transaction.atomic():
        entity = type(entity).objects.select_for_update().get(pk=entity.pk)
        refusal = deletion_refusal(entity)
        if refusal:
            raise ValidationError(refusal)
        if isinstance(entity, Person) and entity.quotes.exists():
            raise ValidationError(
                f"{entity.name} cannot be deleted while quotes are attributed to them: "
                "merge them into the person who stays, or delete the quotes first."
            )
        if isinstance(entity, Company) and entity.positions.exists():
            raise ValidationError(
                f"{entity.name} cannot be deleted while roles at it are recorded: move or "
                "delete those roles first."
            )
        links = _link_map(entity)
        article_ids = {
            pk for accessor in ("people", "authors", "companies") for pk in
            (links.get(accessor) or {}).get(str(entity.pk), [])
        }  # fmt: skip
        followed = list(entity.positions.all()) if isinstance(entity, Person) else []
        save_deletion_revision(
            [entity, *followed], user=user, comment=f"Deleted {kind} {entity.name}", links=links
        )
        name = entity.name
        entity.delete()
        _record_in_articles(
            article_ids, user=user, comment=f"{name} was deleted: no longer linked from here"
        )


def deleted_versions(model) -> QuerySet:
    return Version.objects.get_deleted(model).select_related("revision__user")


def recover_entity(version: Version, *, user: AbstractBaseUser) -> Person | Company:
    """Bring back a deleted person or company (and a person's roles), and the links to it
    that its deletion removed, where the other side still exists."""
    model = version._model
    if model not in (Person, Company):
        raise ValidationError("That version is not of a person or company.")
    kind = model._meta.model_name
    if not user.has_perm(f"people.add_{kind}"):
        raise PermissionDenied(f"You do not have permission to recover a {kind}.")
    with transaction.atomic():
        if model.objects.filter(pk=version.object_id).exists():
            raise ValidationError(f"This {kind} is not deleted.")
        entity = version._object_version.object
        clash = model.objects.filter(slug=entity.slug).exclude(pk=entity.pk).first()
        if clash is not None:
            raise ValidationError(
                f"{clash.name} now has the address “{entity.slug}”: change one of the two "
                "slugs first."
            )
        Image = apps.get_model("articles", "Image")
        if (
            getattr(entity, "parent_id", None)
            and not Company.objects.filter(pk=entity.parent_id).exists()
        ):
            entity.parent_id = None
        if (
            getattr(entity, "photo_id", None)
            and not Image.objects.filter(pk=entity.photo_id).exists()
        ):
            entity.photo_id = None
        entity.save()
        PersonRedirect.objects.filter(old_slug=entity.slug).delete()
        for other in version.revision.version_set.exclude(pk=version.pk):
            if other._model is Position:
                position = other._object_version.object
                if Company.objects.filter(pk=position.company_id).exists():
                    if (
                        position.successor_id
                        and not Person.objects.filter(pk=position.successor_id).exists()
                    ):
                        position.successor_id = None
                    sources = other._object_version.m2m_data.get("sources") or []
                    other._object_version.m2m_data["sources"] = list(
                        _articles().objects.filter(pk__in=sources).values_list("pk", flat=True)
                    )
                    other._object_version.save()
        record = DeletedLinks.objects.filter(revision_id=version.revision_id).first()
        article_ids: set[int] = set()
        if record is not None:
            Article = _articles()
            for accessor in ("people", "authors", "companies"):
                ids = record.of(accessor, entity.pk)
                if not ids:
                    continue
                existing = list(Article.objects.filter(pk__in=ids))
                getattr(entity, _reverse_accessor(accessor)).add(*existing)
                article_ids.update(a.pk for a in existing)
            if isinstance(entity, Person):
                Position.objects.filter(
                    pk__in=record.of("successor_of", entity.pk), successor__isnull=True
                ).update(successor=entity)
            else:
                Company.objects.filter(
                    pk__in=record.of("parent_of", entity.pk), parent__isnull=True
                ).exclude(pk=entity.pk).update(parent=entity)
        with reversion.create_revision():
            reversion.add_to_revision(entity)
            reversion.set_user(user)
            reversion.set_comment(
                f"Recovered after deletion ({len(article_ids)} articles relinked)"
            )
        _record_in_articles(
            article_ids, user=user, comment=f"{entity.name} was recovered: linked here again"
        )
    return entity


def _reverse_accessor(article_field: str) -> str:
    """The entity's side of an article's m2m field."""
    return {"people": "articles", "authors": "authored_articles", "companies": "articles"}[
        article_field
    ]


# -- Merging duplicate people ----------------------------------------------------------------


def merge_people(keep: Person, duplicates: list[Person], *, user: AbstractBaseUser) -> Person:
    """Merge `duplicates` into `keep`: mentions, bylines, quotes, roles and successions
    move to `keep`; the duplicates' names become its aliases and their page addresses
    redirect to its page; the duplicates are deleted (recoverable, bare). One revision
    records `keep` and every article whose links changed."""
    if not (user.has_perm("people.change_person", keep) and user.has_perm("people.delete_person")):
        raise PermissionDenied("Only editors can merge people.")
    duplicates = [d for d in duplicates if d.pk != keep.pk]
    if not duplicates:
        raise ValidationError("Choose at least one other person to merge into this one.")
    Article = _articles()
    with transaction.atomic():
        keep = Person.objects.select_for_update().get(pk=keep.pk)
        article_ids: set[int] = set()
        for duplicate in duplicates:
            duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
            for accessor in ("people", "authors"):
                mine = getattr(duplicate, _reverse_accessor(accessor))
                moved = list(mine.all())
                article_ids.update(a.pk for a in moved)
                # Through the managers: the page cache hears of every link that moves.
                getattr(keep, _reverse_accessor(accessor)).add(*moved)
                mine.clear()
            quoted = Article.quotes.through.objects.filter(quote__speaker=duplicate)
            article_ids.update(quoted.values_list("article_id", flat=True))
            for quote in Quote.objects.filter(speaker=duplicate):
                quote.speaker = keep
                quote.save(update_fields=["speaker", "updated_at"])
            for position in Position.objects.filter(Q(person=duplicate) | Q(successor=duplicate)):
                if position.person_id == duplicate.pk:
                    position.person = keep
                if position.successor_id == duplicate.pk:
                    position.successor = keep
                position.save()
            names = [*keep.alias_list, duplicate.name, duplicate.native_name, *duplicate.alias_list]
            known = {keep.name, keep.native_name}
            keep.aliases = "\n".join(dict.fromkeys(n for n in names if n and n not in known))
            if not keep.bio and duplicate.bio:
                keep.bio = duplicate.bio
            if keep.photo_id is None and duplicate.photo_id is not None:
                keep.photo_id = duplicate.photo_id
            PersonRedirect.objects.filter(person=duplicate).update(person=keep)
            old_slug = duplicate.slug
            save_deletion_revision(
                [duplicate],
                user=user,
                comment=f"Merged {duplicate.name} into {keep.name} (/people/{keep.slug}/)",
            )
            duplicate.delete()
            PersonRedirect.objects.update_or_create(old_slug=old_slug, defaults={"person": keep})
        keep.edit_version += 1
        with reversion.create_revision():
            keep.save()
            for article in Article.objects.filter(pk__in=article_ids):
                reversion.add_to_revision(article)
            reversion.add_to_revision(keep)
            reversion.set_user(user)
            reversion.set_comment(
                "Merged " + ", ".join(d.name for d in duplicates) + f" into {keep.name}"
            )
    return keep
