"""How long articles cost: the name finder, the admin change page, saving, and import.

    python bench/long_bodies.py [--sizes 100000,1000000,2000000] [--repeat 3]

Builds a scratch SQLite database with the demo newsroom (var/bench/long-bodies/, reused on
later runs), then for each body size (bytes of HTML, words that name people and companies):

- suggest: the name finder's pass over one article (`people.linking.review_mentions`),
- change page: GET of the article's admin change page (in-process, Django's test client),
- save: POST of the change form with that body, URL-encoded as a browser sends it (a
  body over ARTICLE_BODY_MAX_BYTES is a form error with the text kept, not a save),
- import: `WireImporter.import_bytes` of wire copy of that size (refused above
  IMPORT_MAX_FILE_BYTES, with the reason).

Bodies over the limit are written straight to the database, as an article stored before the
limit would be. Prints the best of --repeat runs per step, in seconds. Not part of the test
suite: figures depend on the machine.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "var" / "bench" / "long-bodies"

PARAGRAPH = (
    "<p>Lei Jun, the founder of Xiaomi, said on Tuesday that the company would keep its "
    "price promise; Manu Kumar Jain, who led Xiaomi India, thanked the team. Analysts at "
    "Kingsoft and elsewhere said the foldable &amp; the tablet would ship “within weeks”.</p>\n"
)


def setup() -> None:
    SCRATCH.mkdir(parents=True, exist_ok=True)
    os.environ["NEWSROOM_VAR_DIR"] = str(SCRATCH)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("PAGE_CACHE", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from articles.models import Article

    if not Article.objects.exists():
        call_command("load_demo", stdout=io.StringIO())


def best_of(repeat: int, step) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        best = min(best, time.perf_counter() - start)
    return best, result


def measure(size: int, *, article, client, change_url: str, repeat: int) -> str:
    """One row of the table: the four steps for a body of about `size` bytes."""
    from articles.importer import WireImporter
    from articles.models import Article, WireImport
    from people import linking

    body = PARAGRAPH * max(1, size // len(PARAGRAPH.encode()))
    Article.objects.filter(pk=article.pk).update(body=body)
    article.refresh_from_db()

    suggest, review = best_of(repeat, lambda: linking.review_mentions(article))

    def get_page():
        response = client.get(change_url)
        assert response.status_code == 200, response.status_code

    page, _none = best_of(repeat, get_page)

    def post_form():
        current = Article.objects.get(pk=article.pk)
        form = {
            "language": current.language, "title": current.title, "slug": current.slug,
            "standfirst": current.standfirst, "body": body + "<p>edited</p>",
            "byline_note": current.byline_note, "source": current.source,
            "edit_version": current.edit_version, "storyline_entries-TOTAL_FORMS": "0",
            "storyline_entries-INITIAL_FORMS": "0",
        }  # fmt: skip
        response = client.post(
            change_url, urlencode(form), content_type="application/x-www-form-urlencoded"
        )
        Article.objects.filter(pk=article.pk).update(body=body)
        return {302: "saved", 200: "form error", 400: "400"}.get(
            response.status_code, str(response.status_code)
        )

    save, saved = best_of(repeat, post_form)

    line = "Lei Jun said Xiaomi would keep its promise, and Manu Kumar Jain agreed.\n\n"
    text = "A long wire story\n\n" + line * max(1, size // len(line))
    importer = WireImporter(language="en")

    def import_once():
        result = importer.import_bytes(text.encode(), filename="long.txt")
        if result.article is not None:
            WireImport.objects.filter(article=result.article).delete()
            result.article.delete()
        return result.outcome

    imported, outcome = best_of(repeat, import_once)
    read = "all read" if review.read_all else "capped"
    return (
        f"| {len(body.encode()) / 1_000_000:.1f} MB | {suggest:.3f} s ({read}) | "
        f"{page:.3f} s | {save:.3f} s ({saved}) | {imported:.3f} s ({outcome}) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000,2000000")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    setup()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from articles.models import Article

    article = Article.objects.filter(language="en").order_by("pk").first()
    original_body = article.body
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    print(
        f"Limits: body {settings.ARTICLE_BODY_MAX_BYTES:,} bytes, import "
        f"{settings.IMPORT_MAX_FILE_BYTES:,} bytes, name finder "
        f"{settings.LINKER_MAX_CHARS:,} characters, form {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"
        f" bytes; best of {options.repeat}\n"
    )
    print("| body | suggest | change page | save (POST) | import |")
    print("|---|---|---|---|---|")
    try:
        for size in (int(s) for s in options.sizes.split(",")):
            row = measure(
                size, article=article, client=client, change_url=change_url,
                repeat=options.repeat,
            )  # fmt: skip
            print(row, flush=True)
    finally:
        Article.objects.filter(pk=article.pk).update(body=original_body)


if __name__ == "__main__":
    main()
