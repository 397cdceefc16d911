"""Mentions: linking an article to the people and companies it is about.

Finding the names is `people/linking.py` (it only reads); writing them onto an article is
this editorial operation, which checks who may edit the article.
"""

from collections.abc import Iterable

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from articles.models import Article
from articles.workflow import can_edit
from people.models import Company, Person


@transaction.atomic
def accept_mentions(
    article: Article,
    *,
    user: AbstractBaseUser,
    people: Iterable[Person] = (),
    companies: Iterable[Company] = (),
) -> Article:
    """Link the article to these people and companies (adds; never removes).

    One reversion revision naming what was linked. Bumps the article's edit version so
    an edit form opened before the link cannot silently drop it when saved.
    """
    if not can_edit(user, article):
        raise PermissionDenied("You may not change the mentions of this article.")
    people, companies = list(people), list(companies)
    if not people and not companies:
        return article
    with reversion.create_revision():
        article.people.add(*people)
        article.companies.add(*companies)
        Article.objects.filter(pk=article.pk).update(edit_version=F("edit_version") + 1)
        article.refresh_from_db(fields=["edit_version"])
        reversion.add_to_revision(article)
        reversion.set_user(user)
        names = ", ".join(e.name for e in [*people, *companies])
        reversion.set_comment(f"Linked mentions: {names}")
    return article
