from django.core.management.base import BaseCommand

from articles import renditions
from articles.models import Image


class Command(BaseCommand):
    help = (
        "Make the renditions of images that have none for their current file (images "
        "loaded from fixtures or bulk inserts, or saved before a rendition setting changed). "
        "Pages never make renditions; they show the original until this or a save has. "
        "Images whose renditions failed are left alone unless --retry-failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Try again the images whose renditions failed before.",
        )

    def handle(self, *args, retry_failed=False, **options):
        made = failed = skipped = 0
        for image in Image.objects.exclude(file="").order_by("pk").iterator(chunk_size=200):
            if renditions.recorded(image) is not None:
                continue
            if renditions.failed_for_current_file(image) and not retry_failed:
                skipped += 1
                continue
            if renditions.build_renditions(image, retry=retry_failed) is None:
                failed += 1
                self.stderr.write(f"image {image.pk} ({image.file.name}): {image.renditions_error}")
            else:
                made += 1
        self.stdout.write(
            f"{made} made, {failed} failed"
            + (f", {skipped} failed before (--retry-failed tries them again)" if skipped else "")
        )
