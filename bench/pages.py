"""Time the public pages and feeds on the demo newsroom and print figures.

Usage: .venv/bin/python bench/pages.py [--runs 50]
Runs against a throw-away SQLite database (or DATABASE_URL if set), after load_demo.
Prints, per URL: median and p95 milliseconds over the runs, and SQL queries per request.
Not part of the test suite: timings depend on the machine.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="newsroom-bench-")
    os.environ.setdefault("NEWSROOM_VAR_DIR", scratch)
    os.environ.setdefault("MEDIA_ROOT", os.path.join(scratch, "media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DEBUG"] = "1"  # development key is fine for a local benchmark

    import django

    django.setup()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # 404s are reported below
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    from articles.models import Article
    from people.models import Company, Person

    urls = ["/", "/en/", "/nl/", "/tr/", "/healthz"]
    urls += [a.get_absolute_url() for a in Article.objects.published()[:3]]
    urls += [Person.objects.get(slug="lei-jun").get_absolute_url()]
    urls += [Company.objects.get(slug="xiaomi").get_absolute_url()]
    for extra in ["/search/?q=Xiaomi", "/sitemap.xml", "/feeds/en/rss.xml", "/feeds/"]:
        urls.append(extra)

    client = Client()
    print(f"{'url':<62} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for url in urls:
        timings = []
        status = None
        for _ in range(args.runs):
            reset_queries()
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            status = response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"{url[:62]:<62} {status:>6} {statistics.median(timings):>10.1f} {p95:>8.1f}"
            f" {len(queries):>8}"
        )


if __name__ == "__main__":
    main()
