"""Who may do what to which object: the newsroom's object-level rules, in one place.

The groups (`articles/roles.py`) say what a role may do to a kind of thing at all; these
rules narrow that per object, the way the newsroom works:

- An article's words are changed directly by editors, and by its owner (the writer, or
  the translator of a translation) while it is a draft or has changes requested. The
  owner of a published article (live or scheduled) may still edit it, but what they save
  is a pending change that an editor publishes (`articles/staging.py`).
- What a published article shows (its quotes and, in its language, their translations,
  its lead image, the people and companies it names, the roles it sources) is changed or
  deleted only by editors. So is anything another person's work shows. A writer keeps
  full control of what only their own unpublished work shows: a quote no other article
  uses, the picture of their own draft.
- A translation is marked in sync with its source by an editor, or by its own translator
  once its words have changed since the source's did.

They are django-rules predicates registered under Django's permission names, so
`user.has_perm("people.change_quote", quote)` gives the same answer to the admin's
`has_change_permission`, the desk's views and anything else that asks Django. Asked
without an object, Django's ModelBackend answers from the groups alone (these rules say
no without an object, so they never widen a role). Active superusers pass every check
(Django asks no backend for them).

django-rules (rather than functions of our own) because it plugs these answers into
`User.has_perm`, the one question the admin, templates and third-party apps already ask.
"""

import rules
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from articles.models import Article, Image, Storyline, StorylineEntry
from people.models import Company, Person, Position, Quote, QuoteTranslation

Status = Article.Status

# Where the owner (writer or translator) may still change the words; past review only
# editors may, so nothing reaches readers that a reviewer has not seen.
OWNER_EDITABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})


def holds(user: AbstractBaseUser, perm: str) -> bool:
    """Whether the user's groups or own permissions give `perm` (the role, no object).

    Asks Django's ModelBackend only: `user.has_perm(perm)` would ask these rules again.
    """
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return perm in user.get_all_permissions()


# -- Articles ---------------------------------------------------------------------------


def is_editor(user: AbstractBaseUser) -> bool:
    return holds(user, "articles.review_article") and holds(user, "articles.publish_article")


def edits_any_article(user: AbstractBaseUser) -> bool:
    return holds(user, "articles.edit_any_article")


def is_responsible(user: AbstractBaseUser, article: Article) -> bool:
    """The article's owner, in the role that may work on it: a writer on an original,
    a translator (or writer) on a translation."""
    if not user.is_active or article.owner_id is None or article.owner_id != user.pk:
        return False
    if holds(user, "articles.change_article"):
        return True
    return bool(article.translation_of_id) and holds(user, "articles.translate_article")


def can_edit(user: AbstractBaseUser, article: Article) -> bool:
    """Whether the user's save writes the article itself: editors on anything; writers
    on their own articles and translators on their own translations, while those are
    drafts or have changes requested."""
    if not user.is_active:
        return False
    if edits_any_article(user):
        return True
    return is_responsible(user, article) and article.status in OWNER_EDITABLE


def can_stage_change(user: AbstractBaseUser, article: Article) -> bool:
    """Whether the user's save of this article becomes a pending change: its owner,
    once it is published (live or scheduled), proposes; an editor publishes."""
    return (
        article.status == Status.PUBLISHED
        and not can_edit(user, article)
        and is_responsible(user, article)
    )


def may_open_to_change(user: AbstractBaseUser, article: Article) -> bool:
    """Whether the article's change form is open to the user: to write it directly, or
    to propose a change to it."""
    return can_edit(user, article) or can_stage_change(user, article)


def can_publish_change(user: AbstractBaseUser, article: Article) -> bool:
    return is_editor(user) and can_edit(user, article)


def may_delete_article(user: AbstractBaseUser, article: Article) -> bool:
    return holds(user, "articles.delete_article")


def words_changed_since_source(translation: Article) -> bool:
    """Whether the translation's words changed after its source's last did."""
    source = translation.translation_of
    if source is None or translation.words_changed_at is None:
        return False
    source_changed = source.words_changed_at or source.updated_at
    return source_changed is not None and translation.words_changed_at > source_changed


