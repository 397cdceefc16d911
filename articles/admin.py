"""The admin's declarations for articles: what each list shows and each form holds.

ArticleAdmin is composed of mixins, one per concern, in `articles/desk/`: the workflow,
history and previews (workflow_admin), translations (translation_admin), review banners
and notifications (review_admin) and suggested mentions (mentions_admin); no lost edits
comes from `newsroom/concurrency.py`.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from articles import renditions
from articles.desk import article_list, editor
from articles.desk.article_list import (
    CappedPaginator,
    OwnerFilter,
    PublishedYearFilter,
    SectionFilter,
    StorylineFilter,
)
from articles.desk.editor import BodyEditorWidget, ImagePickerAdminMixin
from articles.desk.import_admin import ImportBatchAdmin
from articles.desk.mentions_admin import MentionLinkingAdminMixin
from articles.desk.names_admin import TranslatedNamesAdminMixin
from articles.desk.review_admin import ReviewAdminMixin
from articles.desk.staging_admin import StagedChangesAdminMixin
from articles.desk.translation_admin import TranslationAdminMixin, TranslationStateFilter
from articles.desk.widgets import autocomplete_widget
from articles.desk.workflow_admin import ArticleDeskMixin, WorkflowStateFilter
from articles.models import (
    Article,
    ArticleEvent,
    Image,
    ImportBatch,
    Section,
    Storyline,
    StorylineEntry,
)
from newsroom.concurrency import ConcurrencyAdminMixin
from newsroom.languages import language_codes
from newsroom.permissions import ObjectRulesAdminMixin, ObjectRulesInlineMixin


class LabelledInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = "Delete this row"


class StorylineEntryInline(ObjectRulesInlineMixin, admin.TabularInline):
    model = StorylineEntry
    formset = LabelledInlineFormSet
    extra = 0
    autocomplete_fields = ["storyline", "article"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A table's cells have no labels of their own: each box names its column.
        if (widget := autocomplete_widget(self, db_field, request)) is not None:
            kwargs["widget"] = widget
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and not formfield.widget.is_hidden:
            name = str(db_field.verbose_name)
            formfield.widget.attrs.setdefault("aria-label", name[:1].upper() + name[1:])
        return formfield


@admin.register(Article)
class ArticleAdmin(
    StagedChangesAdminMixin,
    ArticleDeskMixin,
    ConcurrencyAdminMixin,
    TranslationAdminMixin,
    ReviewAdminMixin,
    MentionLinkingAdminMixin,
    VersionAdmin,
):
    list_display = ["title", "language", "workflow_state", "published", "owner", "updated"]
    list_select_related = ["owner"]
    list_filter = [
        WorkflowStateFilter, "language", TranslationStateFilter, ("owner", OwnerFilter),
        SectionFilter, StorylineFilter, "published_at", PublishedYearFilter,
    ]  # fmt: skip
    # At archive size (see articles/desk/article_list.py): a capped count, no count of the
    # whole table, no date_hierarchy (a DISTINCT over every row's date), and search through
    # the full-text index (get_search_results); search_fields names what it covers.
    paginator = CappedPaginator
    change_list_template = "admin/articles/article/change_list.html"
    list_per_page = 50  # a screenful or two; each row costs ~1 ms to draw
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # a count per filter choice over the archive
    search_fields = ["title", "standfirst", "body", "slug"]
    search_help_text = "Words of the title or text, as the site search finds them; or a slug."
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "authors", "people", "companies", "quotes", "related", "lead_image", "translation_of",
        "owner",
    ]  # fmt: skip
    readonly_fields = [
        "status_label", "translations_panel", "mention_suggestions", "first_published_at",
        "revised_at", "body_rendered",
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

    class Media:
        # Autosave in this browser, a warning before leaving unsaved edits; the form's
        # layout (wide title, rendered read-only body, a list that reads at 1280 px).
        css = {"all": ["admin/article-form.css"]}
        js = ["admin/js/desk-form.js"]

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        return obj.display_status

    def get_changelist(self, request, **kwargs):
        return article_list.DeskChangeList

    # The list's dates, short (one line each at 1280 px), in the site's time zone.
    @admin.display(description="published at", ordering="published_at")
    def published(self, obj):
        return article_list.short_stamp(obj.published_at)

    @admin.display(description="updated at", ordering="updated_at")
    def updated(self, obj):
        return article_list.short_stamp(obj.updated_at)

    @admin.display(description="body")
    def body_rendered(self, obj):
        return editor.rendered_body(obj.body)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only: the body as readers see it, not its markup.
        return [
            (
                name,
                {**opts, "fields": ["body_rendered" if f == "body" else f for f in opts["fields"]]},
            )
            for name, opts in fieldsets
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if (widget := autocomplete_widget(self, db_field, request)) is not None:
            kwargs["widget"] = widget
        elif db_field.name == "sections":
            # A handful of sections: boxes to tick, readable without a script.
            kwargs["widget"] = forms.CheckboxSelectMultiple
        if db_field.name == "body":
            kwargs["help_text"] = editor.HELP_TEXT
            kwargs["widget"] = BodyEditorWidget(
                image_picker=self.admin_site.is_registered(Image)
                and request.user.has_perm("articles.view_image")
            )
        elif db_field.name == "standfirst":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        # A new article starts in the language of the person's latest one (else the site's).
        initial = super().get_changeform_initial_data(request)
        if "language" not in initial:
            latest = (
                Article.objects.filter(owner=request.user)
                .order_by("-updated_at")
                .values_list("language", flat=True)
                .first()
            )
            initial["language"] = latest if latest in language_codes() else language_codes()[0]
        return initial

    def get_search_results(self, request, queryset, search_term):
        return article_list.search(queryset, search_term), False

    def save_model(self, request, obj, form, change):
        if not change and obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)


@admin.register(Storyline)
class StorylineAdmin(TranslatedNamesAdminMixin, VersionAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [StorylineEntryInline]


@admin.register(Section)
class SectionAdmin(TranslatedNamesAdminMixin, VersionAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class RenditionsFilter(admin.SimpleListFilter):
    title = "renditions"
    parameter_name = "renditions"

    def lookups(self, request, model_admin):
        return [("failed", "Failed"), ("made", "Made"), ("waiting", "Not made yet")]

    def queryset(self, request, queryset):
        failed = Q(renditions_failed_at__isnull=False)
        made = Q(renditions__has_key="key")
        if self.value() == "failed":
            return queryset.filter(failed)
        if self.value() == "made":
            return queryset.filter(made)
        if self.value() == "waiting":
            return queryset.exclude(failed | made)
        return queryset


@admin.register(Image)
class ImageAdmin(ImagePickerAdminMixin, ObjectRulesAdminMixin, VersionAdmin):
    list_display = [
        "thumbnail", "alt_text", "credit", "width", "height", "renditions_state", "created_at",
    ]  # fmt: skip
    list_filter = [RenditionsFilter]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["thumbnail", "width", "height", "renditions_detail"]
    actions = ["make_renditions_again"]

    class Media:
        css = {"all": ["admin/newsroom-desk.css"]}  # the thumbnail's size (no style attributes)

    @admin.display(description="preview")
    def thumbnail(self, obj):
        if not obj.file:
            return "—"
        made = renditions.recorded(obj)  # the smallest copy, not a 20 MB original per row
        return format_html(
            '<img class="image-thumbnail" src="{}" alt="{}">',
            made.fallback[0].url if made else obj.file.url,
            obj.alt_text,
        )

    @admin.display(description="renditions")
    def renditions_state(self, obj):
        """Made, failed (and why), or not yet: pages show the original until they are made."""
        if not obj.file:
            return "—"
        if renditions.recorded(obj) is not None:
            return "made"
        if renditions.failed_for_current_file(obj):
            failed = '<strong style="color:#ba2121">Failed:</strong> {}'
            return format_html(failed, obj.renditions_error)
        return "not made yet"

    @admin.display(description="renditions")
    def renditions_detail(self, obj):
        """The list's word, and for a failure when it happened and what to do."""
        if not obj or not obj.file or not renditions.failed_for_current_file(obj):
            return self.renditions_state(obj) if obj and obj.file else "—"
        when = date_format(timezone.localtime(obj.renditions_failed_at), "DATETIME_FORMAT")
        return format_html(
            '<strong style="color:#ba2121">Failed</strong> {}: {}.<br>Pages show the original '
            "picture meanwhile. Upload a repaired file, or select the image in the list and "
            "choose “Make renditions again”. (Errors that may pass, like storage out of "
            "reach, are tried again by the background jobs on their own.)",
            when,
            obj.renditions_error,
        )

    @admin.action(description="Make renditions again", permissions=["change"])
    def make_renditions_again(self, request, queryset):
        # Background jobs (articles.jobs), not this request: a few seconds per big picture.
        images = list(queryset.exclude(file=""))
        for image in images:
            renditions.schedule_renditions(image)
        self.message_user(
            request,
            f"Renditions of {len(images)} image(s) will be made in the background; the "
            "list shows them as made (or why not) when they are.",
            messages.SUCCESS,
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


admin.site.register(ImportBatch, ImportBatchAdmin)
