from django.core.management.base import BaseCommand

from articles import jobs
from articles.search import rebuild_index, search_backend


class Command(BaseCommand):
    help = (
        "Re-index every article for search (SQLite: refill the FTS5 table; PostgreSQL: have "
        "the trigger refresh every row), e.g. after a bulk load that sent no signals. "
        "Takes a while on a big archive: --background hands it to the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the rebuild for the background worker (run_worker) and return at once.",
        )

    def handle(self, *args, background=False, **options):
        if background:
            result = jobs.rebuild_search_index.enqueue()
            self.stdout.write(f"Queued as job {result.id}; the admin's Task Results show it.")
            return
        count = rebuild_index()
        self.stdout.write(f"{count} articles indexed ({search_backend()}).")
