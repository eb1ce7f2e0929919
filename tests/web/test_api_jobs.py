"""The API's job conventions (issue 25): batch submit, cursor pages and owner filters, ETag/304,
cancel and delete, and signed webhooks delivered to a real HTTP receiver on loopback."""

import json
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from corroborator.interfaces.web.app import ServeConfig, create_app
from corroborator.service.db import ServiceDB
from corroborator.service.webhooks import SIGNATURE_HEADER, check_callback, verify
from corroborator.errors import BadInputError

from .conftest import bearer, wait_for

PORT_ARTICLE = "The port authority said on Tuesday that {n} container ships were waiting at anchor off the harbour."


def _article(n: int, **extra) -> dict:
    return {"text": PORT_ARTICLE.format(n=n), "title": f"batch port {n}", **extra}


def _own_server(web_store, tmp_path, name: str, **config):
    store = tmp_path / name
    shutil.copytree(web_store, store, ignore=shutil.ignore_patterns("service.db*", "uploads"))
    return create_app(ServeConfig(store=str(store), workers=0, **config))


def test_batch_submit_makes_one_job_per_article_or_none(served):
    client, tokens = served
    h = bearer(tokens["checker"])
    r = client.post("/v1/checks", json=[_article(n) for n in (101, 102, 103)], headers=h)
    assert r.status_code == 202, r.text
    ids = [c["id"] for c in r.json()["checks"]]
    assert len(set(ids)) == 3
    lines = "\n".join(json.dumps(_article(n)) for n in (104, 105)) + "\n"
    r = client.post("/v1/checks", content=lines, headers={**h, "Content-Type": "application/x-ndjson"})
    assert r.status_code == 202 and len(r.json()["checks"]) == 2
    before = client.get("/v1/checks", headers=h).json()["total"]
    # one bad article: the whole batch is refused, naming it, and nothing is queued
    bad = client.post("/v1/checks", json=[_article(106), {"text": "   "}, _article(107)], headers=h)
    assert bad.status_code == 422 and bad.json()["error"]["message"].startswith("[1].text")
    bad = client.post("/v1/checks", content=json.dumps(_article(108)) + "\n{oops\n",
                      headers={**h, "Content-Type": "application/x-ndjson"})
    assert bad.status_code == 400 and "line 2" in bad.json()["error"]["message"]
    assert client.post("/v1/checks", json=[], headers=h).status_code == 422
    assert client.get("/v1/checks", headers=h).json()["total"] == before
    # an Idempotency-Key covers the whole batch
    key = {**h, "Idempotency-Key": "batch-9"}
    first = client.post("/v1/checks", json=[_article(109), _article(110)], headers=key).json()["checks"]
    again = client.post("/v1/checks", json=[_article(109), _article(110)], headers=key).json()["checks"]
    assert [c["id"] for c in first] == [c["id"] for c in again]
    assert client.post("/v1/checks", json=[_article(109)], headers=key).status_code == 409
    for job_id in ids:
        assert wait_for(client, f"/v1/checks/{job_id}", h)["status"] == "done"


def test_cursor_pages_cover_every_job_once_and_owner_filters(served):
    client, tokens = served
    h = bearer(tokens["checker"])
    client.post("/v1/checks", json=[_article(n) for n in (201, 202, 203, 204, 205)], headers=h)
    admin = bearer(tokens["admin"])
    client.post("/v1/checks", json=_article(206), headers=admin)
    total = client.get("/v1/checks", headers=h).json()["total"]
    seen, url, pages = [], "/v1/checks?limit=2", 0
    while url:
        page = client.get(url, headers=h).json()
        seen += [c["id"] for c in page["checks"]]
        url, pages = page["next"], pages + 1
        if pages == 1:  # a check arriving while paging does not shift the pages after it
            client.post("/v1/checks", json=_article(207), headers=h)
    assert len(seen) == len(set(seen)) == total and pages == (total + 1) // 2
    mine = client.get("/v1/checks", params={"owner": "me", "limit": 100}, headers=h).json()
    assert mine["checks"] and all(c["owner"] == mine["checks"][0]["owner"] for c in mine["checks"])
    theirs = client.get("/v1/checks", params={"owner": "me", "limit": 100}, headers=admin).json()
    assert not {c["id"] for c in mine["checks"]} & {c["id"] for c in theirs["checks"]}
    assert client.get("/v1/checks", params={"cursor": "garbage!"}, headers=h).status_code == 422
    assert client.get("/v1/checks", params={"cursor": page.get("next") or "MTox", "offset": 5},
                      headers=h).status_code == 422


