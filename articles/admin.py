from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from reversion.admin import VersionAdmin

from articles import translation
from articles.desk.workflow_admin import ArticleDeskMixin, WorkflowStateFilter
from articles.mentions import accept_mentions
from articles.models import Article, ArticleEvent, Image, Section, Storyline, StorylineEntry
from articles.translation import TranslationState
from articles.workflow import can_edit
from newsroom.concurrency import ConcurrencyAdminMixin
from newsroom.languages import language_codes, language_name
from people import linking


class StorylineEntryInline(admin.TabularInline):
    model = StorylineEntry
    extra = 0
    autocomplete_fields = ["storyline", "article"]


# -- translations (articles/translation.py) -------------------------------------------------
# The change page is one big <form>, so these panels use buttons with `formaction` (no
# nested forms) that post to the admin views below; each view also has a page of its own.


def _viewer(obj):
    """The user looking at the change page (stashed by get_object), or None."""
    return getattr(obj, "_admin_viewer", None)


class TranslationStateFilter(admin.SimpleListFilter):
    title = "translation"
    parameter_name = "translation_state"

    def lookups(self, request, model_admin):
        return [
            (TranslationState.ORIGINAL, "Original"),
            (TranslationState.IN_PROGRESS, "In progress"),
            (TranslationState.UP_TO_DATE, "Up to date"),
            (TranslationState.OUTDATED, "Outdated"),
            (TranslationState.MISSING, "Story missing a language"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == TranslationState.MISSING:
            return translation.missing_a_language(queryset)
        if value in TranslationState.LABELS:
            return translation.with_translation_state(queryset).filter(translation_state=value)
        return queryset


class TranslationAdminMixin:
    """Translations panel, "Translate into …" and "Mark synced" for ArticleAdmin."""

    def get_urls(self):
        app, model = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/translate/<str:language>/",
                wrap(self.translate_view),
                name=f"{app}_{model}_translate",
            ),
            path(
                "<path:object_id>/mark-synced/",
                wrap(self.mark_synced_view),
                name=f"{app}_{model}_mark_synced",
            ),
        ] + super().get_urls()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._admin_viewer = request.user
        return obj

    def save_model(self, request, obj, form, change):
        if "translation_of" in form.changed_data:
            translation.take_sync_baseline(obj)
        super().save_model(request, obj, form, change)

    def _article_or_404(self, request, object_id) -> Article:
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_permission(request, article):
            raise Http404("No such article.")
        return article

    def _back(self, request, article):
        """Where the button was pressed: the article named by `return_to`, or this one."""
        target = request.POST.get("return_to") or request.GET.get("return_to") or ""
        pk = int(target) if target.isdigit() else article.pk
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    @admin.display(description="translations")
    def translations_panel(self, obj):
        if not obj or not obj.pk:
            return "Save the article first; then it can be translated."
        user = _viewer(obj)
        can_start = bool(user) and translation.may_start_translation(user)
        can_sync = bool(user) and translation.may_mark_synced(user)
        rows, missing = [], False
        for version in translation.translations_panel(obj):
            article = version.article
            actions = ""
            if article is None:
                missing = True
                link = "—"
                if can_start:
                    actions = format_html(
                        '<button type="submit" class="button" formmethod="post" '
                        'formaction="{}" name="return_to" value="{}">Translate into {}</button>',
                        reverse(
                            "admin:articles_article_translate", args=[obj.pk, version.language]
                        ),
                        obj.pk,
                        version.language_name,
                    )
            else:
                this = " (this article)" if article.pk == obj.pk else ""
                synced = (
                    format_html(" · synced {}", _when(article.synced_at))
                    if article.synced_at
                    else ""
                )
                link = format_html(
                    '<a href="{}">{}</a>{} · {}{}',
                    reverse("admin:articles_article_change", args=[article.pk]),
                    article.title,
                    this,
                    article.display_status,
                    synced,
                )
                if version.state == TranslationState.OUTDATED:
                    changes_url = reverse("admin:articles_article_mark_synced", args=[article.pk])
                    actions = format_html(
                        '<a href="{}?return_to={}">What changed</a>', changes_url, obj.pk
                    )
                    if can_sync:
                        actions = format_html(
                            '{} <button type="submit" class="button" formmethod="post" '
                            'formaction="{}" name="return_to" value="{}">Mark synced</button>',
                            actions,
                            changes_url,
                            obj.pk,
                        )
            rows.append(
                format_html(
                    '<tr class="translation-{}"><th scope="row">{}</th><td><strong>{}</strong>'
                    "</td><td>{}</td><td>{}</td></tr>",
                    version.state,
                    version.language_name,
                    version.label,
                    link,
                    actions,
                )
            )
            if version.state == TranslationState.OUTDATED:
                rows.append(self._changes_row(article))
        assign = ""
        if missing and can_start and translation.may_assign_translations(user):
            assign = self._assignee_select(user)
        return format_html(
            '<table class="translations-panel"><thead><tr><th scope="col">Language</th>'
            '<th scope="col">State</th><th scope="col">Version</th><th scope="col"></th>'
            "</tr></thead><tbody>{}</tbody></table>{}"
            "<p><small>These buttons act at once: save your edits first.</small></p>",
            mark_safe("".join(rows)),
            assign,
        )

    @staticmethod
    def _changes_row(article):
        changes = translation.source_changes(article)
        if changes is None:
            body = "There is no record of the source's words at the last sync."
        elif not changes:
            body = "Only the source's markup changed (formatting or links), not its words."
        else:
            body = format_html_join(
                "",
                '<h4>{}</h4><div class="source-diff" style="white-space:pre-wrap">{}</div>',
                ((change.label, _coloured(change.diff)) for change in changes),
            )
        return format_html(
            '<tr class="translation-changes"><td colspan="4"><details open><summary>What changed '
            "in the {} source since this translation was last synced</summary>{}</details></td>"
            "</tr>",
            language_name(article.translation_of.language),
            body,
        )

    @staticmethod
    def _assignee_select(user, selected=None):
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (u.pk, " selected" if u.pk == selected else "", _person(u))
                for u in translation.translators().exclude(pk=user.pk)
            ),
        )
        return format_html(
            '<p><label for="id_translation_assignee">New translations go to:</label> '
            '<select name="translation_assignee" id="id_translation_assignee">'
            '<option value="{}">Me ({})</option>{}</select></p>',
            user.pk,
            _person(user),
            options,
        )

    def translate_view(self, request, object_id, language):
        """GET: a page to choose the translator; POST: start the translation."""
        source = self._article_or_404(request, object_id)
        if request.method == "POST":
            assignee = None
            chosen = request.POST.get("translation_assignee", "")
            if chosen and chosen != str(request.user.pk):
                assignee = translation.translators().filter(pk=chosen).first()
                if assignee is None:
                    messages.error(request, "That person cannot be given translations.")
                    return self._back(request, source)
            try:
                draft = translation.start_translation(
                    source, language=language, user=request.user, assignee=assignee
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _message(error))
                return self._back(request, source)
            messages.success(
                request,
                f"Started the {language_name(language)} translation for {_person(draft.owner)}: "
                "this draft is a copy of the source, ready to translate.",
            )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[draft.pk]))
        if language not in language_codes():
            raise Http404(f"“{language}” is not one of the newsroom's languages.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Translate into {language_name(language)}",
            "source": source,
            "language": language,
            "language_name": language_name(language),
            "assign": translation.may_assign_translations(request.user),
            "assignee_select": self._assignee_select(request.user),
            "may_start": translation.may_start_translation(request.user),
            "existing": source.versions().filter(language=language).first(),
        }
        return TemplateResponse(request, "admin/articles/article/translate.html", context)

    def mark_synced_view(self, request, object_id):
        """GET: what changed in the source since the last sync; POST: mark it synced."""
        article = self._article_or_404(request, object_id)
        if article.translation_of_id is None:
            messages.error(request, "This article is not a translation: nothing to sync.")
            return self._back(request, article)
        if request.method == "POST":
            try:
                translation.mark_synced(article, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _message(error))
            else:
                messages.success(
                    request,
                    f"“{article.title}” is marked in sync with its "
                    f"{language_name(article.translation_of.language)} source.",
                )
            return self._back(request, article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"What changed in the source of “{article.title}”",
            "article": article,
            "source": article.translation_of,
            "state": translation.translation_state(article),
            "changes": translation.source_changes(article),
            "may_sync": translation.may_mark_synced(request.user),
            "return_to": request.GET.get("return_to", ""),
        }
        return TemplateResponse(request, "admin/articles/article/mark_synced.html", context)


