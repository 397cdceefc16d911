"""Sections and story threads in the admin: their names in every language we publish in.

The model keeps the other languages' words in one JSON column (`TranslatedNames`); the
form shows them as ordinary fields, one per language and translated field ("Title
(Nederlands)"), made when the form is asked for, so a language added to the settings
appears without a migration or a restart of anything but the app.
"""

from django import forms
from django.conf import settings
from django.db import models

from articles.models import TranslatedNames


def _field_name(field: str, code: str) -> str:
    return f"{field}__{code}"


class TranslatedNamesForm(forms.ModelForm):
    """Fills the per-language fields from `translations` and writes them back."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.translations or {}
        for code, words in stored.items():
            for field, text in (words or {}).items():
                name = _field_name(field, code)
                if name in self.fields and name not in self.initial:
                    self.initial[name] = text

    def _post_clean(self):
        # Before the model's own validation, which trims and drops empty words.
        translations = {}
        for code, _name in settings.LANGUAGES[1:]:
            for field in self._meta.model.TRANSLATED_FIELDS:
                text = self.cleaned_data.get(_field_name(field, code), "")
                if text and text.strip():
                    translations.setdefault(code, {})[field] = text
        # Words for a language no longer configured are kept, not silently dropped.
        configured = {code for code, _name in settings.LANGUAGES}
        for code, words in (self.instance.translations or {}).items():
            if code not in configured:
                translations[code] = words
        self.instance.translations = translations
        super()._post_clean()


def translated_names_form(model: type[TranslatedNames]) -> type[TranslatedNamesForm]:
    """A form class for `model` with a field for each other language and translated field."""
    attrs = {}
    house_language = settings.LANGUAGES[0][1]
    for code, language in settings.LANGUAGES[1:]:
        for field in model.TRANSLATED_FIELDS:
            model_field = model._meta.get_field(field)
            is_text = isinstance(model_field, models.TextField)
            attrs[_field_name(field, code)] = forms.CharField(
                label=f"{model_field.verbose_name.capitalize()} ({language})",
                required=False,
                max_length=model_field.max_length,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code})
                if is_text
                else forms.TextInput(attrs={"lang": code, "class": "vTextField"}),
                help_text=f"Left empty, readers in {language} see the {house_language} words.",
            )
    return type(f"{model.__name__}NamesForm", (TranslatedNamesForm,), attrs)


class TranslatedNamesAdminMixin:
    """For a `TranslatedNames` model's admin: its fields, then "In other languages"."""

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = translated_names_form(self.model)
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        extra = [
            _field_name(field, code)
            for code, _name in settings.LANGUAGES[1:]
            for field in self.model.TRANSLATED_FIELDS
        ]
        # The JSON column itself is edited through the fields above.
        own = [
            name
            for name in self.get_fields(request, obj)
            if name not in extra and name != "translations"
        ]
        fieldsets = [(None, {"fields": own})]
        if extra:
            fieldsets.append(
                (
                    "In other languages",
                    {
                        "fields": extra,
                        "description": "What readers of the other languages see on the "
                        "public pages, in feeds and in search results.",
                    },
                )
            )
        return fieldsets
