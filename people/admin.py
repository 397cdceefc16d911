from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.admin import VersionAdmin

from newsroom.concurrency import ConcurrencyAdminMixin, ConcurrencyInlineMixin
from newsroom.permissions import ObjectRulesAdminMixin, ObjectRulesInlineMixin

from . import records
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


class EntityRecordsMixin:
    """Deleting a person or company never silently changes a published article: refused
    (with the articles named) while one names them, links kept for recovery otherwise
    (people/records.py)."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for entity in objs:
            named = records.published_articles_naming(entity).order_by("-published_at")
            for article in named[: records.SHOWN_IN_REFUSAL]:
                protected.append(f"Published article: {article.title} [{article.language}]")
        return deleted, counts, perms_needed, protected

    def delete_view(self, request, object_id, extra_context=None):
        entity = self.get_object(request, object_id)
        refusal = records.deletion_refusal(entity) if entity is not None else None
        if refusal:
            messages.error(request, refusal)
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        try:
            records.delete_entity(obj, user=request.user)
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from None

    def delete_queryset(self, request, queryset):
        for entity in queryset:
            self.delete_model(request, entity)

    def recover_view(self, request, version_id, extra_context=None):
        """GET: reversion's preview of the record. POST: recover it with its links."""
        if request.method != "POST":
            return super().recover_view(request, version_id, extra_context)
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(records.deleted_versions(self.model), pk=version_id)
        try:
            entity = records.recover_entity(version, user=request.user)
        except ValidationError as error:
            messages.error(request, "Could not recover: " + " ".join(error.messages))
            return HttpResponseRedirect(request.path)
        messages.success(request, f"Recovered {entity.name}, linked again where it was.")
        opts = self.opts
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entity.pk])
        )


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(queryset=Person.objects.none(), widget=forms.RadioSelect)


@admin.register(Person)
class PersonAdmin(EntityRecordsMixin, ObjectRulesAdminMixin, ConcurrencyAdminMixin, VersionAdmin):
    list_display = ["name", "native_name", "slug", "updated_at"]
    search_fields = ["name", "native_name", "aliases", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]
    inlines = [PositionInline, QuoteInline]
    actions = ["merge_duplicates"]

    @admin.action(description="Merge duplicate people…", permissions=["merge"])
    def merge_duplicates(self, request, queryset):
        """Choose the person who stays; the others' mentions, bylines, quotes and roles
        move to them, and the others' pages redirect to theirs."""
        chosen = list(queryset.order_by("name", "pk")[:20])
        if len(chosen) < 2:
            messages.warning(
                request, "Select two or more people: the duplicates and the one to keep."
            )
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None)
        form.fields["keep"].queryset = queryset
        if form.is_bound and form.is_valid():
            keep = form.cleaned_data["keep"]
            try:
                records.merge_people(
                    keep, [p for p in chosen if p.pk != keep.pk], user=request.user
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
                return None
            merged = ", ".join(p.name for p in chosen if p.pk != keep.pk)
            messages.success(
                request, f"Merged {merged} into {keep.name}; their pages now lead to {keep.name}'s."
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Merge duplicate people",
            "people": [(p, records.articles_naming(p).count()) for p in chosen],
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/people/person/merge.html", context)

    def has_merge_permission(self, request):
        return request.user.has_perm("people.change_person") and request.user.has_perm(
            "people.delete_person"
        )


@admin.register(Company)
class CompanyAdmin(EntityRecordsMixin, ObjectRulesAdminMixin, ConcurrencyAdminMixin, VersionAdmin):
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
