"""What the readers' pages show, for the page cache (`newsroom.pagecache`), and the
receivers that retire cached pages the moment what they show changes.

Tags, and what bumps them:

- `<app>.<model>:<pk>` — one object as shown anywhere (a title, a name, a quote's words).
  Found automatically: every model instance a page's template context holds (with what it
  prefetched) tags the page. Bumped when that object is saved or deleted.
- `list:<language>` and `list` — pages that list the newest stories (front page, lists,
  feeds, search, sitemaps). Bumped when an article goes live, goes offline, is
  scheduled, or changes while live.
- `about:<app>.<model>:<pk>` — the stories about a person or company, in a section or a
  thread (their pages and feeds). Bumped when an article linked to them goes live,
  offline, or changes while live, and when the link itself changes on a live article.
- `story:<translation key>` — the language versions of a story (language switcher,
  hreflang). Bumped with the article's lists.
- `model:<app>.<model>` — pages that list every public person, company, thread or
  section (sitemaps, the feeds directory). Bumped by any save or delete of one.

A page that would include a scheduled article expires at that article's publish time, so
it appears on the second with no job running.
"""

import dataclasses
from functools import partial, wraps

from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.views.decorators.http import require_safe

from articles.models import Article, Correction, Image, Section, Storyline, StorylineEntry
from newsroom import pagecache
from people.models import Company, Person, Position, Quote, QuoteTranslation

# Models whose instances tag the pages that show them.
SHOWN_MODELS = (Article, Person, Company, Quote, Storyline, Section, Image, Position)
# How deep to look into a page's context for objects it shows.
MAX_DEPTH = 5


