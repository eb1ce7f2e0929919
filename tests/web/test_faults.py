"""kill -9 of a real server while it indexes and while it checks: after a restart the store opens
and is whole, and the interrupted jobs say they failed and why (none is lost silently)."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from corroborator.interfaces.web.launch import free_port, start_server
from corroborator.service.db import ServiceDB

from ..conftest import DEMO

httpx = pytest.importorskip("httpx")


def _start(store: Path, port: int, log: Path) -> subprocess.Popen:
    return start_server(store, port, log, "--workers", "1", "--max-upload-mb", "20", timeout=120)


def _kill9(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)  # the server and its worker processes, no goodbye
    proc.wait(timeout=30)


def _wait_status(base: str, job_id: str, headers: dict, wanted: set[str], timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = httpx.get(f"{base}/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in wanted:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never reached {wanted}: {job}")


def test_kill_9_while_indexing_and_while_checking(demo_store, tmp_path):
    store = tmp_path / "archive"
    shutil.copytree(demo_store, store)
    db = ServiceDB(store / "service.db")
    _, token = db.create_token("admin", "faults")
    db.close()
    headers = {"Authorization": f"Bearer {token}"}
    before = sqlite3.connect(store / "store.db").execute("SELECT count(*) FROM articles").fetchone()[0]
    port, log = free_port(), tmp_path / "server.log"
    base = f"http://127.0.0.1:{port}"

    proc = _start(store, port, log)
    # many distinct articles: several batches of 64, so the kill lands between or inside them
    rows = [{"id": f"bulk-{i}", "outlet": f"Outlet {i % 17}", "published": "2025-05-01",
             "text": f"The council of town number {i} voted {i % 9} to {i % 7} on Monday to repair bridge {i * 7}, "
                     f"officials said. Work on road {i} starts in {i % 12 + 1} weeks at a cost of {i * 13} dollars."}
            for i in range(3000)]
    r = httpx.post(f"{base}/v1/articles", content="\n".join(json.dumps(x) for x in rows).encode(),
                   headers={**headers, "content-type": "application/x-ndjson"}, timeout=60)
    assert r.status_code == 202, r.text
    index_job = r.json()["id"]
    running = _wait_status(base, index_job, headers, {"running", "done", "failed"})
    assert running["status"] == "running", running
    time.sleep(1.5)
    _kill9(proc)

    proc = _start(store, port, log)
    job = httpx.get(f"{base}/v1/jobs/{index_job}", headers=headers).json()
    assert job["status"] == "failed" and "server stopped" in job["error"], job
    # the store opens, is whole, and holds whole batches: every stored article has its sentences
    conn = sqlite3.connect(store / "store.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    orphans = conn.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS "
                           "(SELECT 1 FROM sentences s WHERE s.article_rowid = a.rowid)").fetchone()[0]
    conn.close()
    assert before <= after < before + len(rows) and orphans == 0
    stats = httpx.get(f"{base}/v1/stats", headers=headers).json()
    assert stats["articles"] == after

    # now a check, killed while it runs
    article = next((DEMO / "check").glob("check-001*.md")).read_text()
    check = httpx.post(f"{base}/v1/checks", json={"text": article}, headers=headers).json()["id"]
    # the demo's longest article takes seconds: killed the moment it is seen running
    assert _wait_status(base, check, headers, {"running", "done", "failed"})["status"] == "running"
    _kill9(proc)
    proc = _start(store, port, log)
    job = httpx.get(f"{base}/v1/checks/{check}", headers=headers).json()
    assert job["status"] == "failed" and "server stopped" in job["error"] and job["report"] is None, job
    # and the restarted server still checks
    again = httpx.post(f"{base}/v1/checks", json={"text": article}, headers=headers).json()["id"]
    done = _wait_status(base, again, headers, {"done", "failed"}, timeout=240)
    assert done["status"] == "done", done
    proc.terminate()
    proc.wait(timeout=30)


def test_check_workers_end_with_the_server(demo_store, tmp_path):
    """kill -9 of the server alone (not its process group), during a check: its worker process
    notices and ends too, instead of living on as an orphan that finishes jobs a restarted server
    has marked failed (issue 25's finding; every test run used to leave two behind)."""
    psutil = pytest.importorskip("psutil")
    store = tmp_path / "archive"
    shutil.copytree(demo_store, store)
    db = ServiceDB(store / "service.db")
    _, token = db.create_token("checker", "faults")
    db.close()
    headers = {"Authorization": f"Bearer {token}"}
    port, log = free_port(), tmp_path / "server.log"
    base = f"http://127.0.0.1:{port}"
    proc = _start(store, port, log)
    try:
        article = next((DEMO / "check").glob("check-001*.md")).read_text()
        check = httpx.post(f"{base}/v1/checks", json={"text": article}, headers=headers).json()["id"]
        _wait_status(base, check, headers, {"running", "done", "failed"})
        children = psutil.Process(proc.pid).children(recursive=True)
        assert children, "a check worker process should be running"
        os.kill(proc.pid, signal.SIGKILL)  # the server only
        proc.wait(timeout=30)
        _, alive = psutil.wait_procs(children, timeout=60)
        assert not alive, [p.cmdline() for p in alive]
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of the group
        except ProcessLookupError:
            pass
