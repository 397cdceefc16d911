from django.urls import path, register_converter

from articles.desk import preview
from articles.search import views as search_views
from articles.site import sitemaps, views


class LanguageConverter:
    """A language code in a URL; whether it is one we publish in is the view's question."""

    regex = "[a-z]{2,3}(?:-[a-z]{2,4})?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LanguageConverter, "lang")

app_name = "articles"
# Fixed paths come before the language-prefixed ones. None of them can be mistaken for a
# language code (two or three letters), so none can hide an article.
urlpatterns = [
    path("search/", search_views.search_page, name="search"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("", views.front_page, name="home"),
    path("articles/", views.article_list, name="list"),
    path("stories/<slug:slug>/", views.storyline_detail, name="storyline"),
    # Before the language patterns, so a preview address is never read as an article's.
    path("preview/<str:token>/", preview.preview_by_link, name="preview"),
    path("<lang:language>/", views.front_page, name="front"),
    path("<lang:language>/<slug:slug>/", views.article_detail, name="detail"),
]