def object_tag(obj: Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def about_tag(obj: Model) -> str:
    return f"about:{object_tag(obj)}"


def list_tags(language: str | None = None) -> list[str]:
    return ["list", f"list:{language}"] if language else ["list"]


def model_tag(model) -> str:
    return f"model:{model._meta.label_lower}"


def story_tag(article: Article) -> str:
    return f"story:{article.translation_key}"


# -- Pages ----------------------------------------------------------------------------


def shown_objects(value, depth: int = 0, seen: set | None = None):
    """Model instances in a template context: the values themselves, what they hold in
    lists, dicts and dataclasses, and what they select or prefetch."""
    seen = set() if seen is None else seen
    if depth > MAX_DEPTH or id(value) in seen or isinstance(value, str | bytes | int | float):
        return
    seen.add(id(value))
    if isinstance(value, Model):
        if isinstance(value, SHOWN_MODELS):
            yield value
        children = list(value._state.fields_cache.values())
        for cached in getattr(value, "_prefetched_objects_cache", {}).values():
            children.append(cached)
        children += [v for v in vars(value).values() if isinstance(v, list | tuple)]
    elif isinstance(value, QuerySet):
        children = value._result_cache or []  # only what was evaluated was shown
    elif isinstance(value, dict):
        children = list(value.values())
    elif isinstance(value, list | tuple | set | frozenset):
        children = list(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        children = [getattr(value, f.name) for f in dataclasses.fields(value)]
    elif hasattr(value, "object_list"):  # a paginator's page
        children = list(value.object_list)
    else:
        return
    for child in children:
        yield from shown_objects(child, depth + 1, seen)


def public_page(view=None, *, lists: bool = False):
    """Cache a public view's responses for readers. Every object in the page's context
    tags it; `lists=True` adds the list tags of the page's language (pages that show the
    newest stories). The view may add tags of its own with `pagecache.tag`. Public pages
    are read-only: anything but GET and HEAD is a 405."""

    def decorate(view):
        @require_safe
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if getattr(request, "_page_cache_tags", None) is None:
                return response
            context = getattr(response, "context_data", None) or {}
            pagecache.tag(request, *(object_tag(o) for o in shown_objects(context)))
            if lists:
                pagecache.tag(request, *list_tags(getattr(request, "page_language", None)))
            pagecache.expire_at(request, next_publish_time())
            return response

        return pagecache.cache_page(wrapper)

    return decorate(view) if view is not None else decorate


def next_publish_time():
    """When the next scheduled article goes live (None if none is waiting)."""
    return (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


# -- Invalidation ---------------------------------------------------------------------


def article_tags(article: Article) -> set[str]:
    """What to retire when `article` changes while it is (or was) public or scheduled."""
    tags = {object_tag(article), story_tag(article), *list_tags(article.language)}
    if article.pk is None:
        return tags
    people = Article.people.through.objects.filter(article_id=article.pk)
    authors = Article.authors.through.objects.filter(article_id=article.pk)
    companies = Article.companies.through.objects.filter(article_id=article.pk)
    sections = Article.sections.through.objects.filter(article_id=article.pk)
    entries = StorylineEntry.objects.filter(article_id=article.pk)
    tags.update(f"about:people.person:{pk}" for pk in people.values_list("person_id", flat=True))
    tags.update(f"about:people.person:{pk}" for pk in authors.values_list("person_id", flat=True))
    tags.update(
        f"about:people.company:{pk}" for pk in companies.values_list("company_id", flat=True)
    )
    tags.update(
        f"about:articles.section:{pk}" for pk in sections.values_list("section_id", flat=True)
    )
    tags.update(
        f"about:articles.storyline:{pk}" for pk in entries.values_list("storyline_id", flat=True)
    )
    return tags


def _was_or_is_public(article: Article) -> bool:
    published = Article.Status.PUBLISHED
    return article.status == published or getattr(article, "_loaded_status", None) == published


@receiver(post_save, sender=Article, dispatch_uid="pagecache_article_saved")
def _article_changed(sender, instance: Article, **kwargs):
    if _was_or_is_public(instance):
        pagecache.invalidate(*article_tags(instance))
    else:
        pagecache.invalidate(object_tag(instance))


@receiver(pre_delete, sender=Article, dispatch_uid="pagecache_article_deleted")
def _article_deleted(sender, instance: Article, **kwargs):
    # Before the delete, while its links still say which pages showed it.
    pagecache.invalidate(*article_tags(instance))


# The m2m_changed actions after which an article's links are what they are now, and the
# one (a clear) before which they are still what they were.
LINK_ACTIONS = ("post_add", "post_remove", "pre_clear", "post_clear")


def relinked_articles(instance, pk_set) -> list[Article]:
    """The articles whose m2m links just changed; `instance` and `pk_set` are
    m2m_changed's, from either side."""
    if isinstance(instance, Article):
        return [instance]
    # Changed from the other side: instance is the person etc.
    return list(Article.objects.filter(pk__in=pk_set or []))


def relinked_tags(article: Article, instance, about_model, pk_set) -> set[str]:
    """The tags of what shows `article` now and of what it was just added to or taken
    from (see `relinked_articles`)."""
    tags = article_tags(article)
    if isinstance(instance, Article):
        label = about_model._meta.label_lower
        tags.update(f"about:{label}:{pk}" for pk in pk_set or [])
    else:
        tags.add(about_tag(instance))
    return tags


def _links_changed(about_model, sender, instance, action, pk_set, **kwargs):
    """An m2m link of an article to people/companies/sections changed.

    Connected once per relation with `partial`: a plain module function rather than a
    closure built at import, so tests (and mutation testing) reach it like any other."""
    if action not in LINK_ACTIONS:
        return
    for article in relinked_articles(instance, pk_set):
        if not _was_or_is_public(article):
            pagecache.invalidate(object_tag(article))
            continue
        pagecache.invalidate(*relinked_tags(article, instance, about_model, pk_set))


for _field, _about in [
    (Article.people, Person),
    (Article.authors, Person),
    (Article.companies, Company),
    (Article.sections, Section),
    (Article.quotes, Quote),
    (Article.related, Article),
]:
    m2m_changed.connect(
        partial(_links_changed, _about),
        sender=_field.through,
        weak=False,
        dispatch_uid=f"pagecache_{_field.through._meta.label_lower}",
    )


@receiver(post_save, sender=StorylineEntry, dispatch_uid="pagecache_entry_saved")
@receiver(post_delete, sender=StorylineEntry, dispatch_uid="pagecache_entry_deleted")
def _entry_changed(sender, instance: StorylineEntry, **kwargs):
    pagecache.invalidate(
        f"articles.storyline:{instance.storyline_id}",
        f"about:articles.storyline:{instance.storyline_id}",
        f"articles.article:{instance.article_id}",
        # A thread gains or loses its only published story: lists of every public
        # thread (sitemaps, the API's directory) change with it.
        model_tag(Storyline),
    )


def _shown_object_changed(sender, instance, **kwargs):
    pagecache.invalidate(object_tag(instance), model_tag(sender))


for _model in (Person, Company, Quote, Storyline, Section, Image):
    for _signal in (post_save, post_delete):
        _signal.connect(
            _shown_object_changed,
            sender=_model,
            dispatch_uid=f"pagecache_{_signal is post_save}_{_model._meta.label_lower}",
        )


@receiver(post_save, sender=Position, dispatch_uid="pagecache_position_saved")
@receiver(post_delete, sender=Position, dispatch_uid="pagecache_position_deleted")
def _position_changed(sender, instance: Position, **kwargs):
    tags = {object_tag(instance), f"people.person:{instance.person_id}"}
    tags.add(f"people.company:{instance.company_id}")
    if instance.successor_id:
        tags.add(f"people.person:{instance.successor_id}")
    pagecache.invalidate(*tags)


@receiver(post_save, sender=Correction, dispatch_uid="pagecache_correction_saved")
@receiver(post_delete, sender=Correction, dispatch_uid="pagecache_correction_deleted")
def _correction_changed(sender, instance: Correction, **kwargs):
    # A correction note is shown on its article's page only.
    pagecache.invalidate(f"articles.article:{instance.article_id}")


@receiver(post_save, sender=QuoteTranslation, dispatch_uid="pagecache_quote_translation_saved")
@receiver(post_delete, sender=QuoteTranslation, dispatch_uid="pagecache_quote_translation_gone")
def _quote_translation_changed(sender, instance: QuoteTranslation, **kwargs):
    pagecache.invalidate(f"people.quote:{instance.quote_id}")
