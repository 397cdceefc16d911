"""Staged changes to published articles: the owner proposes, an editor publishes.

A writer's (or translator's) edit of their own published article is not written to the
article. It is kept as a `PendingChange`: the values of the fields an owner may change
(`STAGED_FIELDS`, as JSON: text, the lead image's id, lists of linked ids), next to the
live values they started from. The article row is untouched, so everything that reads it
(the public pages and their cache, feeds, sitemaps, the search index, the API) keeps
showing the published words. An editor sees the change against the live version and
publishes it (one revision, one timeline event, optionally a public correction note) or
discards it. Publishing applies only the fields the change itself altered, so an
editor's correction made to the live article in the meantime is not undone.

Editors' own saves of a live article go live at once (a correction); the admin asks them
for an optional note that readers see ("Corrected on <date>: <note>").
"""

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles import notifications, rules
from articles.models import Article, ArticleEvent, Correction, Image, PendingChange
from articles.sanitise import sanitise_html
from newsroom.text import FieldChange, plain_text

# What the owner of a published article may propose: words, byline and source, picture,
# links. Not the slug (its URL), language, translation or publishing fields.
STAGED_FIELDS = [
    "title", "standfirst", "body", "byline_note", "source", "source_url", "dateline",
    "lead_image", "authors", "people", "companies", "quotes", "sections", "related",
]  # fmt: skip
LINKED = ("authors", "people", "companies", "quotes", "sections", "related")
TEXT = ("title", "standfirst", "body")


def _field(name: str):
    return Article._meta.get_field(name)


def live_values(article: Article) -> dict:
    """The article as it is now, in the shape of a pending change's values."""
    values = {}
    for name in STAGED_FIELDS:
        if name in LINKED:
            values[name] = sorted(getattr(article, name).values_list("pk", flat=True))
        elif name == "lead_image":
            values[name] = article.lead_image_id
        else:
            values[name] = getattr(article, name) or ""
    return values


def values_from_form(cleaned_data: dict) -> dict:
    """The staged fields of a validated article form, as a pending change keeps them."""
    values = {}
    for name in STAGED_FIELDS:
        if name not in cleaned_data:
            continue
        value = cleaned_data[name]
        if name in LINKED:
            values[name] = sorted(obj.pk for obj in value or [])
        elif name == "lead_image":
            values[name] = value.pk if value is not None else None
        else:
            values[name] = value or ""
    return values


def _normalised(values: dict) -> dict:
    values = dict(values)
    if "body" in values:
        values["body"] = sanitise_html((values["body"] or "").replace("\r\n", "\n"))
    if "standfirst" in values:
        values["standfirst"] = (values["standfirst"] or "").replace("\r\n", "\n")
    return values


def pending_change(article: Article) -> PendingChange | None:
    """The change waiting for an editor, if there is one."""
    return (
        PendingChange.objects.pending()
        .filter(article_id=article.pk)
        .select_related("author")
        .first()
    )


def proposed_values(change: PendingChange) -> dict:
    """Only what the change itself alters (against the live values it started from)."""
    return {
        name: value
        for name, value in change.values.items()
        if name in STAGED_FIELDS and change.base_values.get(name) != value
    }


def stage_change(article: Article, *, user: AbstractBaseUser, values: dict) -> PendingChange | None:
    """Keep `values` (some of STAGED_FIELDS) as the pending change of a published
    article, beginning one or updating the one waiting. Proposing what is live already
    withdraws the waiting change (None is returned)."""
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if not rules.can_stage_change(user, locked):
            raise PermissionDenied(
                "Only the owner of a published article proposes changes to it; "
                "editors change it directly."
            )
        live = live_values(locked)
        change = PendingChange.objects.select_for_update().pending().filter(article=locked).first()
        base = change.base_values if change else live
        staged = {**(change.values if change else live), **_normalised(values)}
        staged = {name: staged.get(name, live[name]) for name in STAGED_FIELDS}
        if all(staged[name] == base.get(name) for name in STAGED_FIELDS):
            if change is not None:
                _decide(change, state=PendingChange.State.WITHDRAWN, user=user)
            return None
        now = timezone.now()
        if change is None:
            change = PendingChange.objects.create(
                article=locked,
                author=user,
                values=staged,
                base_values=live,
                base_edit_version=locked.edit_version,
                created_at=now,
                updated_at=now,
            )
            _event(locked, user, "propose_change", "Proposed a change to the live article.")
        else:
            change.values, change.author, change.updated_at = staged, user, now
            change.save(update_fields=["values", "author", "updated_at"])
    return change


