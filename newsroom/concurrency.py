"""No lost edits: optimistic concurrency for admin change forms.

Each versioned model has an `edit_version` counter. The change form carries the value it
was opened with; saving compares it with the database and moves it on in one
compare-and-set (`UPDATE … SET edit_version = n + 1 WHERE pk = … AND edit_version = n`),
under a row lock taken when the object is read for the save. A stale form is refused
with what the other person changed, and the editor's own input stays in the form so
they can merge by hand and save again.
"""

from dataclasses import dataclass

from django import forms
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.safestring import SafeString
from reversion.models import Version

from newsroom.text import plain_text, word_diff

FIELD = "edit_version"


class EditConflict(Exception):
    """The row moved on between reading it and writing it (an inline row, which is not
    locked, or any row where the database has no row locks); the save is rolled back
    whole."""


@dataclass(frozen=True)
class OtherChange:
    label: str
    theirs_before: SafeString
    theirs_now: SafeString


@dataclass(frozen=True)
class Conflict:
    """What someone else saved since the form was opened."""

    by: str
    at: object
    changes: list[OtherChange]
    seen_version: int
    current_version: int


def advance_version(obj: models.Model, *, seen: int, following: int) -> bool:
    """The compare-and-set: move `obj`'s counter from `seen` to `following` only if nobody
    else has moved it; True when this call did."""
    claimed = (
        type(obj)._default_manager.filter(pk=obj.pk, **{FIELD: seen}).update(**{FIELD: following})
    )
    if claimed == 1:
        setattr(obj, FIELD, following)
    return claimed == 1


def _display(obj: models.Model, field: models.Field, value) -> str:
    if value in (None, ""):
        return ""
    if field.many_to_many:
        names = {o.pk: str(o) for o in field.related_model._default_manager.filter(pk__in=value)}
        return "\n".join(sorted(names.get(pk, f"#{pk}") for pk in value))
    if field.is_relation:
        target = field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    text = str(value)
    return plain_text(text) if "<" in text and ">" in text else text


def describe_conflict(obj: models.Model, seen: int, field_names: list[str]) -> Conflict:
    """Who changed `obj` since version `seen`, and how, field by field (a word diff from
    what the form was opened with to what is saved now)."""
    versions = Version.objects.get_for_object(obj).select_related("revision__user")
    base, latest = None, None
    for version in versions[:50]:
        stamp = version.field_dict.get(FIELD)
        if latest is None:
            latest = version
        if stamp is not None and stamp <= seen:
            base = version
            break
    current_version = getattr(obj, FIELD)
    changes = []
    if base is not None:
        before = base.field_dict
        for name in field_names:
            try:
                field = obj._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field, such as a comment
                continue
            if not getattr(field, "concrete", False) and not field.many_to_many:
                continue
            if field.many_to_many:
                now = list(getattr(obj, name).values_list("pk", flat=True))
                old = list(before.get(name) or [])
                if set(now) == set(old):
                    continue
            else:
                now, old = getattr(obj, field.attname), before.get(field.attname)
                if now == old:
                    continue
            old_text, new_text = _display(obj, field, old), _display(obj, field, now)
            left, right = word_diff(old_text, new_text)
            label = str(field.verbose_name).capitalize()
            changes.append(OtherChange(label, left, right))
    who = "Someone"
    when = getattr(obj, "updated_at", None) or timezone.now()
    if latest is not None:
        user = latest.revision.user
        if user is not None:
            who = user.get_full_name() or user.get_username()
        when = latest.revision.date_created
    return Conflict(who, when, changes, seen, current_version)


