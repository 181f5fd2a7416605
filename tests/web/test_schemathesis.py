"""Property-based API testing from the OpenAPI schema: no generated request may cause a server error."""

from __future__ import annotations

import pytest
import schemathesis
import schemathesis.openapi
import schemathesis.pytest
from hypothesis import HealthCheck, settings

from storyline.web.app import create_app


@pytest.fixture(scope="module")
def api_schema(web_db):
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(web_db))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
# Derandomized: the same generated requests every run, so a failure is reproducible, never flaky.
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case):
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path} → {response.status_code}"
