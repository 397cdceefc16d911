from django.core.management.base import BaseCommand, CommandError

from articles.generator import generate


class Command(BaseCommand):
    help = (
        "Add a deterministic synthetic archive on top of the demo newsroom: N published "
        "articles over five years, with translations, people, companies, threads and history. "
        "Running it again with the same seed adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="Published articles.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same archive.")

    def handle(self, *args, articles, seed, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        self.stdout.write(f"Generating {articles} published articles (seed {seed})…")
        report = generate(articles, seed, log=self.stdout.write)
        if not report.created:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {report.seconds:.1f}s: {report.articles} articles "
                f"({report.live} published, {report.translations} translations, "
                f"{report.outdated} sources corrected after translation), {report.people} "
                f"people, {report.companies} companies, {report.quotes} quotes, "
                f"{report.storylines} story threads, {report.positions} roles, "
                f"{report.revisions} revisions."
            )
        )
