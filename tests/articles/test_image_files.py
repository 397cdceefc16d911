"""An image's files leave storage when no image uses them any more (articles/image_files.py),
here on the default local storage; tests/articles/test_media_storage.py does the same on
S3-compatible storage and on a storage without local paths."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import TestCase
from PIL import Image as PILImage

from articles import renditions
from articles.models import Image

pytestmark = pytest.mark.django_db


def png(colour=(30, 120, 200), size=(700, 400)) -> ContentFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return ContentFile(buffer.getvalue())


def new_image(name="files-test.png", colour=(30, 120, 200)) -> Image:
    image = Image(alt_text="A test picture", credit="Test")
    image.file.save(name, png(colour), save=False)
    # The save queues the renditions job; at the commit it runs (the tests' immediate queue).
    with TestCase.captureOnCommitCallbacks(execute=True):
        image.save()
    image.refresh_from_db()
    return image


def files_of(image: Image) -> set[str]:
    made = renditions.recorded(image)
    assert made is not None
    return {image.file.name, *(r.name for r in (*made.webp, *made.fallback))}


def stored(names) -> set[str]:
    return {name for name in names if default_storage.exists(name)}


def test_deleting_an_image_removes_its_file_and_renditions(django_capture_on_commit_callbacks):
    image = new_image()
    names = files_of(image)
    assert stored(names) == names and len(names) == 7  # the original, 3 widths x 2 formats
    with django_capture_on_commit_callbacks() as waiting:
        image.delete()
    assert stored(names) == names  # not before the delete is committed
    for callback in waiting:
        callback()
    assert stored(names) == set()
    assert default_storage.listdir(renditions.rendition_folder(image)) == ([], [])


def test_a_delete_that_is_rolled_back_keeps_the_files(django_capture_on_commit_callbacks):
    image = new_image()
    names = files_of(image)
    with (
        django_capture_on_commit_callbacks(execute=True) as waiting,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Image.objects.filter(pk=image.pk).delete()
        raise RuntimeError("the request failed after the delete")
    assert waiting == []
    assert Image.objects.filter(pk=image.pk).exists()
    assert stored(names) == names


def test_deleting_several_images_at_once_removes_all_their_files(
    django_capture_on_commit_callbacks,
):
    images = [new_image(f"bulk-{n}.png", (n * 40, 10, 10)) for n in range(3)]
    names = set().union(*(files_of(image) for image in images))
    with django_capture_on_commit_callbacks(execute=True):
        Image.objects.filter(pk__in=[image.pk for image in images]).delete()
    assert stored(names) == set()


def test_a_new_file_removes_the_old_one_and_its_renditions(django_capture_on_commit_callbacks):
    image = new_image()
    old = files_of(image)
    with django_capture_on_commit_callbacks(execute=True):
        image.file.save("replacement.png", png((200, 40, 40)), save=False)
        image.save()
    image.refresh_from_db()
    new = files_of(image)
    assert not old & new
    assert stored(old) == set()
    assert stored(new) == new


def test_a_save_that_keeps_the_file_removes_nothing(django_capture_on_commit_callbacks):
    image = new_image()
    names = files_of(image)
    with django_capture_on_commit_callbacks(execute=True):
        image.caption = "A new caption"
        image.save()
    assert stored(names) == names


def test_a_file_another_image_still_uses_is_kept(django_capture_on_commit_callbacks):
    image = new_image()
    names = files_of(image)
    twin = Image.objects.create(file=image.file.name, alt_text="The same picture")
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert stored(names) == names
    with django_capture_on_commit_callbacks(execute=True):
        twin.delete()
    assert stored(names) == set()


def test_a_revert_to_a_removed_file_keeps_the_current_one(django_capture_on_commit_callbacks):
    image = new_image()
    first = image.file.name
    with django_capture_on_commit_callbacks(execute=True):
        image.file.save("second.png", png((200, 40, 40)), save=False)
        image.save()
    image.refresh_from_db()
    second, second_name = files_of(image), image.file.name
    assert not default_storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        image.file = first  # what reverting to the first version does
        image.save()
    assert stored(second) == second
    with django_capture_on_commit_callbacks(execute=True):
        image.file = second_name  # and reverting back
        image.save()
    image.refresh_from_db()
    assert renditions.recorded(image) is not None and stored(files_of(image)) == second
