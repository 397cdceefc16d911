"""Baselines: what the same gunicorn, middleware and template engine do with no work at all."""

from django.http import HttpResponse
from django.shortcuts import render


def fixed_string(request):
    """The cheapest Django response: the floor under every page."""
    return HttpResponse("Newsroom baseline.\n", content_type="text/plain; charset=utf-8")


def fixed_template(request):
    """An article page saved as a template with nothing to fill in: the cost of rendering
    and sending a page of that size, without the database."""
    return render(request, "bench/article.html")
