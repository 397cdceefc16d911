"""The site's URLs plus the baselines every figure is compared with (bench runs only)."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/string/", views.fixed_string, name="bench-string"),
    path("bench/template/", views.fixed_template, name="bench-template"),
    path("", include("newsroom.urls")),
]

handler404 = "articles.site.views.page_not_found"
