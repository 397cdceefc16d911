"""Admin hooks that ask Django's permission API about one object.

Django's ModelAdmin answers `has_change_permission(request, obj)` from the user's role
alone, whatever the object. These mixins ask `user.has_perm(perm, obj)` instead, so the
object-level rules registered with django-rules (`articles/rules.py`) decide for that
object; without an object the role alone still answers. An inline is asked about its
parent (the quote whose translations it lists), and the rules accept that parent.
"""

from django.contrib.auth import get_permission_codename


def _perm(opts, action: str) -> str:
    return f"{opts.app_label}.{get_permission_codename(action, opts)}"


class ObjectRulesAdminMixin:
    """For a ModelAdmin, before the admin class in the bases."""

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return request.user.has_perm(_perm(self.opts, "change"), obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return request.user.has_perm(_perm(self.opts, "delete"), obj)


class ObjectRulesInlineMixin(ObjectRulesAdminMixin):
    """For an InlineModelAdmin: `obj` is the parent object of the page."""

    def has_add_permission(self, request, obj=None):
        if obj is None:
            return super().has_add_permission(request, obj)
        return request.user.has_perm(_perm(self.opts, "add"), obj)
