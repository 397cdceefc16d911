"""The in-process half of the benchmark (`bench/run.py` runs it in a child process).

    python -m bench.probe plan PLAN.json      choose the URLs from the archive, log an editor in,
                                              save an article page as the baseline template
    python -m bench.probe queries PLAN.json OUT.json
                                              SQL queries, status, body size and the time of
                                              one request alone (no load, no network) per URL

Runs with the same environment as the gunicorn under test (settings `bench.settings`, the same
database, SECRET_KEY and PAGE_CACHE), so the editor's session cookie works there too and the
query counts are those of the pages wrk measures.
"""

import json
import os
import re
import sys
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlencode

# Articles visited in turn by the "many different articles" run.
ARTICLES_IN_TURN = 500
# How many of those are also counted for queries (their range is reported).
ARTICLES_COUNTED = 10
# Words too common to say anything about search: they are stop words in most languages.
STOP_WORDS = {
    "about", "after", "also", "their", "there", "these", "those", "which", "while", "where",
    "would", "could", "should", "other", "being", "before", "between", "under", "since",
    "still", "first", "years", "voor", "zijn", "heeft", "worden", "wordt", "naar", "maar",
    "niet", "over", "door", "bijna", "daha", "olarak", "için", "ancak", "sonra", "kadar",
}  # fmt: skip
WORD = re.compile(r"[^\W\d_]{5,}")


def setup() -> None:
    import django

    django.setup()
    # Gives responses a `.context` and lets the test client's host through ALLOWED_HOSTS.
    from django.test.utils import setup_test_environment

    setup_test_environment()
    import logging

    logging.getLogger("django.request").setLevel(logging.CRITICAL)


def _url(key: str, label: str, path: str, group: str = "public", **extra) -> dict:
    return {"key": key, "label": label, "path": path, "group": group, **extra}


def _spread(items: list, count: int) -> list:
    """`count` items evenly spaced through `items` (all of them when there are fewer)."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def _search_total(client, query: str) -> int:
    response = client.get("/search/", {"q": query})
    page = (response.context or {}).get("page") if response.status_code == 200 else None
    return page.paginator.count if page is not None else 0


def _search_words(client, articles: list) -> tuple[str, str, str]:
    """A common word, a rare word and a phrase, taken from the published articles' text."""
    documents = Counter()  # in how many sampled articles each word appears
    for article in articles:
        text = " ".join([article.title, article.standfirst or "", article.body or ""])
        documents.update({w.lower() for w in WORD.findall(text)} - STOP_WORDS)
    common = documents.most_common(1)[0][0] if documents else "xiaomi"
    rare = common
    candidates = sorted(w for w, n in documents.items() if n == 1 and len(w) >= 7)
    for word in candidates[:10]:  # each try is a search, which can take seconds
        if 1 <= _search_total(client, word) <= 3:
            rare = word
            break
    phrase = common
    for article in articles:
        words = re.findall(r"[^\W\d_]+", article.title)
        pairs = [f'"{a} {b}"' for a, b in pairwise(words) if min(len(a), len(b)) >= 4]
        if pairs and _search_total(client, pairs[0]) > 0:
            phrase = pairs[0]
            break
    return common, rare, phrase


def _escape_template(html: str) -> str:
    """The page as a template that renders to itself (no tag, variable or comment in it)."""
    names = {
        "{%": "openblock", "%}": "closeblock", "{{": "openvariable", "}}": "closevariable",
        "{#": "opencomment", "#}": "closecomment",
    }  # fmt: skip
    return re.sub(
        r"\{%|%\}|\{\{|\}\}|\{#|#\}",
        lambda m: "{% templatetag " + names[m.group()] + " %}",
        html,
    )


def _changelist_filters(client, path: str) -> list[tuple[str, str]]:
    """One (title, query string) per list filter of the admin changelist: its first choice
    other than "all"."""
    response = client.get(path)
    changelist = response.context["cl"]
    found = []
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            query = choice.get("query_string", "")
            if not choice.get("selected") and query not in ("", "?"):
                found.append((str(spec.title), query))
                break
    return found


