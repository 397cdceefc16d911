"""Middleware shared by the whole project."""

from django.conf import settings
from django.utils import translation


class SiteLanguageMiddleware:
    """Start every request in the default language and say which language it answered in.

    Public pages and feeds take their language from the URL (a view switches to it with
    `articles.site.navigation.activate_page_language`); the admin stays in the default
    language. Unlike Django's LocaleMiddleware this never reads the browser's
    Accept-Language, so no response varies on it and a CDN keeps one copy per URL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A worker thread keeps the language its last request activated: reset it.
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        try:
            response = self.get_response(request)
            if "Content-Language" not in response:
                response["Content-Language"] = translation.get_language()
        finally:
            translation.deactivate()
        return response
