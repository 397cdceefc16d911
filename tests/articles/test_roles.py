"""The roles' permissions (articles/roles.py) all exist once the migrations have run."""

import pytest
from django.contrib.auth.models import Group, Permission

from articles.roles import ROLE_PERMISSIONS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(ROLE_PERMISSIONS))
def test_every_permission_of_a_role_exists_and_the_role_holds_it(role):
    held = {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    for perm in ROLE_PERMISSIONS[role]:
        app_label, codename = perm.split(".")
        assert Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).exists(), perm
    assert held == set(ROLE_PERMISSIONS[role])
