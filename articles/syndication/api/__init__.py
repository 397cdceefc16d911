"""The read API, version 1, under /api/v1/ (django-ninja; schema at /api/v1/openapi.json).

One module per concern: `schemas` (the shapes, from which ninja writes the OpenAPI
schema), `represent` (model rows as those shapes), `cursors` (keyset pagination),
`problems` (RFC 9457 errors), `responses` (page cache, validators, Cache-Control),
`cors` (any origin may read), `endpoints` (the operations) and `urls` (the API object).

Callers see what the public site shows and nothing more: every query starts from the
public querysets (`Article.objects.published()`, `Person.objects.public()`, …).
"""
