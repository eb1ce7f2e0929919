"""A served copy of the demo archive: the API in-process (FastAPI's TestClient, checks on one
thread of this process) with a token of each role."""

import shutil
import time

import pytest

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from corroborator.interfaces.web.app import ServeConfig, create_app  # noqa: E402


@pytest.fixture(scope="session")
def web_store(demo_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "archive"
    shutil.copytree(demo_store, path)
    return path


@pytest.fixture(scope="session")
def served(web_store):
    app = create_app(ServeConfig(store=str(web_store), workers=0, max_body=1024 * 1024))
    db = app.state.service.db
    tokens = {role: db.create_token(role, f"test {role}")[1] for role in ("reader", "checker", "admin")}
    with TestClient(app) as client:
        yield client, tokens


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def wait_for(client, url: str, headers: dict, timeout: float = 240.0) -> dict:
    """The job at ``url`` once it is done or failed."""
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(url, headers=headers).json()
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.2)