def may_mark_synced(user: AbstractBaseUser, translation: Article) -> bool:
    """Editors mark any translation in sync; its own translator only once the
    translation's words have changed since the source's (else nothing was brought up
    to date)."""
    if not user.is_active or translation.translation_of_id is None:
        return False
    if edits_any_article(user):
        return True
    return is_responsible(user, translation) and words_changed_since_source(translation)


# -- What articles show -----------------------------------------------------------------


def articles_showing(obj) -> QuerySet:
    """The articles whose pages show `obj` (drafts included: their owners' work)."""
    articles = Article.objects.all()
    if isinstance(obj, Quote):
        return articles.filter(quotes=obj)
    if isinstance(obj, QuoteTranslation):
        # A translation of a quote is shown only by articles in its language.
        return articles.filter(quotes=obj.quote_id, language=obj.language)
    if isinstance(obj, Image):
        return articles.filter(lead_image=obj)
    if isinstance(obj, Person):
        quoted = Article.quotes.through.objects.filter(quote__speaker=obj).values("article_id")
        return articles.about_person(obj) | articles.filter(pk__in=quoted)
    if isinstance(obj, Company):
        return articles.about_company(obj)
    if isinstance(obj, Position):
        return articles.filter(positions=obj)
    if isinstance(obj, StorylineEntry):
        return articles.filter(pk=obj.article_id)
    raise TypeError(f"Articles do not show {type(obj).__name__} objects.")


def only_in_own_unpublished_work(user: AbstractBaseUser, obj) -> bool:
    """Nothing shows `obj` but articles the user may edit directly (their own drafts)."""
    if articles_showing(obj).exclude(owner=user.pk, status__in=OWNER_EDITABLE).exists():
        return False
    # A person's photo is on their public page: the editors' to change.
    return not (isinstance(obj, Image) and Person.objects.filter(photo=obj).exists())


def may_change_shown(user: AbstractBaseUser, obj) -> bool:
    """For something articles show: editors always; others only while nothing but their
    own unpublished work shows it. (The role must also hold the permission.)"""
    return edits_any_article(user) or only_in_own_unpublished_work(user, obj)


def may_change_storyline_entry(user: AbstractBaseUser, obj) -> bool:
    """An article's place in a thread goes with the article: who may edit the article
    directly may move it. On a thread's own page (obj is the thread), editors only."""
    if isinstance(obj, Storyline):
        return holds(user, "articles.change_storyline")
    article = obj if isinstance(obj, Article) else obj.article
    return can_edit(user, article)


# -- Registered under Django's permission names -----------------------------------------


@rules.predicate
def _has_object(user, obj) -> bool:
    return obj is not None


def _holding(perm: str):
    return rules.predicate(lambda user: holds(user, perm), name=f"holds {perm}")


def _rule(perm: str, test) -> None:
    rules.set_perm(perm, _has_object & _holding(perm) & rules.predicate(test))


SHOWN_PERMISSIONS = [
    "people.change_quote", "people.delete_quote",
    "people.add_quotetranslation", "people.change_quotetranslation",
    "people.delete_quotetranslation",
    "articles.change_image", "articles.delete_image",
    "people.change_person", "people.delete_person",
    "people.change_company", "people.delete_company",
    "people.change_position", "people.delete_position",
]  # fmt: skip

for _perm in SHOWN_PERMISSIONS:
    _rule(_perm, may_change_shown)

for _perm in [
    "articles.add_storylineentry",
    "articles.change_storylineentry",
    "articles.delete_storylineentry",
]:
    _rule(_perm, may_change_storyline_entry)

_rule("articles.delete_article", may_delete_article)
rules.set_perm("articles.change_article", _has_object & rules.predicate(may_open_to_change))
rules.set_perm("articles.publish_change", _has_object & rules.predicate(can_publish_change))
rules.set_perm("articles.mark_synced", _has_object & rules.predicate(may_mark_synced))
