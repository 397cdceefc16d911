"""Wire import in the admin: upload several files, watch them being imported by the
background worker, then read the same report as `import_articles` prints."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from articles.importer import REJECTED, ImportResult, batch_summary, queue_import, too_large
from newsroom.languages import language_choices

# Django refuses a request with more files than this (DATA_UPLOAD_MAX_NUMBER_FILES).
MAX_FILES = settings.DATA_UPLOAD_MAX_NUMBER_FILES or 100


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            return [super().clean(None, initial)]  # "This field is required."
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class WireUploadForm(forms.Form):
    files = MultipleFileField(
        label="Wire files",
        help_text=(
            "Plain UTF-8 text, one story to a file: the first line is the headline. "
            f"Up to {MAX_FILES} files at once."
        ),
    )
    language = forms.ChoiceField(
        required=False, help_text="Leave empty to detect each file's language."
    )
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        help_text="Who owns the new drafts (empty: nobody yet).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "Detect"), *language_choices()]
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
        )


def _read(upload) -> bytes | ImportResult:
    """An uploaded file's bytes, or its rejection when it is over the size limit."""
    if upload.size > settings.IMPORT_MAX_FILE_BYTES:
        return ImportResult(upload.name, REJECTED, too_large(upload.size))
    return upload.read()


class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "created_by", "state"]
    list_select_related = ["created_by"]
    readonly_fields = ["created_at", "created_by", "owner", "language", "state", "report"]
    fields = readonly_fields
    change_form_template = "admin/articles/importbatch/change_form.html"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="progress")
    def state(self, obj):
        if obj.finished_at:
            return f"Done: {obj.done} of {obj.total} files."
        return (
            f"{obj.done} of {obj.total} files done; the background worker imports the "
            "rest (this page refreshes itself)…"
        )

    @admin.display(description="outcome")
    def summary(self, obj):
        counts = batch_summary(obj)
        return ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n) or "—"

    @admin.display(description="report")
    def report(self, obj):
        lines = obj.files.filter(result__isnull=False).values_list("line", flat=True)
        return format_html(
            '<p>{}</p><pre class="import-report">{}</pre>', self.summary(obj), "\n".join(lines)
        )

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = WireUploadForm(request.POST if posted else None, request.FILES if posted else None)
        if posted and form.is_valid():
            batch = queue_import(
                [(upload.name, _read(upload)) for upload in form.cleaned_data["files"]],
                owner=form.cleaned_data["owner"],
                language=form.cleaned_data["language"] or None,
                created_by=request.user,
            )
            self.message_user(
                request,
                f"{batch.total} file(s) queued; this page shows them as they are imported.",
                messages.SUCCESS,
            )
            return redirect(reverse("admin:articles_importbatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import wire copy",
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/importbatch/upload.html", context)
