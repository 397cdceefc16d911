"""Translations inside ArticleAdmin: the translations panel on the change page, the
"translation" list filter, "Translate into …" and "Mark synced", and the translator's
workspace (the source beside the title, standfirst and body of a translation, and a slug
suggested from the translated title).

Every button calls an operation of `articles/translation.py`. The panel's buttons belong
to the change page's form: they save what was typed, then act (`form_actions`, see
admin_base); the views below are the same steps on pages of their own.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles import translation
from articles.desk.admin_base import (
    ArticleAdminBase,
    parse_id,
    refusal_message,
    user_display_name,
    viewer_display,
)
from articles.translation import TranslationState
from newsroom.languages import language_codes, language_name


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
        if value in STATE_CONDITIONS:
            return queryset.filter(STATE_CONDITIONS[value])
        return queryset


# `translation.with_translation_state()` as one plain condition per state, for filtering:
# filtering on its CASE hides the rule from the planner, which then joins every
# translation to its source and sorts them all (0.2 s at 100 000 articles) where these let
# it walk an index in list order and stop at a page. Keep the two in step (a test checks).
_translated = Q(translation_of__isnull=False)
_outdated = ~Q(source_hash="") & ~Q(source_hash=F("translation_of__content_hash"))
STATE_CONDITIONS = {
    TranslationState.ORIGINAL: Q(translation_of__isnull=True),
    TranslationState.OUTDATED: _translated & _outdated,
    TranslationState.IN_PROGRESS: _translated & ~_outdated & Q(first_published_at__isnull=True),
    TranslationState.UP_TO_DATE: _translated & ~_outdated & Q(first_published_at__isnull=False),
}


def assignee_choices(user) -> dict:
    """Who a new translation may go to: the user first ("Me"), then every other translator."""
    return {
        "me": {"pk": user.pk, "name": user_display_name(user)},
        "others": [
            {"pk": other.pk, "name": user_display_name(other)}
            for other in translation.translators().exclude(pk=user.pk)
        ],
    }


class TranslationAdminMixin(ArticleAdminBase):
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

    # The translator's workspace ------------------------------------------------------

    # Each of these fields of a translation gets its source beside it, on the same line.
    WORKSPACE_FIELDS = {
        "title": "source_title",
        "standfirst": "source_standfirst",
        "body": "source_body",
        "slug": "slug_suggestion",
    }

    @property
    def media(self):
        return super().media + forms.Media(js=["admin/translation-workspace.js"])

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.translation_of_id:
            fields += list(self.WORKSPACE_FIELDS.values())
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.translation_of_id:
            return fieldsets
        pairs = self.WORKSPACE_FIELDS
        return [
            (name, {**options, "fields": [
                (field, pairs[field]) if isinstance(field, str) and field in pairs else field
                for field in options["fields"]
            ]})
            for name, options in fieldsets
        ]  # fmt: skip

    def _workspace(self, obj):
        """The source panes, worked out once per form (three fields show them)."""
        if "_source_workspace" not in obj.__dict__:
            obj._source_workspace = translation.source_workspace(obj)
        return obj._source_workspace

    def _source_pane(self, obj, field):
        workspace = self._workspace(obj)
        if workspace is None:
            return "—"
        return render_to_string(
            "admin/articles/article/_source_pane.html",
            {
                "workspace": workspace,
                "pane": workspace.panes[field],
                "field": field,
                "source_language": language_name(workspace.source.language),
            },
        )

    @admin.display(description="source title")
    def source_title(self, obj):
        return self._source_pane(obj, "title")

    @admin.display(description="source standfirst")
    def source_standfirst(self, obj):
        return self._source_pane(obj, "standfirst")

    @admin.display(description="source text, paragraph by paragraph")
    def source_body(self, obj):
        return self._source_pane(obj, "body")

    @admin.display(description="slug from the title")
    def slug_suggestion(self, obj):
        return render_to_string(
            "admin/articles/article/_slug_suggestion.html",
            {
                "article": obj,
                "suggestion": translation.suggested_slug(obj),
                "copied": translation.carries_copied_slug(obj),
            },
        )

    def save_model(self, request, obj, form, change):
        # Linking a translation by hand: it starts in sync with the source it now names.
        if "translation_of" in form.changed_data:
            translation.take_sync_baseline(obj)
        super().save_model(request, obj, form, change)

    def _back(self, request, article):
        """Where the button was pressed: the article named by `return_to`, or this one."""
        target = request.POST.get("return_to") or request.GET.get("return_to") or ""
        pk = parse_id(target) or article.pk
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    @viewer_display(description="translations")
    def translations_panel(self, request, obj):
        """Every language of the story: its state, what changed in an outdated one's
        source, and the buttons this user may press."""
        if not obj or not obj.pk:
            return "Save the article first; then it can be translated."
        user = request.user
        can_start = translation.may_start_translation(user)
        rows = []
        for version in translation.translations_panel(obj):
            outdated = version.state == TranslationState.OUTDATED
            rows.append(
                {
                    "version": version,
                    "article": version.article,
                    "outdated": outdated,
                    "changes": translation.source_changes(version.article) if outdated else None,
                    "source_language": (
                        language_name(version.article.translation_of.language) if outdated else ""
                    ),
                    "can_sync": outdated and translation.may_mark_synced(user, version.article),
                }
            )
        missing = any(row["article"] is None for row in rows)
        context = {
            "article": obj,
            "rows": rows,
            "can_start": can_start,
            "assignees": (
                assignee_choices(user)
                if missing and can_start and translation.may_assign_translations(user)
                else None
            ),
        }
        return render_to_string("admin/articles/article/_translations_panel.html", context)

    # The change form's buttons (saved first: see admin_base) ---------------------------

    def form_actions(self):
        return {
            **super().form_actions(),
            "_translate": self.translate_action,
            "_mark_synced": self.mark_synced_action,
        }

    def form_action_errors(self, request, article, action):
        errors = super().form_action_errors(request, article, action)
        if action == "_translate":
            if request.POST.get("_translate") not in language_codes():
                errors.append("Choose one of the newsroom's languages to translate into.")
            elif not translation.may_start_translation(request.user):
                errors.append("You may not start translations.")
        elif action == "_mark_synced" and not translation.may_mark_synced(request.user):
            errors.append("You may not mark translations as synced.")
        return errors

    def translate_action(self, request, source):
        return self._start(request, source, request.POST["_translate"])

    def mark_synced_action(self, request, article):
        chosen = request.POST.get("_mark_synced", "")
        version = article.versions().filter(pk=int(chosen) if chosen.isdigit() else None).first()
        if version is None or version.translation_of_id is None:
            raise ValidationError("That is not a translation of this story: nothing to sync.")
        translation.mark_synced(version, user=request.user)
        messages.success(
            request,
            f"“{version.title}” is marked in sync with its "
            f"{language_name(version.translation_of.language)} source.",
        )
        return HttpResponseRedirect(self.change_url(article))

    def _start(self, request, source, language):
        assignee = None
        chosen = request.POST.get("translation_assignee", "").strip()
        if chosen and parse_id(chosen) != request.user.pk:
            # Not a number (a forged or garbled form) is no one, like an unknown number.
            chosen_id = parse_id(chosen)
            assignee = chosen_id and translation.translators().filter(pk=chosen_id).first()
            if not assignee:
                messages.error(request, "That person cannot be given translations.")
                return self._back(request, source)
        try:
            draft = translation.start_translation(
                source, language=language, user=request.user, assignee=assignee
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_message(error))
            return self._back(request, source)
        messages.success(
            request,
            f"Started the {language_name(language)} translation for "
            f"{user_display_name(draft.owner)}: this draft is a copy of the source, "
            "ready to translate.",
        )
        return HttpResponseRedirect(self.change_url(draft))

    def translate_view(self, request, object_id, language):
        """GET: a page to choose the translator; POST: start the translation."""
        source = self.get_article(request, object_id)
        if request.method == "POST":
            return self._start(request, source, language)
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
            "assignees": assignee_choices(request.user),
            "may_start": translation.may_start_translation(request.user),
            "existing": source.versions().filter(language=language).first(),
        }
        return TemplateResponse(request, "admin/articles/article/translate.html", context)

    def mark_synced_view(self, request, object_id):
        """GET: what changed in the source since the last sync; POST: mark it synced."""
        article = self.get_article(request, object_id)
        if article.translation_of_id is None:
            messages.error(request, "This article is not a translation: nothing to sync.")
            return self._back(request, article)
        if request.method == "POST":
            try:
                translation.mark_synced(article, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, refusal_message(error))
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
            "may_sync": translation.may_mark_synced(request.user, article),
            "return_to": request.GET.get("return_to", ""),
        }
        return TemplateResponse(request, "admin/articles/article/mark_synced.html", context)