class ConcurrencyAdminMixin:
    """For a ModelAdmin (before VersionAdmin in the bases) of a model with `edit_version`."""

    change_form_template = "admin/edit_version_change_form.html"
    revision_form_template = "admin/edit_version_revision_form.html"
    recover_form_template = "admin/edit_version_recover_form.html"

    # Reading the object for a save: fresh, and locked until the save commits.
    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None or request.method != "POST":
            return obj
        using = router.db_for_write(self.model)
        if not transaction.get_connection(using).in_atomic_block:
            return obj
        return self.model._default_manager.using(using).select_for_update().get(pk=obj.pk)

    def get_fields(self, request, obj=None):
        # The stamp is rendered by the template (hidden), not laid out as a field.
        return [f for f in super().get_fields(request, obj) if f != FIELD]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form_class
        # Reverting through reversion's form rewinds the row first; compare with the
        # version that was current before the revert (see revision_view).
        reference = getattr(request, "_edit_version_before_revert", None)
        # Set when the save lost its compare-and-set twice: the form is shown again with
        # what was typed in it, and nothing is saved.
        lost_twice = getattr(request, "_edit_version_lost_twice", False)

        class EditVersionForm(form_class):
            edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                current = reference if reference is not None else self.instance.edit_version
                # In `initial` (not only the field's) so code that builds a POST from
                # form.initial carries the stamp too.
                self.initial[FIELD] = current
                self.edit_conflict = None

            def clean(self):
                cleaned = super().clean()
                seen = cleaned.get(FIELD)
                current = reference if reference is not None else self.instance.edit_version
                if seen is None:
                    raise ValidationError(
                        "This form has lost its version stamp. Copy your changes, reload the "
                        "page and apply them again."
                    )
                if lost_twice:
                    raise ValidationError(
                        "Someone else saved at the same moment; nothing was saved. Your text "
                        "is still in the form below: save again.",
                        code="edit_conflict",
                    )
                if seen != current:
                    self.edit_conflict = describe_conflict(
                        self.instance, seen, [n for n in self.fields if n != FIELD]
                    )
                    # Let the next save through once the editor has merged by hand.
                    self.data = self.data.copy()
                    self.data[self.add_prefix(FIELD)] = str(current)
                    raise ValidationError(
                        f"{self.edit_conflict.by} saved this while you were editing. Nothing "
                        "of yours is lost: your version is still in the form below. Compare it "
                        "with their changes (shown above), merge by hand, and save again.",
                        code="edit_conflict",
                    )
                return cleaned

        EditVersionForm.__name__ = form_class.__name__
        return EditVersionForm

    def save_model(self, request, obj, form, change):
        if change and FIELD in form.fields:
            self.claim_next_version(request, obj)
        super().save_model(request, obj, form, change)

    def claim_next_version(self, request, obj) -> None:
        """The compare-and-set: move the counter on only if nobody else has."""
        loaded = getattr(obj, FIELD)
        reference = getattr(request, "_edit_version_before_revert", None)
        following = (reference if reference is not None else loaded) + 1
        if not advance_version(obj, seen=loaded, following=following):
            raise EditConflict(f"{obj._meta.verbose_name} {obj.pk} changed during the save")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context.get("adminform").form if context.get("adminform") else None
        context["edit_conflict"] = getattr(form, "edit_conflict", None)
        context["edit_version_field"] = (
            form[FIELD] if form is not None and FIELD in form.fields else None
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        try:
            return super().change_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Nothing was written (the compare-and-set is the first write). Run the view
            # again: the form now sees the newer version and shows the conflict.
            try:
                return super().change_view(request, object_id, form_url, extra_context)
            except EditConflict:
                # Again: show the form once more, with what was typed, and save nothing.
                request._edit_version_lost_twice = True
                return super().change_view(request, object_id, form_url, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        using = router.db_for_write(self.model)
        with transaction.atomic(using=using):
            request._edit_version_before_revert = (
                self.model._default_manager.using(using)
                .select_for_update()
                .filter(pk=unquote(object_id))
                .values_list(FIELD, flat=True)
                .first()
            )
            return super().revision_view(request, object_id, version_id, extra_context)


class StampedInlineForm(forms.ModelForm):
    """An inline row of a model with `edit_version`: the same check, row by row, so an
    object edited inside another's page (a quote on its speaker's page) is not
    overwritten either."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial[FIELD] = getattr(self.instance, FIELD)

    def edited(self) -> bool:
        return bool(self.instance.pk) and any(f != FIELD for f in self.changed_data)

    def clean(self):
        cleaned = super().clean()
        if self.edited():
            seen, current = cleaned.get(FIELD), getattr(self.instance, FIELD)
            if seen != current:
                self.data = self.data.copy()
                self.data[self.add_prefix(FIELD)] = str(current)
                raise ValidationError(
                    f"Someone else changed this {self.instance._meta.verbose_name} since you "
                    f"opened the page; it now reads: “{self.instance}”. Your version is kept "
                    "below: merge by hand and save again.",
                    code="edit_conflict",
                )
        return cleaned

    def save(self, commit=True):
        if self.edited():
            seen = self.cleaned_data.get(FIELD)
            if not advance_version(self.instance, seen=seen, following=seen + 1):
                # The page's object is locked for the save, its inline rows are not: another
                # page may save this row in between. The error rolls back the whole save,
                # the page's object with it, and the change view runs again and shows the
                # conflict on this row.
                raise EditConflict(f"{self.instance} changed during the save; nothing saved")
        return super().save(commit)


class ConcurrencyInlineMixin:
    """For an InlineModelAdmin of a model with `edit_version`."""

    form = StampedInlineForm

    def get_fields(self, request, obj=None):
        # Listed so the inline's layout renders the hidden stamp on every row...
        fields = [f for f in super().get_fields(request, obj) if f != FIELD]
        return [*fields, FIELD]

    def get_formset(self, request, obj=None, **kwargs):
        # ...but not named to the form factory, which refuses non-editable model fields
        # (the form declares it).
        if "fields" not in kwargs:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
            kwargs["fields"] = [f for f in fields if f != FIELD]
        return super().get_formset(request, obj, **kwargs)
