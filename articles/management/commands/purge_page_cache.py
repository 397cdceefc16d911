from django.core.management.base import BaseCommand

from newsroom import pagecache


class Command(BaseCommand):
    help = (
        "Retire every cached public page, feed and sitemap, e.g. after a deploy that changes "
        "templates (content changes retire their own pages)."
    )

    def handle(self, *args, **options):
        pagecache.invalidate(pagecache.SITE_TAG)
        self.stdout.write("Every cached page renders afresh on its next request.")
