"""Previews: an article as readers will see it, before it is public.

Staff preview from the admin; for anyone else an editor makes a signed, expiring link.
The token is signed (so it cannot be forged or altered) and names a PreviewLink row (so
it can be revoked); the row's expiry is the one that counts.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from articles.models import Article, PreviewLink

SALT = "articles.desk.preview-link"
DEFAULT_LIFETIME = datetime.timedelta(days=3)
LONGEST_LIFETIME = datetime.timedelta(days=30)


def may_share_previews(user: AbstractBaseUser) -> bool:
    return user.is_active and user.has_perm("articles.review_article")


def token_for(link: PreviewLink) -> str:
    return signing.dumps({"link": link.pk, "article": link.article_id}, salt=SALT)


@transaction.atomic
def create_link(
    article: Article,
    *,
    user: AbstractBaseUser,
    lifetime: datetime.timedelta = DEFAULT_LIFETIME,
) -> PreviewLink:
    """Make a preview link for `article` that works for `lifetime`."""
    if not may_share_previews(user):
        raise PermissionDenied("Only editors can share preview links.")
    if not datetime.timedelta(minutes=5) <= lifetime <= LONGEST_LIFETIME:
        raise ValidationError("A preview link lasts between five minutes and thirty days.")
    if article.is_live:
        raise ValidationError("This article is already public: share its real address.")
    now = timezone.now()
    return PreviewLink.objects.create(
        article=article, created_by=user, created_at=now, expires_at=now + lifetime
    )


@transaction.atomic
def revoke_link(link: PreviewLink, *, user: AbstractBaseUser) -> PreviewLink:
    """Stop a preview link working, before its expiry."""
    if not may_share_previews(user):
        raise PermissionDenied("Only editors can revoke preview links.")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = user
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def article_for_token(token: str) -> tuple[Article, PreviewLink]:
    """The article a token shows, or Http404 if the token is forged, revoked or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LONGEST_LIFETIME)
        link_pk, article_pk = int(data["link"]), int(data["article"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise Http404("This preview link is not valid.") from exc
    link = PreviewLink.objects.active().filter(pk=link_pk, article_id=article_pk).first()
    if link is None:
        raise Http404("This preview link has expired or was revoked.")
    article = Article.objects.with_page_data().get(pk=link.article_id)
    return article, link


def render_preview(request: HttpRequest, article: Article, **context) -> HttpResponse:
    """The public article template, as the public page renders it, marked as a preview."""
    response = render(
        request,
        "articles/detail.html",
        {"article": article, "page_language": article.language, "preview": True, **context},
    )
    return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    """Never indexed, never cached by a shared cache, and the token never leaks onward."""
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def preview_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """/preview/<token>/: no login needed; 404 once the link is expired or revoked, saying
    so (the person holding it was sent it, and should know to ask for a new one)."""
    try:
        article, link = article_for_token(token)
    except Http404 as missing:
        from articles.site.views import page_not_found

        reason = f"{missing} Ask whoever sent it to you for a new one."
        return _private(page_not_found(request, reason=reason))
    return render_preview(request, article, preview_link=link)
