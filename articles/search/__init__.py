"""Full-text search over published articles, in each article's own language.

Three backends, chosen per database connection:

- **PostgreSQL**: a `search_vector` tsvector column on `articles_article`, kept by a database
  trigger (migration 0004) with the text search configuration of the row's language
  (english, dutch, turkish, …; `simple` for languages PostgreSQL cannot stem), weighted
  title > standfirst > body, and a GIN index. The column is not a model field: the database
  owns it, so no save path (ORM, `QuerySet.update()`, raw SQL) can leave it stale.
  A query is parsed once per language with `websearch_to_tsquery` and each article is
  matched by the parse in its own language, so "bestuurders" finds "bestuurder" in Dutch
  articles without stemming English articles the Dutch way. Ranked with `ts_rank`,
  snippets from `ts_headline`.
- **SQLite**: an FTS5 table `articles_article_fts` (rowid = article id), made by the same
  migration and kept in step by the signal receivers below; ranked with `bm25()`, snippets
  from `snippet()`. Porter stemming plus prefix matching stands in for per-language stemming.
- **Anything else**, or SQLite built without FTS5: `icontains` on the words.

Snippets come back from the database with private-use characters around the matches;
`render_snippet` escapes the text and only then turns those markers into `<mark>`, so
neither an article nor a query can inject markup.
"""

import html
import re
import unicodedata
from html.parser import HTMLParser

import django_filters
from django import forms
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.core.paginator import EmptyPage, Paginator
from django.db import connections
from django.db.models import Case, Expression, F, FloatField, Func, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.db.models.signals import post_delete, post_save
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from articles.site.navigation import (
    activate_page_language,
    language_links,
    page_language,
    public_companies,
    public_people,
    with_language,
)
from newsroom.languages import language_choices, language_codes

# Language code -> PostgreSQL text search configuration. Migration 0004 copies this table
# into the trigger that fills search_vector; change both together (a test checks that they
# agree). Languages not listed are indexed and searched with 'simple' (no stemming).
LANGUAGE_CONFIGS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
FALLBACK_CONFIG = "simple"

MAX_QUERY_LENGTH = 200
MAX_TERMS = 32
RESULTS_PER_PAGE = 10

# Private-use characters mark highlights inside snippets until they are safely escaped.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"
_MARKERS = {ord(HIGHLIGHT_START): None, ord(HIGHLIGHT_STOP): None}

FTS_TABLE = "articles_article_fts"
INDEXED_FIELDS = frozenset({"title", "standfirst", "body", "language"})

# A tag in sanitised HTML: attribute values are always quoted and may contain '>'.
TAG_PATTERN = r"""<("[^"]*"|'[^']*'|[^'">])*>"""

_WORD = re.compile(r"\w+")
_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def search_config(language: str) -> str:
    return LANGUAGE_CONFIGS.get(language, FALLBACK_CONFIG)


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.append(" ")

    def handle_endtag(self, tag):
        self.parts.append(" ")


def plain_text(markup: str) -> str:
    """The words of an HTML fragment: tags become spaces, entities become characters."""
    extractor = _TextExtractor()
    extractor.feed(markup or "")
    extractor.close()
    return " ".join("".join(extractor.parts).translate(_MARKERS).split())


def document_text(standfirst: str, body: str) -> str:
    """What snippets are cut from: the standfirst, then the body's words."""
    return f"{standfirst or ''}\n{plain_text(body)}".strip()


