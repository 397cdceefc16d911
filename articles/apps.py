from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        # Derived data kept in step with saves: the SQLite search index, image renditions,
        # and the readers' page cache (its receivers connect on import).
        from articles import renditions, rules  # noqa: F401  (rules registers on import)
        from articles.search import index
        from articles.site import caching  # noqa: F401

        index.connect_signals()
        renditions.connect_signals()