# -- mentions (people/linking.py) -------------------------------------------------------------


class MentionLinkingAdminMixin:
    """Suggested mentions with one-click accept, for ArticleAdmin."""

    def get_urls(self):
        app, model = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/mentions/",
                self.admin_site.admin_view(self.mentions_view),
                name=f"{app}_{model}_mentions",
            ),
        ] + super().get_urls()

    @admin.display(description="suggested mentions")
    def mention_suggestions(self, obj):
        if not obj or not obj.pk:
            return "Save the article first; then the people and companies it names are suggested."
        user = _viewer(obj)
        may_accept = bool(user) and can_edit(user, obj)
        linker = linking.Linker.load()
        found = linking.suggest_mentions(obj, linker=linker)
        accepted = {(linking.PERSON, pk) for pk in obj.people.values_list("pk", flat=True)}
        accepted |= {(linking.COMPANY, pk) for pk in obj.companies.values_list("pk", flat=True)}
        suggestions = [s for s in found if (s.kind, s.entity.pk) not in accepted]
        url = reverse("admin:articles_article_mentions", args=[obj.pk])
        items = [_suggestion_html(s, url if may_accept else None) for s in suggestions]
        confident = [s for s in suggestions if s.confident]
        parts = []
        if items:
            parts.append(
                format_html('<ul class="mention-suggestions">{}</ul>', mark_safe("".join(items)))
            )
        else:
            parts.append(
                format_html("<p>{}</p>", "No new suggestions: every name found is linked.")
            )
        if may_accept and len(confident) > 1:
            parts.append(
                format_html(
                    '<p><button type="submit" class="button" formmethod="post" formaction="{}" '
                    'name="accept_all" value="1">Accept all {} confident suggestions</button></p>',
                    url,
                    len(confident),
                )
            )
        named = {(s.kind, s.entity.pk) for s in found}
        unnamed = sorted(
            linker.entities[key].name for key in accepted - named if key in linker.entities
        )
        if unnamed:
            parts.append(
                format_html(
                    "<p><small>Linked but not named in the text: {}.</small></p>",
                    ", ".join(unnamed),
                )
            )
        parts.append(
            format_html(
                '<p><small><a href="{}">All suggestions</a> · Accepted mentions are the '
                "people and companies above; pages and feeds use them.</small></p>",
                url,
            )
        )
        return mark_safe("".join(parts))

    def mentions_view(self, request, object_id):
        """GET: the suggestions on a page of their own; POST: accept some or all of them."""
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_permission(request, article):
            raise Http404("No such article.")
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        if request.method == "POST":
            return self._accept(request, article, change_url)
        suggestions = linking.pending_suggestions(article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Suggested mentions in “{article.title}”",
            "article": article,
            "confident": [s for s in suggestions if s.confident],
            "ambiguous": [s for s in suggestions if not s.confident],
            "may_accept": can_edit(request.user, article),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/articles/article/mentions.html", context)

    def _accept(self, request, article, change_url):
        linker = linking.Linker.load()
        if request.POST.get("accept_all"):
            pending = linking.pending_suggestions(article, linker=linker)
            people, companies = linking.confident_mentions(pending)
        else:
            people, companies = [], []
            for value in request.POST.getlist("accept"):
                kind, _sep, pk = value.partition(":")
                entity = linker.entities.get((kind, int(pk))) if pk.isdigit() else None
                if entity is None:
                    return HttpResponseBadRequest(
                        f"“{value}” names no person or company (expected person:ID or "
                        "company:ID). Nothing was linked.".encode()
                    )
                (people if kind == linking.PERSON else companies).append(entity)
        if not people and not companies:
            messages.warning(request, "Nothing to link.")
            return HttpResponseRedirect(request.POST.get("next") or change_url)
        try:
            accept_mentions(article, user=request.user, people=people, companies=companies)
        except PermissionDenied as error:
            raise PermissionDenied(_message(error)) from None
        names = ", ".join(e.name for e in [*people, *companies])
        messages.success(request, f"Linked {names}.")
        target = request.POST.get("next", "")
        if target != reverse("admin:articles_article_mentions", args=[article.pk]):
            target = change_url
        return HttpResponseRedirect(target)


def _suggestion_html(suggestion, accept_url):
    kind = "person" if suggestion.kind == linking.PERSON else "company"
    found = ", ".join(f"“{surface}”" for surface in suggestion.found_as)
    times = f" ({suggestion.count}×)" if suggestion.count > 1 else ""
    doubt = ""
    if suggestion.ambiguous:
        doubt = "ambiguous: " + "; ".join(suggestion.reasons)
        if suggestion.alternatives:
            doubt += " — could also be " + " or ".join(e.name for e in suggestion.alternatives)
    button = ""
    if accept_url:
        button = format_html(
            ' <button type="submit" class="button" formmethod="post" formaction="{}" '
            'name="accept" value="{}">Accept {}</button>',
            accept_url,
            suggestion.key,
            suggestion.entity.name,
        )
    return format_html(
        '<li class="{}"><strong>{}</strong> ({}) found as {}{}{}{}</li>',
        "suggestion-confident" if suggestion.confident else "suggestion-ambiguous",
        suggestion.entity.name,
        kind,
        found,
        times,
        format_html(" <em>{}</em>", doubt) if doubt else "",
        button,
    )


def _coloured(diff):
    """The diff with colours inline (the change page has no stylesheet of ours)."""
    return mark_safe(
        diff.replace("<del>", '<del style="background:#fde2e1;color:#8a1c14">').replace(
            "<ins>", '<ins style="background:#dff5e1;color:#14532d;text-decoration:none">'
        )
    )


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def _person(user) -> str:
    if user is None:
        return "nobody"
    return user.get_full_name() or user.get_username()


def _message(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You do not have permission to do that."


@admin.register(Article)
class ArticleAdmin(
    ArticleDeskMixin,
    ConcurrencyAdminMixin,
    TranslationAdminMixin,
    MentionLinkingAdminMixin,
    VersionAdmin,
):
    # Workflow, permissions, history, previews: ArticleDeskMixin (articles/admin_desk.py).
    # No lost edits: ConcurrencyAdminMixin. Translations panel and mention suggestions:
    # TranslationAdminMixin and MentionLinkingAdminMixin (above).
    list_display = ["title", "language", "workflow_state", "published_at", "owner", "updated_at"]
    list_select_related = ["owner"]
    list_filter = [
        WorkflowStateFilter, "language", TranslationStateFilter,
        ("owner", admin.RelatedOnlyFieldListFilter), "sections", "storylines", "published_at",
    ]  # fmt: skip
    search_fields = ["title", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "authors", "people", "companies", "quotes", "related", "lead_image", "translation_of",
        "owner",
    ]  # fmt: skip
    filter_horizontal = ["sections"]
    readonly_fields = [
        "status_label", "translations_panel", "mention_suggestions", "first_published_at",
        "revised_at",
    ]  # fmt: skip
    # Panels below carry buttons; with the save buttons on top, Enter in a field still saves.
    save_on_top = True
    inlines = [StorylineEntryInline]
    fieldsets = [
        (None, {"fields": ["language", "title", "slug", "standfirst", "body"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status_label", "published_at", "first_published_at", "revised_at", "owner",
                ]
            },
        ),
        (
            "Byline and source",
            {"fields": ["authors", "byline_note", "source", "source_url", "dateline"]},
        ),
        ("Picture", {"fields": ["lead_image"]}),
        ("Linked", {"fields": [
            "people", "companies", "mention_suggestions", "quotes", "sections", "related",
        ]}),
        ("Translation", {"fields": ["translation_of", "translations_panel"]}),
    ]  # fmt: skip

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        return obj.display_status

    def save_model(self, request, obj, form, change):
        if not change and obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)


@admin.register(Storyline)
class StorylineAdmin(VersionAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [StorylineEntryInline]


@admin.register(Section)
class SectionAdmin(VersionAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Image)
class ImageAdmin(VersionAdmin):
    list_display = ["thumbnail", "alt_text", "credit", "width", "height", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["thumbnail", "width", "height"]

    @admin.display(description="preview")
    def thumbnail(self, obj):
        if not obj.file:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" style="max-height:60px;max-width:120px">',
            obj.file.url,
            obj.alt_text,
        )


@admin.register(ArticleEvent)
class ArticleEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "article", "transition", "from_status", "to_status", "actor"]
    list_select_related = ["article", "actor"]
    list_filter = ["transition", "to_status"]
    search_fields = ["article__title", "comment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