def test_reports_and_articles_answer_304_to_their_etag(served):
    client, tokens = served
    h = bearer(tokens["reader"])
    job_id = client.post("/v1/checks", json=_article(301), headers=bearer(tokens["checker"])).json()["id"]
    assert wait_for(client, f"/v1/checks/{job_id}", h)["status"] == "done"
    for url in (f"/v1/checks/{job_id}", f"/v1/checks/{job_id}.html", "/v1/articles/demo-001"):
        first = client.get(url, headers=h)
        etag = first.headers["etag"]
        assert first.status_code == 200 and first.headers["cache-control"] == "private, no-cache"
        again = client.get(url, headers={**h, "If-None-Match": etag})
        assert again.status_code == 304 and not again.content and again.headers["etag"] == etag
        changed = client.get(url, headers={**h, "If-None-Match": '"an-older-version"'})
        assert changed.status_code == 200 and changed.content == first.content
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 401  # still needs a token


def test_cancel_a_queued_check_and_delete_a_finished_one(served):
    client, tokens = served
    h = bearer(tokens["checker"])
    # one check thread: the last of a batch waits in the queue while the first run
    ids = [c["id"] for c in client.post("/v1/checks", json=[_article(n) for n in (401, 402, 403)],
                                        headers=h).json()["checks"]]
    assert client.delete(f"/v1/checks/{ids[-1]}", headers=bearer(tokens["reader"])).status_code == 403
    service_db = client.app.state.service.db
    _, other = service_db.create_token("checker", "another desk")
    assert client.delete(f"/v1/checks/{ids[-1]}", headers=bearer(other)).status_code == 403
    r = client.delete(f"/v1/checks/{ids[-1]}", headers=h)
    assert r.status_code in (200, 204), r.text
    if r.status_code == 200:  # cancelled before it ran; it never runs after
        assert r.json()["status"] == "cancelled"
        assert wait_for(client, f"/v1/checks/{ids[0]}", h)["status"] == "done"
        wait_for(client, f"/v1/checks/{ids[1]}", h)
        assert client.get(f"/v1/checks/{ids[-1]}", headers=h).json()["status"] == "cancelled"
    done = wait_for(client, f"/v1/checks/{ids[0]}", h)
    assert done["status"] == "done"
    assert client.delete(f"/v1/checks/{ids[0]}", headers=bearer(tokens["admin"])).status_code == 204
    assert client.get(f"/v1/checks/{ids[0]}", headers=h).status_code == 404
    assert client.delete(f"/v1/checks/{ids[0]}", headers=h).status_code == 404


def test_a_cancelled_running_job_can_never_write(tmp_path):
    db = ServiceDB(tmp_path / "service.db")
    job = db.create_job("check", "running", "t1")
    lease = db.start_job(job)
    assert db.progress(job, lease, "verification", 1, 10)
    assert db.cancel_job(job, "cancelled by token t1")
    assert not db.progress(job, lease, "verification", 2, 10)  # the worker stops at its next step
    assert not db.finish_job(job, lease, {"schema": "corroborator.report/2"}, "<html></html>")
    assert db.job(job).status == "cancelled" and db.job(job).result is None
    assert not db.cancel_job(job, "again") and db.remove_job(job) and db.job(job) is None


class _Receiver:
    """A webhook receiver on loopback: records each POST; answers the codes it is given in turn
    (then 200)."""

    def __init__(self, codes=(), location: str = "") -> None:
        self.codes = list(codes)
        self.location = location
        self.got: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.got.append((dict(self.headers), body))
                code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                if code in (301, 302, 307):
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(codes=(), location=""):
        made.append(_Receiver(codes, location))
        return made[-1]

    yield make
    for r in made:
        r.close()


