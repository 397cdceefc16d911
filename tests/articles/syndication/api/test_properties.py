"""A property-based run over the whole schema (schemathesis, in-process through the WSGI
application): whatever the parameters, no answer is a 500 and none breaks the schema
(status code, content type, body, headers)."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from articles.syndication.api.urls import api
from newsroom.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    # Values the schema forbids are refused with a 4xx, not answered.
    negative_data_rejection,
]


pytestmark = pytest.mark.django_db

# Examples per operation: modest, so `make test` stays fast (a run of 400 each passed when
# this was written: API_PROPERTY_EXAMPLES=400 pytest tests/articles/syndication/api/).
EXAMPLES = int(os.environ.get("API_PROPERTY_EXAMPLES", "30"))

# The schema /api/v1/openapi.json serves (test_schema.py checks the view serves this),
# built without a request: collection runs before any test database exists. (Loading it
# through a fixture, schemathesis.pytest.from_fixture, does not work with pytest 9 yet.)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = application


@pytest.fixture(autouse=True)
def requests_keep_the_test_transaction():
    """Django closes the database connection after each request it serves; inside a test
    that would end the test's transaction (Django's own test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    # Derandomized, so a failure comes back on every run.
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_parameters_break_the_api(case):
    case.call_and_validate(checks=CHECKS)
