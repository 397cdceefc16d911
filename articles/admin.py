"""The admin's declarations for articles: what each list shows and each form holds.

ArticleAdmin is composed of mixins, one per concern, in `articles/desk/`: the workflow,
history and previews (workflow_admin), translations (translation_admin) and suggested
mentions (mentions_admin); no lost edits comes from `newsroom/concurrency.py`.
"""

from django.contrib import admin
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from articles.desk import article_list
from articles.desk.article_list import (
    CappedPaginator,
    OwnerFilter,
    PublishedYearFilter,
    SectionFilter,
    StorylineFilter,
)
from articles.desk.mentions_admin import MentionLinkingAdminMixin
from articles.desk.translation_admin import TranslationAdminMixin, TranslationStateFilter
from articles.desk.workflow_admin import ArticleDeskMixin, WorkflowStateFilter
from articles.models import Article, ArticleEvent, Image, Section, Storyline, StorylineEntry
from newsroom.concurrency import ConcurrencyAdminMixin


class StorylineEntryInline(admin.TabularInline):
    model = StorylineEntry
    extra = 0
    autocomplete_fields = ["storyline", "article"]


@admin.register(Article)
class ArticleAdmin(
    ArticleDeskMixin,
    ConcurrencyAdminMixin,
    TranslationAdminMixin,
    MentionLinkingAdminMixin,
    VersionAdmin,
):
    list_display = ["title", "language", "workflow_state", "published_at", "owner", "updated_at"]
    list_select_related = ["owner"]
    list_filter = [
        WorkflowStateFilter, "language", TranslationStateFilter, ("owner", OwnerFilter),
        SectionFilter, StorylineFilter, "published_at", PublishedYearFilter,
    ]  # fmt: skip
    # At archive size (see articles/desk/article_list.py): a capped count, no count of the
    # whole table, no date_hierarchy (a DISTINCT over every row's date), and search through
    # the full-text index (get_search_results); search_fields names what it covers.
    paginator = CappedPaginator
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

    def get_search_results(self, request, queryset, search_term):
        return article_list.search(queryset, search_term), False

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
