"""Schemathesis against the OpenAPI schema: inputs generated from it (valid and not) never get a
5xx answer nor a status code the schema does not document, and every error is the one JSON
shape."""

import shutil

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from corroborator.interfaces.web.app import ServeConfig, create_app  # noqa: E402


@pytest.fixture(scope="module")
def fuzzed_app(web_store, tmp_path_factory):
    store = tmp_path_factory.mktemp("fuzz") / "archive"
    shutil.copytree(web_store, store, ignore=shutil.ignore_patterns("service.db*", "uploads"))
    app = create_app(ServeConfig(store=str(store), workers=0, rate_per_minute=100_000, max_queue=10_000))
    _, token = app.state.service.db.create_token("admin", "schemathesis")
    app.state.fuzz_token = token
    yield app
    app.state.service.close()


def test_no_server_errors_on_generated_input(fuzzed_app):
    # Schemathesis' own pytest plugin does not run under this pytest; its strategies do, with
    # Hypothesis driving each operation in turn
    from hypothesis import given
    from schemathesis.checks import content_type_conformance, response_schema_conformance

    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)
    headers = {"Authorization": f"Bearer {fuzzed_app.state.fuzz_token}"}
    tested, statuses = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        tested.append(operation.label)
        documented = set(operation.definition.raw.get("responses", {}))

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def call(case):
            response = case.call(headers=headers)
            statuses.append(response.status_code)
            assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])
            # every answer is one the schema documents for this operation, in the media type and
            # the shape it documents
            assert str(response.status_code) in documented, (case.method, case.path, response.status_code,
                                                             sorted(documented), response.text[:200])
            case.validate_response(response, checks=[response_schema_conformance, content_type_conformance])
            media = response.headers.get("content-type", [""])
            media = media[0] if isinstance(media, list) else media
            if response.status_code >= 400 and media.startswith("application/json"):
                assert set(response.json()["error"]) == {"status", "code", "message"}

        call()
    assert "POST /v1/checks" in tested and "GET /v1/search" in tested and len(tested) >= 12
    # generated requests were answered, valid ones accepted and invalid ones refused (which
    # bodies Hypothesis makes depends on its version: accepted checks are tested in test_api)
    assert 200 in statuses and any(400 <= s < 500 for s in statuses) and len(statuses) > 60, statuses
