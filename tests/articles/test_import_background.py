"""Wire import in the background: `import_articles --background` and the admin's upload
of several files queue a batch; the job imports it (at commit, with the tests'
ImmediateBackend) and the progress page shows the same report as the command."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from articles import importer, jobs
from articles.models import Article, ImportBatch
from tests.articles.test_importer import DUTCH, ENGLISH, TURKISH

pytestmark = pytest.mark.django_db


def page_of(client, batch) -> str:
    response = client.get(reverse("admin:articles_importbatch_change", args=[batch.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_command_queues_the_files_and_the_job_gives_the_same_report(
    tmp_path, admin_user_client, django_capture_on_commit_callbacks
):
    paths = []
    for name, text in [("en.txt", ENGLISH), ("nl.txt", DUTCH), ("tr.txt", TURKISH)]:
        paths.append(tmp_path / name)
        paths[-1].write_text(text, encoding="utf-8")
    paths.append(tmp_path / "missing.txt")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        call_command("import_articles", "--background", *map(str, paths), stdout=out)
    batch = ImportBatch.objects.latest("pk")
    assert f"Queued 4 file(s) as wire import #{batch.pk}" in out.getvalue()
    assert (batch.done, batch.total) == (1, 4)  # the missing file is known at once
    waiting = page_of(admin_user_client, batch)
    assert "1 of 4 files done; the background worker imports the rest" in waiting
    assert '<meta http-equiv="refresh"' in waiting

    for callback in queued:
        callback()  # the commit: the job runs (ImmediateBackend)
    batch.refresh_from_db()
    assert (batch.done, batch.total) == (4, 4) and batch.finished_at is not None
    page = page_of(admin_user_client, batch)
    assert "Done: 4 of 4 files." in page and "3 imported, 1 rejected" in page
    assert '<meta http-equiv="refresh"' not in page
    lines = list(batch.files.values_list("line", flat=True))
    assert lines[0].startswith(f"imported   {paths[0]}: draft “Lei Jun hands Xiaomi")
    assert "[nl]" in lines[1] and "[tr]" in lines[2]
    assert lines[3] == f"rejected   {paths[3]}: no such file"
    for line in lines:
        assert escape(line) in page


def test_running_the_job_twice_imports_nothing_more(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = importer.queue_import([("a.txt", ENGLISH.encode()), ("b.txt", DUTCH.encode())])
    articles = Article.objects.count()
    report = list(batch.files.values_list("line", flat=True))
    assert jobs.import_wire_batch.call(batch.pk) == "2 of 2 files"
    batch.refresh_from_db()
    assert Article.objects.count() == articles
    assert (batch.done, list(batch.files.values_list("line", flat=True))) == (2, report)


def test_an_editor_uploads_several_files_and_watches_them_imported(
    client, users, django_capture_on_commit_callbacks
):
    client.force_login(users["editor"])
    url = reverse("admin:articles_importbatch_add")
    form = client.get(url).content.decode()
    assert 'type="file" name="files" multiple' in form
    too_big = b"x" * (settings.IMPORT_MAX_FILE_BYTES + 1)
    files = [
        SimpleUploadedFile("en.txt", ENGLISH.encode()),
        SimpleUploadedFile("tr.txt", TURKISH.encode()),
        SimpleUploadedFile("huge.txt", too_big),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"files": files, "language": "", "owner": ""})
    batch = ImportBatch.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_importbatch_change", args=[batch.pk])
    assert batch.created_by == users["editor"]
    page = page_of(client, batch)
    assert "Done: 3 of 3 files." in page and "2 imported, 1 rejected" in page
    assert "huge.txt: the file is" in page


def test_an_upload_without_files_is_a_form_error(admin_user_client):
    response = admin_user_client.post(reverse("admin:articles_importbatch_add"), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_translator_may_not_queue_imports(client, users):
    client.force_login(users["translator"])
    assert client.get(reverse("admin:articles_importbatch_add")).status_code == 403
