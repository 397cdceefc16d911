"""Where one page's time goes: `python -m bench.profile_page PATH [PATH ...]`.

Requests each path in-process through Django's test client with the readers' page cache off (as
`--user` for the admin),
a few times, and prints per path: the median wall time, the number of SQL queries and the time
the database took, so what is left is Python (views, templates). With `--profile N` it also
prints the N functions with the most cumulative time (cProfile) for the last path.

Uses the environment's database (DATABASE_URL or NEWSROOM_VAR_DIR), e.g. an archive built by
`make bench`. Not part of the test suite.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["PAGE_CACHE"] = "0"
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-profile-" + "x" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--user", help="log this user in first (for admin pages)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG=0 needs the manifest
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    client = Client()
    if args.user:
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=args.user))
    print(f"{'path':60} {'ms':>7} {'queries':>7} {'sql ms':>7} {'bytes':>8}")
    for path in args.paths:
        client.get(path)  # warm: imports, template loading, database caches
        times, sql = [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        print(
            f"{path[:60]:60} {statistics.median(times):7.1f} {len(queries):7d} "
            f"{statistics.median(sql):7.1f} {len(response.content):8d}"
            + ("" if response.status_code == 200 else f"  status {response.status_code}")
        )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            client.get(args.paths[-1])
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
