"""Search, sitemaps and robots.txt: included first by articles/urls.py, so none of these
paths is taken for a language prefix or an article slug."""

from django.urls import path

from . import search, sitemaps

urlpatterns = [
    path("search/", search.search_page, name="search"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
]
