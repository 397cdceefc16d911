from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.conf import settings
        from PIL import Image as PILImage

        # Pillow refuses to open anything over twice this (DecompressionBombError), whatever
        # path reaches it; uploads and renditions refuse at the limit itself.
        PILImage.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS

        # Derived data kept in step with saves: the SQLite search index, image renditions,
        # and the readers' page cache (its receivers connect on import).
        from articles import renditions, rules  # noqa: F401  (rules registers on import)
        from articles.search import index
        from articles.site import caching  # noqa: F401
        from articles.syndication import websub  # noqa: F401  (announces feeds to a hub)

        index.connect_signals()
        renditions.connect_signals()

        # Files no image uses any more leave storage (deleted images, replaced files).
        from articles import image_files

        image_files.connect_signals()
