"""Public article pages. Thin: parse the request, ask a queryset, render."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from newsroom.languages import language_codes

from .models import Article, Storyline


def check_language(language: str) -> str:
    if language not in language_codes():
        raise Http404(f"We do not publish in “{language}”.")
    return language


def front_page(request, language: str | None = None):
    language = check_language(language or language_codes()[0])
    articles = Article.objects.published().for_language(language).with_list_data()[:20]
    return render(request, "articles/front.html", {"articles": articles, "page_language": language})


def article_detail(request, language: str, slug: str):
    language = check_language(language)
    article = get_object_or_404(
        Article.objects.published().with_page_data(), language=language, slug=slug
    )
    return render(request, "articles/detail.html", {"article": article, "page_language": language})


def storyline_detail(request, slug: str):
    storyline = get_object_or_404(Storyline, slug=slug)
    entries = (
        storyline.entries.filter(article__in=Article.objects.published())
        .select_related("article")
        .order_by("position", "article__published_at")
    )
    return render(request, "articles/storyline.html", {"storyline": storyline, "entries": entries})