def clean_query(raw: str) -> str:
    """Normalise what a reader typed: NFKC, no control or direction characters, one space."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = _CONTROL.sub(" ", text).translate(_MARKERS)
    return " ".join(text.split())[: MAX_QUERY_LENGTH * 2]


def has_words(query: str) -> bool:
    return bool(_WORD.search(query or ""))


def render_snippet(raw: str | None, *, unescape: bool = False) -> SafeString:
    """Escape a snippet, then turn the highlight markers into <mark> elements.

    `unescape` first decodes entities, for snippets cut from stored HTML (PostgreSQL), so a
    reader sees "&" and not "&amp;".
    """
    text = raw or ""
    if unescape:
        text = html.unescape(text)
    text = " ".join(text.split())
    depth = 0
    out = []
    for piece in re.split(f"([{HIGHLIGHT_START}{HIGHLIGHT_STOP}])", text):
        if piece == HIGHLIGHT_START:
            if depth == 0:
                out.append("<mark>")
            depth += 1
        elif piece == HIGHLIGHT_STOP:
            if depth == 1:
                out.append("</mark>")
            depth = max(depth - 1, 0)
        else:
            out.append(escape(piece))
    if depth:
        out.append("</mark>")
    return mark_safe("".join(out))


# --- PostgreSQL ----------------------------------------------------------------------------


class StoredSearchVector(Expression):
    """The trigger-maintained `search_vector` column of the query's articles table."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{alias}.{connection.ops.quote_name('search_vector')}", []


def _postgres_search(queryset, query: str):
    codes = language_codes()
    document = Concat(
        F("standfirst"),
        Value("\n"),
        Func(
            F("body"),
            Value(TAG_PATTERN),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        ),
        output_field=TextField(),
    )
    branches = Q()
    ranks, headlines = [], []

    def parsed(config):
        return SearchQuery(query, config=config, search_type="websearch")

    def headline(config):
        return SearchHeadline(
            document,
            parsed(config),
            config=config,
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )

    any_language = parsed(FALLBACK_CONFIG)
    for code in codes:
        config = search_config(code)
        branches |= Q(language=code, _search_vector=parsed(config))
        ranks.append(When(language=code, then=SearchRank(F("_search_vector"), parsed(config))))
        headlines.append(When(language=code, then=headline(config)))
        any_language = any_language | parsed(config)
    # Articles in a language no longer configured: matched without stemming.
    branches |= ~Q(language__in=codes) & Q(_search_vector=parsed(FALLBACK_CONFIG))
    return (
        queryset.alias(_search_vector=StoredSearchVector())
        # One GIN lookup for the query parsed in every language, then the exact test: the
        # article matches the query parsed in its own language.
        .filter(_search_vector=any_language)
        .filter(branches)
        .annotate(
            rank=Case(
                *ranks,
                default=SearchRank(F("_search_vector"), parsed(FALLBACK_CONFIG)),
                output_field=FloatField(),
            ),
            snippet_source=Case(
                *headlines, default=headline(FALLBACK_CONFIG), output_field=TextField()
            ),
        )
    )


# --- SQLite FTS5 ---------------------------------------------------------------------------


def fts5_expression(query: str) -> str | None:
    """Translate web-search syntax ("phrases", -exclusions, or) into an FTS5 expression.

    Every term is quoted, so FTS5 operators typed by a reader are only words; words of four
    letters or more also match as prefixes (a stand-in for stemming). None when nothing
    searchable is left.
    """
    groups: list[list[str]] = [[]]
    excluded: list[str] = []
    count = 0
    for match in _TERM.finditer(query):
        negated, phrase, word = match.groups()
        if word is not None:
            if word.lower() == "or":
                if groups[-1]:
                    groups.append([])
                continue
            negated = word.startswith("-")
            words = _WORD.findall(word)
            quoted = False
        else:
            words = _WORD.findall(phrase)
            quoted = True
        if not words:
            continue
        count += 1
        if count > MAX_TERMS:
            break
        term = '"{}"'.format(" ".join(words).replace('"', '""'))
        if not quoted and len(words) == 1 and len(words[0]) >= 4:
            term += "*"
        (excluded if negated else groups[-1]).append(term)
    groups = [group for group in groups if group]
    if not groups:
        return None
    expression = " OR ".join("(" + " AND ".join(group) + ")" for group in groups)
    for term in excluded:
        expression = f"({expression}) NOT {term}"
    return expression


class _FTS5Value(Expression):
    """An FTS5 auxiliary function (bm25, snippet) for the outer query's article row."""

    def __init__(self, function: str, expression: str, output_field):
        super().__init__(output_field=output_field)
        self.function = function
        self.expression = expression

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        sql = (
            f"(SELECT {self.function} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"AND {FTS_TABLE}.rowid = {alias}.{connection.ops.quote_name('id')})"
        )
        return sql, [self.expression]


