from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        # Derived data kept in step with saves: the SQLite search index, image renditions.
        from articles import renditions
        from articles.search import index

        index.connect_signals()
        renditions.connect_signals()
