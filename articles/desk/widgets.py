"""Admin widgets of the article form that name themselves for assistive technology.

Select2 (the admin's autocomplete) copies a select's `title` onto the combobox it draws,
so each autocomplete carries its field's name there; `static/admin/js/desk-form.js` gives
the same name to the search box Select2 draws inside a multiple choice. A multiple
choice draws no "clear all" cross: Select2 puts it inside its list of choices, where it
does not belong (each choice has its own ×).
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple


class _Labelled:
    def __init__(self, field, admin_site, attrs=None, **kwargs):
        name = str(field.verbose_name)
        attrs = {"title": name[:1].upper() + name[1:], **(attrs or {})}
        super().__init__(field, admin_site, attrs=attrs, **kwargs)


class LabelledAutocompleteSelect(_Labelled, AutocompleteSelect):
    pass


class LabelledAutocompleteSelectMultiple(_Labelled, AutocompleteSelectMultiple):
    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-allow-clear"] = "false"
        return attrs


def autocomplete_widget(model_admin, db_field, request):
    """The labelled autocomplete for `db_field` if the admin makes it one, else None."""
    if db_field.name not in model_admin.get_autocomplete_fields(request):
        return None
    widget = (
        LabelledAutocompleteSelectMultiple if db_field.many_to_many else LabelledAutocompleteSelect
    )
    return widget(db_field, model_admin.admin_site, using=None)
