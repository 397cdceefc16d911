"""The search page, `/search/?q=…`: the form, one page of results with snippets, and a
clear answer (and status) for every kind of input it cannot use."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property

from articles.models import Article
from articles.search import highlighted, search_backend
from articles.search.filters import ArticleSearchFilter
from articles.search.query import MAX_QUERY_LENGTH, MAX_RESULTS, clean_query, has_words
from articles.site.caching import model_tag, public_page
from articles.site.navigation import (
    activate_page_language,
    language_links,
    page_language,
    with_language,
)
from articles.site.pagination import page_number
from newsroom import pagecache
from newsroom.languages import language_codes
from people.models import Company, Person

RESULTS_PER_PAGE = 10


class CappedPaginator(Paginator):
    """Pages through at most `MAX_RESULTS` results, counting no further than one past them,
    so a common word does not count its matches over the whole archive on every request.
    `capped` says there are more (the page says "more than")."""

    @cached_property
    def _counted(self) -> int:
        # Only the ids: the count has no use for ranks.
        return self.object_list.order_by().values("pk")[: MAX_RESULTS + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, MAX_RESULTS)

    @property
    def capped(self) -> bool:
        return self._counted > MAX_RESULTS


@public_page(lists=True)
def search_page(request):
    """Published articles matching the words, with filters and pages.

    The page's own words follow `?lang=` (sent by the header search box on a Dutch or
    Turkish page); the results are in every language unless the language filter says.
    """
    language = page_language(request.GET.get("lang"))
    activate_page_language(request, language)
    # The filters offer every public person and company.
    pagecache.tag(request, model_tag(Person), model_tag(Company))
    kept = {key: request.GET.get(key) for key in ("q", "language", "person", "company")}
    switch_urls = {
        code: with_language(reverse("articles:search"), code, kept) for code in language_codes()
    }
    filterset = ArticleSearchFilter(
        request.GET or None,
        queryset=Article.objects.published().select_related("lead_image").cards(),
        request=request,
    )
    context = {
        "page_language": language,
        "language_links": language_links(language, switch_urls),
        "filterset": filterset,
        "form": filterset.form,
        "query": "",
        "page": None,
        "max_length": MAX_QUERY_LENGTH,
    }
    if not filterset.is_bound:
        return TemplateResponse(request, "articles/search.html", context)
    if not filterset.is_valid():
        context["problem"] = "form"
        return TemplateResponse(request, "articles/search.html", context, status=400)
    query = clean_query(filterset.form.cleaned_data.get("q") or "")
    context["query"] = query
    if not has_words(query):
        context["problem"] = "no_words" if query else "empty"
        return TemplateResponse(request, "articles/search.html", context)

    number = page_number(request.GET.get("page"))
    if number is None:
        context["problem"] = "bad_page"
        context["bad_page"] = request.GET["page"][:20]
        return TemplateResponse(request, "articles/search.html", context, status=400)
    paginator = CappedPaginator(filterset.qs, RESULTS_PER_PAGE)
    try:
        page = paginator.page(number)
    except (EmptyPage, PageNotAnInteger):
        context.update(problem="no_such_page", paginator=paginator, bad_page=number)
        return TemplateResponse(request, "articles/search.html", context, status=404)
    highlighted(page.object_list, query, backend=search_backend(filterset.qs.db))
    context.update(page=page, paginator=paginator, max_results=MAX_RESULTS)
    return TemplateResponse(request, "articles/search.html", context)