def _fts5_search(queryset, query: str):
    expression = fts5_expression(query)
    if expression is None:
        return None
    snippet = f"snippet({FTS_TABLE}, 1, char(57344), char(57345), '…', 24)"
    return queryset.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
    ).annotate(
        # bm25() is lower for better matches; negate it so higher ranks first everywhere.
        rank=_FTS5Value(f"-bm25({FTS_TABLE}, 10.0, 1.0)", expression, FloatField()),
        snippet_source=_FTS5Value(snippet, expression, TextField()),
    )


def fts5_available(using: str = "default") -> bool:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
        )
        return cursor.fetchone() is not None


def index_article(article: Article, *, using: str = "default") -> None:
    """Put one article's current words into the FTS5 table (SQLite only)."""
    if not fts5_available(using):
        return
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"REPLACE INTO {FTS_TABLE}(rowid, title, body) VALUES (%s, %s, %s)",
            [article.pk, article.title, document_text(article.standfirst, article.body)],
        )


def rebuild_index(*, using: str = "default") -> int:
    """Re-index every article (SQLite FTS5); on PostgreSQL the trigger refreshes each row."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE articles_article SET language = language")
            return cursor.rowcount
    if not fts5_available(using):
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
    rows = Article.objects.using(using).values_list("pk", "title", "standfirst", "body")
    return index_rows(rows, using=using)


def index_rows(rows, *, using: str = "default") -> int:
    """Index new articles given as (pk, title, standfirst, body) rows in one statement.

    For bulk loads (`bulk_create` sends no signals); on PostgreSQL the trigger has already
    indexed them, so this does nothing there.
    """
    if not fts5_available(using):
        return 0
    values = [(pk, title, document_text(standfirst, body)) for pk, title, standfirst, body in rows]
    with connections[using].cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (%s, %s, %s)", values
        )
    return len(values)


def _article_saved(sender, instance, using, update_fields=None, **kwargs):
    if connections[using].vendor != "sqlite":
        return
    if update_fields is not None and not INDEXED_FIELDS & set(update_fields):
        return  # a workflow step: the words did not change
    index_article(instance, using=using)


def _article_deleted(sender, instance, using, **kwargs):
    if fts5_available(using):
        with connections[using].cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [instance.pk])


def connect_signals() -> None:
    """Index maintenance for SQLite (called from the app config's ready())."""
    post_save.connect(_article_saved, sender=Article, dispatch_uid="articles.search.saved")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="articles.search.deleted")


# --- Fallback ------------------------------------------------------------------------------


def _mark_words(text: str, words: list[str]) -> str:
    if not words:
        return text
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    return pattern.sub(lambda m: f"{HIGHLIGHT_START}{m.group(0)}{HIGHLIGHT_STOP}", text)


def _icontains_search(queryset, query: str):
    words = [w for w in _WORD.findall(query) if w.lower() != "or"][:MAX_TERMS]
    if not words:
        return None
    for word in words:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
        )
    return queryset.annotate(
        rank=Value(0.0, output_field=FloatField()), snippet_source=F("standfirst")
    )


# --- Entry point ---------------------------------------------------------------------------


def search_backend(using: str = "default") -> str:
    vendor = connections[using].vendor
    if vendor == "postgresql":
        return "postgresql"
    if vendor == "sqlite" and fts5_available(using):
        return "fts5"
    return "icontains"


def search_articles(query: str, *, queryset=None, backend: str | None = None):
    """Published articles matching `query`, best first, each with `rank` and `snippet_source`.

    `queryset` narrows the search (filters); it must come from `Article.objects.published()`.
    `backend` is chosen from the database unless given ("postgresql", "fts5", "icontains").
    """
    if queryset is None:
        queryset = Article.objects.published()
    query = clean_query(query)[:MAX_QUERY_LENGTH]
    if not has_words(query):
        return queryset.none()
    backend = backend or search_backend(queryset.db)
    if backend == "postgresql":
        found = _postgres_search(queryset, query)
    elif backend == "fts5":
        found = _fts5_search(queryset, query)
    else:
        found = _icontains_search(queryset, query)
    if found is None:  # only operators and exclusions: nothing to look for
        return queryset.none()
    return found.order_by("-rank", F("published_at").desc(nulls_last=True), "-pk")