def changes_against_live(change: PendingChange) -> list[FieldChange]:
    """What publishing the change would do to the live article, field by field (changed
    fields only). Three small queries for the names of linked things."""
    live = live_values(Article.objects.get(pk=change.article_id))
    after = {**live, **proposed_values(change)}
    result = []
    for name in STAGED_FIELDS:
        before_value, after_value = live[name], after[name]
        label = str(_field(name).verbose_name).capitalize()
        if name in LINKED or name == "lead_image":
            if before_value == after_value:
                continue
            model = _field(name).related_model
            ids = {
                *(before_value if name in LINKED else [before_value]),
                *(after_value if name in LINKED else [after_value]),
            } - {None}
            names = {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}

            def show(value, names=names, linked=name in LINKED):
                items = value if linked else ([value] if value is not None else [])
                return "\n".join(sorted(names.get(pk, f"(deleted #{pk})") for pk in items))

            result.append(FieldChange.of_text(name, label, show(before_value), show(after_value)))
            continue
        before_text, after_text = before_value or "", after_value or ""
        if name == "body":
            before_text, after_text = plain_text(before_text), plain_text(after_text)
        change_of_field = FieldChange.of_text(name, label, before_text, after_text)
        if change_of_field.changed or before_value != after_value:
            result.append(change_of_field)
    return result


def live_changed_since(change: PendingChange) -> list[str]:
    """Fields the change alters that the live article has changed too since the change
    began: publishing replaces those live edits. Labels, for a warning."""
    live = live_values(Article.objects.get(pk=change.article_id))
    return [
        str(_field(name).verbose_name)
        for name in proposed_values(change)
        if live[name] != change.base_values.get(name)
    ]


def _name(user) -> str:
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()


def _event(article: Article, user, transition: str, comment: str) -> None:
    event = ArticleEvent.objects.create(
        article=article,
        actor=user,
        transition=transition,
        from_status=article.status,
        to_status=article.status,
        comment=comment,
    )
    # A proposal goes to the editors, a published one back to its author's inbox.
    notifications.notify(event)


def _decide(change: PendingChange, *, state: str, user) -> None:
    change.state, change.decided_by, change.decided_at = state, user, timezone.now()
    change.save(update_fields=["state", "decided_by", "decided_at"])


def _locked_pending(change: PendingChange) -> tuple[PendingChange, Article]:
    article = Article.objects.select_for_update().get(pk=change.article_id)
    locked = PendingChange.objects.select_for_update().get(pk=change.pk)
    if locked.state != PendingChange.State.PENDING:
        raise ValidationError(
            f"This change is no longer waiting: it was {locked.get_state_display().lower()}."
        )
    return locked, article


def record_correction(article: Article, *, user: AbstractBaseUser, note: str) -> Correction | None:
    """A public note on a correction to a live article (none for an empty note)."""
    note = " ".join((note or "").split())
    if not note:
        return None
    if not article.is_live:
        raise ValidationError("A correction note is for a live article; this one is not live.")
    correction = Correction(article=article, note=note, corrected_by=user)
    correction.full_clean()
    correction.save()
    return correction


def publish_change(
    change: PendingChange, *, user: AbstractBaseUser, correction_note: str = ""
) -> Article:
    """Make a pending change live: the fields it altered are written to the article in
    one revision, the timeline records who published whose change, and a correction note
    (if given) is shown to readers."""
    with transaction.atomic():
        change, article = _locked_pending(change)
        if not rules.can_publish_change(user, article):
            raise PermissionDenied("Only editors publish changes to live articles.")
        proposed = proposed_values(change)
        linked = {}
        for name, value in proposed.items():
            if name in LINKED:
                linked[name] = value
            elif name == "lead_image":
                exists = value is not None and Image.objects.filter(pk=value).exists()
                article.lead_image_id = value if exists else None
            else:
                setattr(article, name, value)
        article.full_clean(exclude=["slug", "translation_of"], validate_unique=False)
        article.edit_version += 1  # forms opened before this see it as a newer save
        author = _name(change.author)
        with reversion.create_revision():
            article.save()
            for name, ids in linked.items():
                model = _field(name).related_model
                getattr(article, name).set(model._default_manager.filter(pk__in=ids))
            reversion.add_to_revision(article)
            reversion.set_user(user)
            reversion.set_comment(f"Published the change proposed by {author}")
        _decide(change, state=PendingChange.State.PUBLISHED, user=user)
        _event(article, user, "publish_change", f"Published the change proposed by {author}.")
        if correction_note:
            record_correction(article, user=user, note=correction_note)
    return article


def discard_change(change: PendingChange, *, user: AbstractBaseUser, comment: str = "") -> None:
    """An editor turns a pending change down; the live article stays as it is."""
    with transaction.atomic():
        change, article = _locked_pending(change)
        if not rules.can_publish_change(user, article):
            raise PermissionDenied("Only editors discard changes proposed to live articles.")
        _decide(change, state=PendingChange.State.DISCARDED, user=user)
        comment = (comment or "").strip()
        _event(article, user, "discard_change", comment or "Discarded the proposed change.")


def withdraw_change(change: PendingChange, *, user: AbstractBaseUser) -> None:
    """Its author takes a pending change back."""
    with transaction.atomic():
        change, article = _locked_pending(change)
        if change.author_id != user.pk and not rules.can_publish_change(user, article):
            raise PermissionDenied("Only the person who proposed a change can withdraw it.")
        _decide(change, state=PendingChange.State.WITHDRAWN, user=user)
        _event(article, user, "withdraw_change", "Withdrew the proposed change.")