def plan(out: Path) -> None:
    setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.test import Client

    from articles.models import Article, Storyline
    from people.models import Company, Person

    client = Client()
    published = Article.objects.published()
    ids = list(published.order_by("published_at", "pk").values_list("pk", flat=True))
    if not ids:
        sys.exit("The archive has no published article to measure.")
    middle = Article.objects.get(pk=ids[len(ids) // 2])
    in_turn_ids = _spread(ids, ARTICLES_IN_TURN)
    by_id = Article.objects.in_bulk(in_turn_ids)
    in_turn = [by_id[pk].get_absolute_url() for pk in in_turn_ids]
    sample = [by_id[pk] for pk in _spread(in_turn_ids, 200)]

    urls = [
        _url("article", "article (middle of the archive)", middle.get_absolute_url()),
        _url(
            "articles-in-turn",
            f"{len(in_turn)} articles in turn",
            in_turn[0],
            paths=in_turn,
            counted=in_turn[:: max(1, len(in_turn) // ARTICLES_COUNTED)][:ARTICLES_COUNTED],
        ),
    ]
    for code, _name in settings.LANGUAGES:
        path = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        urls.append(_url(f"front-{code}", f"front page ({code})", path))
    # The list is never counted by the page; roughly one story per default-language row.
    default_rows = published.filter(language=settings.LANGUAGE_CODE).count()
    pages = max(1, default_rows // 20)
    urls.append(_url("list", "article list, page 1", "/articles/"))
    if pages > 1:
        deep = min(pages, 200)
        urls.append(_url("list-deep", f"article list, page {deep}", f"/articles/?page={deep}"))

    live = Q(articles__in=published)
    person = Person.objects.public().annotate(n=Count("articles", filter=live)).order_by("-n", "pk")
    company = (
        Company.objects.public().annotate(n=Count("articles", filter=live)).order_by("-n", "pk")
    )
    story = (
        Storyline.objects.public().annotate(n=Count("articles", filter=live)).order_by("-n", "pk")
    )
    for key, label, queryset in [
        ("person", "most-mentioned person", person),
        ("company", "most-mentioned company", company),
        ("story", "biggest story thread", story),
    ]:
        if (obj := queryset.first()) is not None:
            urls.append(_url(key, f"{label} ({obj.n} articles)", obj.get_absolute_url()))

    common, rare, phrase = _search_words(client, sample)
    for key, label, words in [
        ("search-common", "search, common word", common),
        ("search-rare", "search, rare word", rare),
        ("search-phrase", "search, phrase", phrase),
    ]:
        urls.append(_url(key, f"{label}: {words}", "/search/?" + urlencode({"q": words})))

    language = settings.LANGUAGE_CODE
    for key, filename in [("rss", "rss.xml"), ("atom", "atom.xml"), ("json", "feed.json")]:
        path = f"/feeds/{language}/{filename}"
        urls.append(_url(f"feed-{key}", f"feed, {key}", path))
    urls.append(_url("sitemap-index", "sitemap index", "/sitemap.xml"))
    index = client.get("/sitemap.xml").content.decode()
    section = re.search(r"<loc>[^<]*?(/sitemap-articles\.xml[^<]*)</loc>", index)
    if section:
        urls.append(_url("sitemap-page", "sitemap, articles page 1", section.group(1)))

    # The editor: the demo's Editor-group user, else a superuser made for the benchmark.
    users = get_user_model().objects
    editor = users.filter(username="editor").first()
    if editor is None:
        editor, _ = users.get_or_create(
            username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
        )
    client.force_login(editor)
    changelist = "/admin/articles/article/"
    urls.append(_url("admin-changelist", "admin: article changelist", changelist, "admin"))
    for title, query in _changelist_filters(client, changelist):
        label = f"admin: changelist by {title}"
        urls.append(_url(f"admin-filter-{title}", label, changelist + query, "admin"))
    change = f"/admin/articles/article/{middle.pk}/change/"
    urls.append(_url("admin-change", "admin: article change form", change, "admin"))
    urls.append(_url("admin-dashboard", "admin: dashboard", "/admin/", "admin"))

    # The template baseline: this article page, frozen.
    template_dir = Path(os.environ["BENCH_TEMPLATES_DIR"]) / "bench"
    template_dir.mkdir(parents=True, exist_ok=True)
    page = Client().get(middle.get_absolute_url()).content.decode()
    (template_dir / "article.html").write_text(_escape_template(page), encoding="utf-8")

    baselines = [
        _url("baseline-string", "baseline: fixed string", "/bench/string/", "baseline"),
        _url(
            "baseline-template", "baseline: article-sized template", "/bench/template/", "baseline"
        ),
    ]
    out.write_text(
        json.dumps(
            {
                "published": len(ids),
                "articles": Article.objects.count(),
                "cookie": f"{settings.SESSION_COOKIE_NAME}={client.session.session_key}",
                "urls": baselines + urls,
            },
            indent=1,
        )
    )


def queries(plan_file: Path, out: Path) -> None:
    setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    plan_data = json.loads(plan_file.read_text())
    reader, editor = Client(), Client()
    name, _, value = plan_data["cookie"].partition("=")
    editor.cookies[name] = value
    assert name == settings.SESSION_COOKIE_NAME
    results = {}
    for url in plan_data["urls"]:
        client = editor if url["group"] == "admin" else reader
        counts, statuses, sizes, times = [], set(), [], []
        started = time.perf_counter()
        for path in url.get("counted") or [url["path"]]:
            client.get(path)  # the second request is the one counted: warm, as under wrk
            with CaptureQueriesContext(connection) as captured:
                before = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - before) * 1000)
            counts.append(len(captured))
            statuses.add(response.status_code)
            sizes.append(len(response.content))
        seconds = time.perf_counter() - started
        if seconds > 5:  # say where a slow probe spends its time
            print(f"  (counting queries on {url['path']} took {seconds:.0f} s)", flush=True)
        results[url["key"]] = {
            "queries": [min(counts), max(counts)],
            "status": sorted(statuses),
            "body_bytes": sum(sizes) // len(sizes),
            "ms": sorted(times)[len(times) // 2],
        }
    out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "plan":
        plan(Path(args[0]))
    elif command == "queries":
        queries(Path(args[0]), Path(args[1]))
    else:
        sys.exit(__doc__)
