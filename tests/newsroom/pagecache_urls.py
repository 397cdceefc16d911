"""The site's URLs plus one page whose view chooses its own validators and a `Vary`, which
no page of the demo does: tests/newsroom/test_pagecache.py checks the page cache keeps them."""

from django.http import HttpResponse
from django.urls import include, path

from newsroom.pagecache import cache_page

OWN_VALIDATORS_URL = "/test-pagecache/own-validators/"


@cache_page
def own_validators(request):
    response = HttpResponse(b"The same words for every reader.", content_type="text/plain")
    response["ETag"] = '"chosen-by-the-view"'
    response["Cache-Control"] = "public, max-age=5"
    response["Vary"] = "Accept-Encoding"
    return response


urlpatterns = [
    path(OWN_VALIDATORS_URL.strip("/") + "/", own_validators),
    path("", include("newsroom.urls")),
]
