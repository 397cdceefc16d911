"""Helpers for the read API's tests: fetch an answer, read the schema, check an answer
against the schema's shape, and crawl every object the API links to."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

API = "/api/v1"


def local(url: str) -> str:
    """An absolute API address as a path for the test client."""
    assert url.startswith(settings.SITE_URL), url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def get_json(client, url: str, status: int = 200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    return response.json()


@pytest.fixture
def openapi(client):
    return get_json(client, f"{API}/openapi.json")


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


class Shapes:
    """Checks answers against the responses the schema declares for their operation."""

    def __init__(self, openapi: dict):
        self.openapi = openapi
        self.registry = Registry().with_resource(
            "urn:newsroom-api", Resource(contents=openapi, specification=DRAFT202012)
        )
        self.routes = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), path)
            for path in openapi["paths"]
        ]

    def template(self, path: str) -> str:
        found = [template for pattern, template in self.routes if pattern.match(path)]
        assert len(found) == 1, (path, found)
        return found[0]

    def check(self, url: str, response) -> str:
        """Assert `response` (to GET `url`) is in its operation's declared shape; return
        the operation's path template."""
        template = self.template(urlsplit(url).path)
        answers = self.openapi["paths"][template]["get"]["responses"]
        status = str(response.status_code)
        assert status in answers, (url, status, list(answers))
        media_type = response["Content-Type"].split(";")[0]
        assert media_type in answers[status]["content"], (url, media_type)
        ref = "urn:newsroom-api#/" + _pointer(
            "paths", template, "get", "responses", status, "content", media_type, "schema"
        )
        validator = Draft202012Validator({"$ref": ref}, registry=self.registry)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(
            response.json())]  # fmt: skip
        assert not errors, (url, errors[:5])
        return template


@pytest.fixture
def shapes(openapi):
    return Shapes(openapi)


def api_urls(value) -> list[str]:
    """Every API address in an answer (the `api_url`s, `next` pages and `…_url`s)."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and item.startswith(settings.SITE_URL + API):
                if key in ("api_url", "next", "articles_url", "quotes_url"):
                    found.append(item)
            else:
                found += api_urls(item)
    elif isinstance(value, list):
        for item in value:
            found += api_urls(item)
    return found


def crawl(client, start: list[str], *, limit: int = 400) -> dict[str, object]:
    """Every API answer reachable from `start` by following the links in answers:
    {path: response}."""
    seen: dict[str, object] = {}
    todo = list(start)
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        assert len(seen) < limit, "the crawl did not end"
        response = client.get(url)
        seen[url] = response
        if response.status_code == 200:
            todo += [local(u) for u in api_urls(response.json())]
    return seen


LISTS = [f"{API}/articles", f"{API}/people", f"{API}/companies", f"{API}/quotes", f"{API}/stories"]
