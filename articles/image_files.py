"""An image's files in storage (the original and its renditions) go when no image uses them
any more: when the image is deleted, or when its file is replaced by another.

Django leaves files behind in both cases; storage would otherwise keep every picture ever
uploaded, those taken down on purpose too. The files go only once the change is committed
(a delete that is rolled back keeps its picture), only through the storage API (local
disk and S3-compatible storage alike), and never while another image row names the same
file. Every image delete and save passes here, whichever path made it (the admin, its
bulk delete, a command), which is why this listens to the model's signals.

Reverting an image to an earlier version, or recovering a deleted one from the history,
brings back its words but not a removed file: upload the picture again. (Such a revert
removes nothing: the file it reverted from stays, and reverting back shows it again.)
"""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from articles import renditions
from articles.models import Image

logger = logging.getLogger(__name__)


def remove_files(name: str, *, storage, replaced_by: str = "") -> None:
    """Delete the stored file `name` and every rendition made of it, unless an image still
    uses that file, or the file that replaced it is missing from storage (a revert to an
    earlier, removed file: the current one is kept, so reverting back finds it)."""
    if not name or Image.objects.filter(file=name).exists():
        return
    if replaced_by and not storage.exists(replaced_by):
        logger.warning("Kept %s: the file that replaced it, %s, is not stored", name, replaced_by)
        return
    folder = renditions.rendition_folder(Image(file=name))
    try:
        made = storage.listdir(folder)[1]
    except FileNotFoundError:  # none were made (local disk: no folder)
        made = []
    for file in made:
        storage.delete(f"{folder}/{file}")
    storage.delete(name)
    logger.info("Removed %s and %d rendition(s) from storage", name, len(made))


def _remove_after_commit(name: str, storage, replaced_by: str = "") -> None:
    # robust: the row is already gone or changed; a storage error is logged, and leaves
    # no more than an unused file behind.
    transaction.on_commit(
        partial(remove_files, name, storage=storage, replaced_by=replaced_by), robust=True
    )


def _remember_stored_file(sender, instance: Image, raw: bool = False, **kwargs) -> None:
    if raw or instance._state.adding or instance.pk is None:
        return
    stored = Image.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    instance._stored_file = stored or ""


def _image_saved(sender, instance: Image, raw: bool = False, **kwargs) -> None:
    before = instance.__dict__.pop("_stored_file", "")
    if before and before != instance.file.name:
        _remove_after_commit(before, instance.file.storage, replaced_by=instance.file.name)


def _image_deleted(sender, instance: Image, **kwargs) -> None:
    if instance.file:
        _remove_after_commit(instance.file.name, instance.file.storage)


def connect_signals() -> None:
    """Remove files no image uses (called from the app config's ready())."""
    uid = "articles.image_files"
    pre_save.connect(_remember_stored_file, sender=Image, dispatch_uid=f"{uid}.pre_save")
    post_save.connect(_image_saved, sender=Image, dispatch_uid=f"{uid}.saved")
    post_delete.connect(_image_deleted, sender=Image, dispatch_uid=f"{uid}.deleted")
