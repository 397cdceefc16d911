"""The articles app's background jobs (the queue itself: newsroom/jobs.py, docs/tasks.md).

Each job takes ids and plain values (they are stored as JSON on the queue), loads what it
works on afresh, and calls the domain function that does the work. Each is idempotent:
run twice, or again after its worker died, it finds the work done and does nothing more.
"""

import datetime
import logging

from articles.models import Image, ImportBatch
from newsroom.jobs import job

logger = logging.getLogger(__name__)


@job
def make_image_renditions(image_id: int, file_name: str) -> str:
    """Make the renditions of image `image_id` as it was saved with `file_name`.

    Nothing to do when the image is gone, its file changed since (that save queued its own
    job), or its renditions are made. A file we refuse (damaged, too many pixels) is
    recorded on the image once; any other error is recorded too, for staff to see in the
    image admin, and raised so the queue tries again later. (A save does not queue this
    for a file refused before; staff ask again from the image admin.)
    """
    from articles import renditions

    image = Image.objects.filter(pk=image_id).first()
    if image is None or image.file.name != file_name:
        return "skipped: the image is gone or has another file now"
    if renditions.recorded(image) is not None:
        return "already made"
    made = renditions.build_renditions(image, retry=True, raise_transient=True)
    return "made" if made is not None else f"refused: {image.renditions_error}"


@job
def import_wire_batch(batch_id: int) -> str:
    """Import the wire files of batch `batch_id` (queued by `importer.queue_import`);
    files already imported are left alone, so a second run changes nothing."""
    from articles import importer

    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return "skipped: the batch is gone"
    batch = importer.run_import_batch(batch)
    return f"{batch.done} of {batch.total} files"


@job
def send_notification_emails(notification_ids: list[int]) -> str:
    """E-mail the people told about a workflow step (articles.notifications); a
    notification whose e-mail went out already is not sent again."""
    from articles import notifications

    return f"{notifications.send_emails(notification_ids)} sent"


@job
def rebuild_search_index() -> str:
    """Re-index every article (articles.search.rebuild_index): the same index, however
    often it runs."""
    from articles.search import rebuild_index

    return f"{rebuild_index()} articles indexed"


@job
def ping_websub_hub(hub: str, topic: str) -> str:
    """Tell the WebSub hub at `hub` that the feed at `topic` changed
    (articles/syndication/websub.py).

    A hub that cannot be reached or answers 5xx raises, and the queue tries again later
    (a ping sent twice only makes the hub fetch the feed twice). A hub that refuses the
    ping (4xx) will refuse it again: that is logged, not retried.
    """
    from articles.syndication import websub

    try:
        websub.ping(hub, topic)
    except websub.HubRefused as error:
        logger.warning("WebSub: %s", error)
        return f"refused: {error}"
    return "pinged"


@job
def announce_scheduled_feeds(article_id: int, publish_at: str) -> str:
    """At a scheduled article's publish time (queued to run then): ping the hubs about
    every feed it now appears in, unless it was moved, taken back or published early."""
    from articles.syndication import websub

    announced = websub.announce_scheduled(article_id, datetime.datetime.fromisoformat(publish_at))
    return f"announced {announced} feeds"