def _delivery(client, job_id, h, timeout=30.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/v1/checks/{job_id}", headers=h).json()
        callback = job.get("callback", {})
        if callback.get("delivery", "pending").startswith(("delivered", "gave up")) or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


def test_webhooks_are_signed_retried_and_never_sent_to_private_addresses(web_store, tmp_path, receiver):
    from fastapi.testclient import TestClient

    # a server on defaults: a loopback callback is refused when the check is submitted
    strict = _own_server(web_store, tmp_path, "strict")
    _, token = strict.state.service.db.create_token("checker")
    with TestClient(strict) as client:
        for url in ("http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://[::1]/hook", "ftp://example.org/x",
                    "http://user:pw@example.org/hook"):
            r = client.post("/v1/checks", json=_article(501, callback_url=url), headers=bearer(token))
            assert r.status_code == 422 and "callback_url" in r.json()["error"]["message"], (url, r.text)
    with pytest.raises(BadInputError, match="private"):
        check_callback("http://localhost/hook", allow_private=False)

    app = _own_server(web_store, tmp_path, "hooks", allow_private_callbacks=True, webhook_delays=(0.2, 0.2))
    db = app.state.service.db
    _, token = db.create_token("checker")
    secret = db.secret("webhook")
    h = bearer(token)
    flaky, broken, elsewhere = receiver([500]), receiver([500, 503, 500]), receiver()
    moved = receiver([307, 307, 307], location=elsewhere.url)
    with TestClient(app) as client:
        ids = {}
        for name, hook in (("flaky", flaky), ("broken", broken), ("moved", moved)):
            r = client.post("/v1/checks", json=_article(502, callback_url=hook.url), headers=h)
            assert r.status_code == 202, r.text
            ids[name] = r.json()["id"]
        flaky_job = _delivery(client, ids["flaky"], h)
        assert flaky_job["status"] == "done"
        assert flaky_job["callback"]["delivery"].startswith("delivered (HTTP 200, attempt 2)"), flaky_job["callback"]
        headers, body = flaky.got[-1]
        assert verify(secret, headers[SIGNATURE_HEADER], body)
        assert not verify(secret, headers[SIGNATURE_HEADER], body.replace(b"done", b"fail"))  # tampered
        assert not verify("another secret", headers[SIGNATURE_HEADER], body)
        assert not verify(secret, headers[SIGNATURE_HEADER], body, now=time.time() + 3600)  # a replay, later
        notice = json.loads(body)
        assert notice == {"event": "check.done", "id": ids["flaky"], "kind": "check", "status": "done", "error": None,
                          "links": {"self": f"/v1/checks/{ids['flaky']}", "html": f"/v1/checks/{ids['flaky']}.html"}}
        assert len(flaky.got) == 2
        # three failures: given up, and said so; a redirect is not followed
        for name, hook in (("broken", broken), ("moved", moved)):
            job = _delivery(client, ids[name], h)
            assert job["callback"]["delivery"].startswith("gave up after 3 attempts"), job["callback"]
            assert len(hook.got) == 3
        assert not elsewhere.got  # the redirect's target never heard of it


def test_chunked_bodies_over_the_limit_are_413_and_leave_no_files(served):
    client, tokens = served
    h = bearer(tokens["admin"])
    uploads = client.app.state.service.uploads
    before = set(uploads.iterdir()) if uploads.exists() else set()

    def chunks(first: bytes, size: int = 64 * 1024, count: int = 24):  # ~1.5 MB, no Content-Length
        yield first
        for _ in range(count):
            yield b"x" * size

    line = json.dumps({"text": PORT_ARTICLE.format(n=601)}).encode() + b"\n"
    r = client.post("/v1/articles", content=chunks(line), headers={**h, "content-type": "application/x-ndjson"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    boundary = "b0undary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()
    for url in ("/v1/articles", "/v1/checks"):
        r = client.post(url, content=chunks(head), headers={**h, "content-type": f"multipart/form-data; boundary={boundary}"})
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_large", (url, r.status_code, r.text[:200])
    after = set(uploads.iterdir()) if uploads.exists() else set()
    assert after == before  # no folder or file left by the refused uploads


def test_a_check_of_a_url_is_fetched_by_the_server_only_from_allowed_addresses(served, web_store, tmp_path):
    from fastapi.testclient import TestClient

    from ..stages.test_fetch import _Site

    site = _Site()
    try:
        url = f"{site.base}/news/strike.html"
        client, tokens = served  # a server on defaults: loopback pages are refused, at once
        r = client.post("/v1/checks", json={"url": url}, headers=bearer(tokens["checker"]))
        assert r.status_code == 422 and r.json()["error"]["code"] == "unfetchable"
        assert "private or local address" in r.json()["error"]["message"]
        assert client.post("/v1/checks", json={"title": "no text, no url"},
                           headers=bearer(tokens["checker"])).status_code == 422
        app = _own_server(web_store, tmp_path, "fetching", allow_private_urls=True)
        _, token = app.state.service.db.create_token("checker")
        with TestClient(app) as own:
            h = bearer(token)
            r = own.post("/v1/checks", json={"url": url, "title": "Strike, fetched"}, headers=h)
            assert r.status_code == 202, r.text
            job = wait_for(own, r.json()["links"]["self"], h)
            assert job["status"] == "done" and job["report"]["article"]["url"] == url
            assert job["report"]["article"]["title"] == "Strike, fetched" and job["report"]["summary"]["claims"] > 5
            r = own.post("/v1/checks", json={"url": f"{site.base}/image.png"}, headers=h)
            assert r.status_code == 422 and "not an HTML page" in r.json()["error"]["message"]
    finally:
        site.close()
