"""No request, however malformed, gets a 500: schemathesis generates them from the OpenAPI schema."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the test extra")

from hypothesis import HealthCheck, settings  # noqa: E402

from api_support import copy_db, ingested_db  # noqa: E402
from marsad import store  # noqa: E402
from marsad.api import create_app  # noqa: E402


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    # A private copy: generated ingest requests write to it.
    root = tmp_path_factory.mktemp("schema")
    engine = store.connect(str(copy_db(ingested_db(tmp_path_factory.mktemp("api")), root / "fuzz.db")))
    loaded = schemathesis.openapi.from_asgi("/openapi.json", create_app(engine))
    # Invalid inputs too (wrong types, out-of-range numbers, bodies that break the schema): still no 500.
    loaded.config.generation.update(modes=list(schemathesis.GenerationMode))
    yield loaded
    engine.dispose()


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error(case):
    case.call_and_validate(checks=[schemathesis.checks.not_a_server_error])
