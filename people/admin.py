from django.contrib import admin
from reversion.admin import VersionAdmin

from newsroom.concurrency import ConcurrencyAdminMixin, ConcurrencyInlineMixin
from newsroom.permissions import ObjectRulesAdminMixin, ObjectRulesInlineMixin

from .models import Company, Person, Position, Quote, QuoteTranslation


class PositionInline(ObjectRulesInlineMixin, admin.TabularInline):
    model = Position
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["company", "successor"]
    fields = [
        "title", "company", "start_date", "start_precision", "end_date", "end_precision",
        "ending", "successor",
    ]  # fmt: skip


class QuoteInline(ObjectRulesInlineMixin, ConcurrencyInlineMixin, admin.StackedInline):
    model = Quote
    extra = 0
    fields = ["text", "language", "rendered_from", "said_on", "said_on_precision", "context"]
    show_change_link = True


class QuoteTranslationInline(ObjectRulesInlineMixin, admin.TabularInline):
    model = QuoteTranslation
    extra = 0


@admin.register(Person)
class PersonAdmin(ObjectRulesAdminMixin, ConcurrencyAdminMixin, VersionAdmin):
    list_display = ["name", "native_name", "slug", "updated_at"]
    search_fields = ["name", "native_name", "aliases", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]
    inlines = [PositionInline, QuoteInline]


@admin.register(Company)
class CompanyAdmin(ObjectRulesAdminMixin, ConcurrencyAdminMixin, VersionAdmin):
    list_display = ["name", "native_name", "parent", "tickers", "updated_at"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "native_name", "aliases", "tickers", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Position)
class PositionAdmin(ObjectRulesAdminMixin, VersionAdmin):
    list_display = ["person", "title", "company", "start_display", "end_display", "ending"]
    list_select_related = ["person", "company"]
    list_filter = ["ending", ("company", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["person__name", "company__name", "title"]
    autocomplete_fields = ["person", "company", "successor", "sources"]

    @admin.display(description="start", ordering="start_date")
    def start_display(self, obj):
        return obj.start_display or "—"

    @admin.display(description="end", ordering="end_date")
    def end_display(self, obj):
        return obj.end_display or "—"


@admin.register(Quote)
class QuoteAdmin(ObjectRulesAdminMixin, ConcurrencyAdminMixin, VersionAdmin):
    list_display = ["__str__", "speaker", "language", "rendered_from", "said_on", "context"]
    list_select_related = ["speaker"]
    list_filter = ["language", ("speaker", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["text", "speaker__name", "translations__text", "context"]
    autocomplete_fields = ["speaker"]
    inlines = [QuoteTranslationInline]
