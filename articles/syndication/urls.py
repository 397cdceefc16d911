"""Feed URLs: /feeds/<lang>/{rss.xml,atom.xml,feed.json} and the same under
/feeds/<lang>/<people|companies|stories|sections>/<slug>/, plus /feeds/ and /feeds.opml.

Included before the article URLs, whose `<lang>/<slug>/` would otherwise be asked first.
"""

from django.urls import path, register_converter

from articles.site.caching import public_page
from articles.syndication import feeds, subjects, subscribe
from articles.urls import LanguageConverter  # noqa: F401  (importing registers <lang:…>)


class FeedKindConverter:
    regex = "|".join(subjects.KINDS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FeedKindConverter, "feedkind")

VIEWS = {
    "rss": public_page(feeds.ArticleFeed()),
    "atom": public_page(feeds.AtomArticleFeed()),
    "json": public_page(feeds.JsonArticleFeed()),
}

app_name = "feeds"
urlpatterns = [
    path("feeds/", public_page(subscribe.subscribe), name="index"),
    path("feeds.opml", public_page(subscribe.opml), name="opml"),
]
for fmt, view in VIEWS.items():
    filename = subjects.FORMATS[fmt].filename
    urlpatterns += [
        path(f"feeds/<lang:language>/{filename}", view, name=fmt),
        path(f"feeds/<lang:language>/<feedkind:kind>/<slug:slug>/{filename}", view, name=fmt),
    ]