def highlighted(articles, query: str, *, backend: str) -> None:
    """Give each found article a safe `snippet` (HTML with <mark> around the matches)."""
    words = _WORD.findall(clean_query(query))
    for article in articles:
        raw = getattr(article, "snippet_source", "") or ""
        if backend == "icontains":
            raw = _mark_words(raw, words)
        article.snippet = render_snippet(raw, unescape=backend == "postgresql")


# --- Filters and the page ------------------------------------------------------------------


def _people_in_the_news(request):
    return public_people()


def _companies_in_the_news(request):
    return public_companies()


class ArticleSearchFilter(django_filters.FilterSet):
    """The search form: words, narrowed by language and by mentioned person or company."""

    q = django_filters.CharFilter(
        method="filter_words",
        label=_("Search for"),
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _(
                "Search terms can be at most %(limit_value)d characters long "
                "(yours has %(show_value)d). Try fewer words."
            )
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    language = django_filters.ChoiceFilter(
        choices=language_choices,
        label=_("Language"),
        empty_label=_("Any language"),
        error_messages={"invalid_choice": _("We do not publish in “%(value)s”.")},
    )
    person = django_filters.ModelChoiceFilter(
        field_name="people",
        to_field_name="slug",
        queryset=_people_in_the_news,
        label=_("Mentions person"),
        empty_label=_("Anyone"),
        error_messages={"invalid_choice": _("No published article mentions a person “%(value)s”.")},
    )
    company = django_filters.ModelChoiceFilter(
        field_name="companies",
        to_field_name="slug",
        queryset=_companies_in_the_news,
        label=_("Mentions company"),
        empty_label=_("Any company"),
        error_messages={
            "invalid_choice": _("No published article mentions a company “%(value)s”.")
        },
    )

    class Meta:
        model = Article
        fields = ["q", "language", "person", "company"]

    def filter_words(self, queryset, name, value):
        return search_articles(value, queryset=queryset)


def search_page(request):
    """`/search/?q=…`: published articles matching the words, with filters and pages.

    The page's own words follow `?lang=` (sent by the header search box on a Dutch or
    Turkish page); the results are in every language unless the language filter says.
    """
    language = page_language(request.GET.get("lang"))
    activate_page_language(request, language)
    kept = {key: request.GET.get(key) for key in ("q", "language", "person", "company")}
    switch_urls = {
        code: with_language(reverse("articles:search"), code, kept) for code in language_codes()
    }
    filterset = ArticleSearchFilter(
        request.GET or None,
        queryset=Article.objects.published().select_related("lead_image"),
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
        return render(request, "articles/search.html", context)
    if not filterset.is_valid():
        context["problem"] = "form"
        return render(request, "articles/search.html", context, status=400)
    query = clean_query(filterset.form.cleaned_data.get("q") or "")
    context["query"] = query
    if not has_words(query):
        context["problem"] = "no_words" if query else "empty"
        return render(request, "articles/search.html", context)

    raw_page = request.GET.get("page", "1")
    try:
        number = int(raw_page)
        if number < 1:
            raise ValueError
    except ValueError:
        context["problem"] = "bad_page"
        context["bad_page"] = raw_page[:20]
        return render(request, "articles/search.html", context, status=400)
    paginator = Paginator(filterset.qs, RESULTS_PER_PAGE)
    try:
        page = paginator.page(number)
    except EmptyPage:
        context.update(problem="no_such_page", paginator=paginator, bad_page=number)
        return render(request, "articles/search.html", context, status=404)
    highlighted(page.object_list, query, backend=search_backend(filterset.qs.db))
    context.update(page=page, paginator=paginator)
    return render(request, "articles/search.html", context)
