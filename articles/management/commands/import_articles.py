import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from articles.importer import REJECTED, WireImporter, queue_import, read_wire_file
from newsroom.languages import language_codes
from newsroom.site import absolute_url


class Command(BaseCommand):
    help = (
        "Turn plain-text wire copy into draft articles. Each FILE is UTF-8 text: the first "
        "non-empty line is the headline, the rest are paragraphs separated by blank lines. "
        "Prints one line per file (imported / duplicate / rejected and why); exits with "
        "status 1 if any file was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Wire copy files.")
        parser.add_argument(
            "--owner", metavar="USERNAME", help="Staff member who owns the new drafts."
        )
        parser.add_argument(
            "--language",
            metavar="CODE",
            help="Language of every file, instead of detecting it (one of LANGUAGES).",
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="text: one line per file (default); json: a list with one object per file.",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the files for the background worker (run_worker) and return at once; "
            "prints where the admin shows the progress and, when done, the report.",
        )

    def handle(
        self, *args, files, owner=None, language=None, format="text", background=False, **options
    ):
        owner_user = None
        if owner:
            owner_user = get_user_model().objects.filter(username=owner).first()
            if owner_user is None:
                raise CommandError(f"No user is called “{owner}”; nothing was imported.")
        if language and language not in language_codes():
            raise CommandError(
                f"“{language}” is not one of the configured languages "
                f"({', '.join(language_codes())}); nothing was imported."
            )
        if background:
            self.queue(files, owner=owner_user, language=language)
            return
        importer = WireImporter(owner=owner_user, language=language)
        results = [importer.import_path(path) for path in files]

        if format == "json":
            self.stdout.write(
                json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2)
            )
        else:
            for result in results:
                style = {
                    "imported": self.style.SUCCESS,
                    "duplicate": self.style.WARNING,
                    "rejected": self.style.ERROR,
                }[result.outcome]
                self.stdout.write(style(result.line()))
        rejected = sum(r.outcome == REJECTED for r in results)
        if rejected:
            raise CommandError(f"{rejected} of {len(results)} files rejected.")

    def queue(self, files, *, owner, language):
        batch = queue_import(
            [(str(path), read_wire_file(path)) for path in files], owner=owner, language=language
        )
        url = absolute_url(reverse("admin:articles_importbatch_change", args=[batch.pk]))
        self.stdout.write(
            f"Queued {batch.total} file(s) as wire import #{batch.pk}; the worker imports "
            f"them. Progress and report: {url}"
        )
