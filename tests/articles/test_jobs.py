"""The articles app's jobs (articles/jobs.py) are idempotent: run again, they find their
work done and change nothing more. (The queue and worker: tests/newsroom/test_jobs.py.)"""

import io

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from articles import jobs, renditions, workflow
from articles.models import Image, Notification
from tests.articles.test_renditions import make_image
from tests.editorial import make_draft

pytestmark = pytest.mark.django_db


def test_renditions_made_twice_are_made_once():
    image = make_image((1200, 800))
    record = Image.objects.get(pk=image.pk).renditions
    assert jobs.make_image_renditions.call(image.pk, image.file.name) == "already made"
    assert Image.objects.get(pk=image.pk).renditions == record


def test_a_renditions_job_for_a_replaced_file_or_a_deleted_image_does_nothing():
    image = make_image((1200, 800))
    assert jobs.make_image_renditions.call(image.pk, "images/the-old-file.jpg").startswith(
        "skipped"
    )
    assert jobs.make_image_renditions.call(10**9, image.file.name).startswith("skipped")


def test_a_file_missing_from_storage_is_recorded_for_staff_and_raised_for_a_retry():
    image = make_image((1200, 800))
    Image.objects.filter(pk=image.pk).update(renditions={})
    with default_storage.open(image.file.name, "rb") as handle:
        original = handle.read()
    default_storage.delete(image.file.name)  # as when storage is out of reach

    with pytest.raises(FileNotFoundError):
        jobs.make_image_renditions.call(image.pk, image.file.name)
    failed = Image.objects.get(pk=image.pk)
    assert failed.renditions_error.startswith("FileNotFoundError")
    assert renditions.failed_for_current_file(failed)

    default_storage.save(image.file.name, ContentFile(original))  # storage is back
    assert jobs.make_image_renditions.call(image.pk, image.file.name) == "made"
    made = Image.objects.get(pk=image.pk)
    assert renditions.recorded(made) is not None and made.renditions_error == ""


def test_notification_emails_sent_twice_go_out_once(users, django_capture_on_commit_callbacks):
    article = make_draft(users["writer"])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit_for_review(article, user=users["writer"])
    sent = list(mail.outbox)
    notes = list(Notification.objects.filter(article=article, recipient__email__gt=""))
    assert sent and len(sent) == len(notes)
    assert all(n.emailed_at is not None for n in notes)
    assert jobs.send_notification_emails.call([n.pk for n in notes]) == "0 sent"
    assert len(mail.outbox) == len(sent)


def test_the_search_index_rebuilt_twice_finds_the_same(settings):
    from django.core.management import call_command

    from articles.models import Article
    from articles.search import search_articles

    before = list(search_articles("Xiaomi").values_list("pk", flat=True))
    assert before
    call_command("rebuild_search_index", "--background", stdout=io.StringIO())  # runs at once
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert list(search_articles("Xiaomi").values_list("pk", flat=True)) == before
    assert jobs.rebuild_search_index.call().endswith("articles indexed")
    assert Article.objects.published().exists()
