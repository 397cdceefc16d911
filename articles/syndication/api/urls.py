"""The API object and its addresses: /api/v1/ (an index), /api/v1/openapi.json, /api/v1/docs
and the operations of `endpoints`; anything else under /api/ is a 404 as problem details.

django-ninja writes the OpenAPI 3 schema from the operations' typed parameters and
response schemas; `NewsroomAPI` adds what it cannot know: errors are
`application/problem+json`, and answers carry validators (and may be a 304).
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path, re_path
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from articles.syndication.api import problems
from articles.syndication.api.endpoints import router
from articles.syndication.api.represent import NAMESPACE, api_url
from articles.syndication.api.responses import cached_operation, cached_view

DESCRIPTION = """\
What the Newsroom publishes, for partners, apps and aggregators: articles in every
language with their people, companies, quotes and story threads. Read-only, no key needed,
any origin may call it from a browser.

- **Visibility**: only what the public site shows. A draft, scheduled or withdrawn article
  is not found, by id or by slug, and appears in no list and no other object.
- **Pages**: lists answer `items` and a `next_cursor` (and `next`, the address of the next
  page). Cursors are opaque; pages stay stable while new articles are published.
- **Caching**: answers carry `ETag`, `Last-Modified` and `Cache-Control`; send
  `If-None-Match` to get a `304 Not Modified` when nothing changed.
- **Errors** are `application/problem+json` (RFC 9457); a 400 lists each bad parameter
  under `invalid-params`.
"""

# The docs page loads Swagger UI from this site (django-ninja ships it) and runs no inline
# script, so it keeps to a policy as strict as the readers' pages; Swagger UI's stylesheet
# draws a few icons from data: URIs.
DOCS_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)


class SwaggerDocs(DocsBase):
    """Swagger UI from this site's static files (never a CDN), under its own policy."""

    def render_page(self, request, api, **kwargs):
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            # Swagger UI would otherwise send the schema to validator.swagger.io.
            "validatorUrl": None,
        }
        response = render(request, "api/docs.html", {"api": api, "settings": settings})
        response["Content-Security-Policy"] = DOCS_POLICY
        return response


VALIDATOR_HEADERS = {
    "ETag": {
        "description": "A digest of the body; send it back in If-None-Match.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {"schema": {"type": "string"}},
    "Cache-Control": {"schema": {"type": "string"}},
}


class NewsroomAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                answers = operation["responses"]
                for status, answer in answers.items():
                    if int(status) >= 400 and "application/json" in answer.get("content", {}):
                        answer["content"] = {
                            problems.MEDIA_TYPE: answer["content"].pop("application/json")
                        }
                    if int(status) == 200:
                        answer["headers"] = VALIDATOR_HEADERS
                answers[304] = {
                    "description": "Not Modified: the If-None-Match tag is still current."
                }
        return schema


api = NewsroomAPI(
    title="Newsroom API",
    version="1",
    description=DESCRIPTION,
    urls_namespace=NAMESPACE,
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=SwaggerDocs(),
    docs_decorator=cached_view,
)
problems.install(api)
router.add_decorator(cached_operation, mode="view")
api.add_router("/", router)


@cached_view
def index(request):
    return JsonResponse(
        {
            "openapi": api_url("openapi-json"),
            "docs": api_url("openapi-view"),
            "articles": api_url("articles"),
            "people": api_url("people"),
            "companies": api_url("companies"),
            "quotes": api_url("quotes"),
            "stories": api_url("stories"),
        }
    )


def not_found(request, rest: str = ""):
    return problems.problem(
        request, 404, "There is nothing at this address; /api/v1/ lists what there is."
    )


urlpatterns = [
    path("api/v1/", index, name="api-index"),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", not_found),
]
