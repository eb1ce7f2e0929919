"""The REST API in-process against a real store, real models and a real service.db."""

import json

from corroborator import __version__
from corroborator.interfaces.web.app import ServeConfig, create_app
from corroborator.service.db import ServiceDB

from ..conftest import DEMO
from .conftest import bearer, wait_for

CHECK_001 = next((DEMO / "check").glob("check-001*.md"))
HOSTILE = ("Drill report. Two US B-52H bombers flew over the Sea of Japan on Friday, March 14. "
           "<script>alert('pwned')</script> The drill lasted about three hours, officials said. "
           '<img src=x onerror="alert(1)"> Japanese F-2 fighters joined the formation.')


def _claim(report: dict, needle: str) -> dict:
    return next(c for c in report["claims"] if needle in c["text"])


def test_health_needs_no_token_and_everything_else_does(served):
    client, _ = served
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["articles"] > 20
    for method, url in (("GET", "/v1/checks"), ("GET", "/v1/stats"), ("GET", "/v1/search?q=drill"),
                        ("GET", "/v1/timeline"), ("POST", "/v1/checks"), ("POST", "/v1/articles"),
                        ("POST", "/v1/signals"), ("POST", "/v1/claims"), ("GET", "/v1/articles/demo-001"),
                        ("GET", "/v1/jobs/x")):
        r = client.request(method, url)
        assert r.status_code == 401, (method, url, r.status_code)
        assert r.json()["error"]["code"] == "unauthorized" and r.headers["www-authenticate"] == "Bearer"
    assert client.get("/v1/stats", headers=bearer("cor_not-a-token")).status_code == 401


def test_each_role_can_do_exactly_what_it_should(served):
    client, tokens = served
    article = {"text": "The port authority said on Tuesday that 23 container ships were waiting at anchor."}
    allowed = {  # what each role may do; the rest is 403
        "reader": {"stats", "search", "list"},
        "checker": {"stats", "search", "list", "check", "signals", "claims"},
        "admin": {"stats", "search", "list", "check", "signals", "claims", "index"},
    }
    for role, token in tokens.items():
        h = bearer(token)
        results = {
            "stats": client.get("/v1/stats", headers=h).status_code,
            "search": client.get("/v1/search", params={"q": "bombers"}, headers=h).status_code,
            "list": client.get("/v1/checks", headers=h).status_code,
            "check": client.post("/v1/checks", json=article, headers=h).status_code,
            "signals": client.post("/v1/signals", json=article, headers=h).status_code,
            "claims": client.post("/v1/claims", json=article, headers=h).status_code,
            "index": client.post("/v1/articles", json={**article, "id": f"role-{role}"}, headers=h).status_code,
        }
        for action, status in results.items():
            expected = {200, 202} if action in allowed[role] else {403}
            assert status in expected, (role, action, status)


def test_check_the_demo_article_end_to_end(served):
    client, tokens = served
    h = bearer(tokens["checker"])
    r = client.post("/v1/checks", json={"text": CHECK_001.read_text(), "title": "demo drill", "outlet": "GIN",
                                        "published": "2025-03-17"}, headers=h)
    assert r.status_code == 202 and r.json()["status"] == "queued"
    assert r.headers["location"] == r.json()["links"]["self"]  # where the new check lives
    job = wait_for(client, r.json()["links"]["self"], h)
    assert job["status"] == "done", job
    assert job["progress"]["total"] > 0 and job["progress"]["done"] == job["progress"]["total"]
    report = job["report"]
    assert report["schema"] == "corroborator.report/2"
    assert _claim(report, "Col. Dana Whitfield")["verdict"] == "SUPPORTED"
    six = _claim(report, "more than six hours")  # similar reporting with another number (issue 23)
    assert six["finding"] == "similar_reporting" and six["record"]["status"] == "altered"
    assert _claim(report, "submarine")["verdict"] == "NOT_ENOUGH_INFO"
    assert report["summary"]["risk"] >= 0.35
    page = client.get(f"/v1/checks/{job['id']}.html", headers=h)
    assert page.status_code == 200 and "demo drill" in page.text
    listed = client.get("/v1/checks", headers=bearer(tokens["reader"])).json()
    assert job["id"] in [c["id"] for c in listed["checks"]] and "report" not in listed["checks"][0]


def test_uploaded_hostile_file_is_checked_and_its_markup_is_text(served, tmp_path):
    client, tokens = served
    h = bearer(tokens["checker"])
    r = client.post("/v1/checks", files={"file": ("hostile.txt", HOSTILE.encode(), "text/plain")}, headers=h)
    assert r.status_code == 202, r.text
    job = wait_for(client, r.json()["links"]["self"], h)
    assert job["status"] == "done", job
    html = client.get(f"/v1/checks/{job['id']}.html", headers=h).text
    assert "<script>alert" not in html and "<img src=x" not in html and "&lt;script&gt;" in html
    assert job["report"]["article"]["source"] == "hostile.txt"
    r = client.post("/v1/checks", files={"file": ("tool.exe", b"MZ\x00\x01", "application/octet-stream")}, headers=h)
    assert r.status_code == 415 and ".exe" in r.json()["error"]["message"]


def test_an_uploaded_screenshot_is_read_by_ocr_and_checked(served, tmp_path):
    import shutil

    import pytest

    if shutil.which("tesseract") is None:
        pytest.skip("needs Tesseract OCR (apt-get install tesseract-ocr tesseract-ocr-eng)")
    from ..stages.test_image import ARTICLE, render

    client, tokens = served
    h = bearer(tokens["checker"])
    shot = render(ARTICLE, tmp_path / "post.png").read_bytes()
    r = client.post("/v1/checks", files={"file": ("post.png", shot, "image/png")}, headers=h)
    assert r.status_code == 202, r.text
    job = wait_for(client, r.json()["links"]["self"], h)
    assert job["status"] == "done", job
    assert job["report"]["article"]["source"] == "post.png"
    assert any("B-52H" in c["text"] for c in job["report"]["claims"])
    # the report page shows the image with the claims outlined on it (the image travels with the job)
    assert job["report"]["image"]["words"] and job["report"]["image"]["data_uri"].startswith("data:image/jpeg")
    page = client.get(r.json()["links"]["html"], headers=h).text
    assert '<svg class="shot"' in page and '<a href="#c1"><rect' in page
    r = client.post("/v1/checks", files={"file": ("fake.png", b"GIF89a not really", "image/png")}, headers=h)
    assert r.status_code == 400 and "not an image" in r.json()["error"]["message"], r.text


def test_bad_requests_get_one_json_error(served):
    client, tokens = served
    h = bearer(tokens["checker"])
    cases = [
        (client.post("/v1/checks", content=b"{not json", headers={**h, "content-type": "application/json"}), 400),
        # the same fault, the same code, on an endpoint whose body FastAPI parses
        (client.post("/v1/signals", content=b"{not json", headers={**h, "content-type": "application/json"}), 400),
        (client.post("/v1/checks", json={"title": "no text"}, headers=h), 422),
        (client.post("/v1/checks", json={"text": "short"}, headers=h), 422),
        # whitespace is as empty as nothing: the same code
        (client.post("/v1/checks", json={"text": " \n\t" * 20}, headers=h), 422),
        (client.post("/v1/checks", json={"text": ""}, headers=h), 422),
        (client.post("/v1/checks", json={"text": "\x00" * 30}, headers=h), 400),
        (client.post("/v1/checks", content=b"text", headers={**h, "content-type": "text/plain"}), 415),
        (client.post("/v1/checks", content=b"x" * (1024 * 1024 + 1), headers={**h, "content-type": "application/json"}), 413),
        (client.get("/v1/checks/nope", headers=h), 404),
        (client.get("/v1/search", params={"q": ""}, headers=h), 422),
        (client.get("/v1/checks", params={"limit": 0}, headers=h), 422),
        (client.get("/no/such/page"), 404),
    ]
    for response, status in cases:
        assert response.status_code == status, (response.status_code, response.text)
        error = response.json()["error"]
        assert error["status"] == status and error["message"] and "Traceback" not in response.text
    # an unknown field is refused by name, never ignored
    assert client.post("/v1/signals", content=b"{not json",
                       headers={**h, "content-type": "application/json"}).json()["error"]["code"] == "bad_json"
    typo = client.post("/v1/checks", json={"text": "A long enough article text. " * 3, "publshed": "2025-01-01"}, headers=h)
    assert typo.status_code == 422 and "publshed" in typo.json()["error"]["message"]


def test_security_headers_on_every_answer(served):
    client, tokens = served
    for response in (client.get("/healthz"), client.get("/signin"), client.get("/v1/stats"), client.get("/docs")):
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp.split(
            "script-src")[1].split(";")[0]
        assert response.headers["x-content-type-options"] == "nosniff"
    # what a token or session may see is never kept by a cache or shown again by Back
    assert client.get("/v1/stats", headers=bearer(tokens["reader"])).headers["cache-control"] == "no-store"
    assert client.get("/app", follow_redirects=False).headers["cache-control"] == "no-store"
    assert "cache-control" not in client.get("/healthz").headers
    docs = client.get("/docs").text
    assert "<script src=\"/static/app.js\"" in docs and "cdn" not in docs.lower() and "/v1/checks" in docs
    spec = client.get("/openapi.json").json()
    assert spec["info"]["version"] == __version__
    assert spec["components"]["securitySchemes"]["bearer"] == {**spec["components"]["securitySchemes"]["bearer"],
                                                               "type": "http", "scheme": "bearer"}
    post = spec["paths"]["/v1/checks"]["post"]
    assert post["security"] == [{"bearer": []}] and spec["paths"]["/healthz"]["get"]["security"] == []
    # the error shape the server sends, not FastAPI's {"detail": ...}
    for code in ("401", "403", "413", "422", "429"):
        assert post["responses"][code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert "404" in spec["paths"]["/v1/checks/{job_id}"]["get"]["responses"]


def test_archive_upload_search_article_timeline_and_stats(served):
    client, tokens = served
    admin = bearer(tokens["admin"])
    rows = [{"id": "web-harbour-1", "outlet": "Web Gazette", "published": "2025-04-02",
             "text": "The harbour master of Port Ellery said on Wednesday that 41 grain ships were stuck at anchor."},
            {"id": "web-harbour-2", "outlet": "Other Daily", "published": "2025-04-03",
             "text": "Forty-one grain carriers waited outside Port Ellery, the harbour master said on Wednesday."},
            {"text": ""}]
    body = "\n".join(json.dumps(r) for r in rows).encode()
    r = client.post("/v1/articles", content=body, headers={**admin, "content-type": "application/x-ndjson"})
    assert r.status_code == 202, r.text
    job = wait_for(client, r.json()["links"]["self"], admin)
    assert job["status"] == "done" and job["result"]["added"] == 2 and len(job["result"]["errors"]) == 1
    assert "upload.jsonl:3" in job["result"]["errors"][0]  # named by the upload, not a server path
    h = bearer(tokens["reader"])
    found = client.get("/v1/search", params={"q": "grain ships at anchor Port Ellery", "limit": 5}, headers=h).json()
    assert found["results"] and found["results"][0]["article_id"].startswith("web-harbour")
    assert found["results"][0]["links"]["article"] == f"/v1/articles/{found['results'][0]['article_id']}"
    assert found["results"][0]["similarity"] > 0.3
    # the relevance floor: a query the archive is not about fills the list only when asked to
    cake = {"q": "recipe for chocolate cake with strawberries", "limit": 10}
    assert len(client.get("/v1/search", params=cake, headers=h).json()["results"]) == 10
    assert client.get("/v1/search", params={**cake, "relevant_only": "true"}, headers=h).json()["results"] == []
    kept = client.get("/v1/search", params={"q": "grain ships at anchor Port Ellery", "relevant_only": "true"},
                      headers=h).json()["results"]
    assert {"web-harbour-1", "web-harbour-2"} <= {x["article_id"] for x in kept}
    only = client.get("/v1/search", params={"q": "grain ships Port Ellery", "outlet": "Other Daily"}, headers=h).json()
    assert {x["outlet"] for x in only["results"]} == {"Other Daily"}
    early = client.get("/v1/search", params={"q": "grain ships Port Ellery", "until": "2025-04-02"}, headers=h).json()
    assert "web-harbour-1" in {x["article_id"] for x in early["results"]}
    assert all(x["published"] and x["published"] <= "2025-04-02" for x in early["results"])
    article = client.get("/v1/articles/web-harbour-1", headers=h).json()
    assert article["outlet"] == "Web Gazette" and article["published"] == "2025-04-02"
    assert client.get("/v1/articles/none-such", headers=h).status_code == 404
    stats = client.get("/v1/stats", headers=h).json()
    assert "Web Gazette" in [o["outlet"] for o in stats["top_outlets"]] and "path" not in stats
    assert isinstance(stats["outlets"], int) and stats["outlets"] >= len(stats["top_outlets"])  # the count stays
    events = client.get("/v1/timeline", headers=h).json()["events"]
    assert any("web-harbour-1" in e["articles"] for e in events)


def test_signals_need_no_archive(served):
    client, tokens = served
    r = client.post("/v1/signals", json={"text": CHECK_001.read_text()}, headers=bearer(tokens["checker"]))
    assert r.status_code == 200
    assert r.json()["schema"] == "corroborator.signals/1" and {"anonymous", "documents"} <= set(r.json()["summary"]["sourcing"])


def test_claims_are_the_command_lines_claims(served, tmp_path):
    """/v1/claims and `corroborator claims -f json` are one renderer's input (claims/json)."""
    from typer.testing import CliRunner

    from corroborator.interfaces.cli import app

    client, tokens = served
    r = client.post("/v1/claims", json={"text": CHECK_001.read_text(), "id": "check-001"}, headers=bearer(tokens["checker"]))
    assert r.status_code == 200, r.text
    path = tmp_path / "check-001.jsonl"  # the same text, read as it is
    path.write_text(json.dumps({"id": "check-001", "text": CHECK_001.read_text()}) + "\n")
    done = CliRunner().invoke(app, ["claims", "-f", "json", str(path)])
    assert done.exit_code == 0, done.output
    cli = json.loads(done.output)
    assert r.json()["schema"] == cli["schema"] == "corroborator.claims/1"
    assert r.json()["claims"] == cli["claims"] and len(cli["claims"]) >= 5


def test_rate_limit_per_token(web_store, tmp_path):
    import shutil

    from fastapi.testclient import TestClient

    store = tmp_path / "limited"
    shutil.copytree(web_store, store, ignore=shutil.ignore_patterns("service.db*", "uploads"))
    app = create_app(ServeConfig(store=str(store), workers=0, rate_per_minute=5))
    _, token = app.state.service.db.create_token("reader")
    _, other = app.state.service.db.create_token("reader")
    with TestClient(app) as client:
        codes = [client.get("/v1/checks", headers=bearer(token)).status_code for _ in range(7)]
        assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
        limited = client.get("/v1/checks", headers=bearer(token))
        assert int(limited.headers["retry-after"]) >= 1 and limited.json()["error"]["code"] == "rate_limited"
        assert client.get("/v1/checks", headers=bearer(other)).status_code == 200  # per token


def test_unfinished_jobs_are_marked_failed_at_restart_and_reports_survive(web_store, tmp_path):
    import shutil

    store = tmp_path / "restart"
    shutil.copytree(web_store, store, ignore=shutil.ignore_patterns("service.db*", "uploads"))
    db = ServiceDB(store / "service.db")
    done = db.create_job("check", "kept", None)
    assert db.finish_job(done, db.start_job(done), {"schema": "corroborator.report/2"}, "<html></html>")
    running = db.create_job("check", "cut short", None)
    stale_lease = db.start_job(running)
    assert stale_lease and db.start_job(running) is None  # a job is taken once
    queued = db.create_job("index", "never started", None)
    db.close()
    app = create_app(ServeConfig(store=str(store), workers=0))  # a new server start
    db = app.state.service.db
    assert db.job(done).status == "done" and db.job(done).result == {"schema": "corroborator.report/2"}
    for job_id in (running, queued):
        job = db.job(job_id)
        assert job.status == "failed" and "server stopped" in job.error
    # a worker that outlived the old server holds a revoked lease: it can neither report
    # progress nor write its result over the failure
    assert not db.progress(running, stale_lease, "verification", 5, 10)
    assert not db.finish_job(running, stale_lease, {"schema": "corroborator.report/2"}, "<html></html>")
    assert not db.fail_job(running, stale_lease, "late")
    job = db.job(running)
    assert job.status == "failed" and "server stopped" in job.error and job.result is None
    assert db.start_job(queued) is None  # nor can a failed job be started again
    app.state.service.close()


def test_tokens_are_stored_hashed_and_can_be_revoked(tmp_path):
    db = ServiceDB(tmp_path / "service.db")
    token, secret = db.create_token("checker", "desk")
    raw = (tmp_path / "service.db").read_bytes()
    assert secret.encode() not in raw and db.token(secret) == token
    sid = db.create_session(token)
    assert db.session(sid) == token
    assert db.revoke_token(token.id) and db.token(secret) is None and db.session(sid) is None


def test_articles_indexed_by_the_command_line_are_seen_without_a_restart(served, web_store, tmp_path):
    from ..conftest import cli

    client, tokens = served
    h = bearer(tokens["reader"])
    before = client.get("/v1/stats", headers=h).json()["articles"]
    client.get("/v1/timeline", headers=h)  # cached until the archive changes
    extra = tmp_path / "ferry.txt"
    extra.write_text("The ferry operator of Lake Orran said on Sunday that 312 passengers were stranded overnight.\n")
    assert cli("index", str(extra), "--store", str(web_store)).returncode == 0
    assert client.get("/v1/stats", headers=h).json()["articles"] == before + 1
    found = client.get("/v1/search", params={"q": "ferry passengers stranded Lake Orran"}, headers=h).json()
    assert found["results"][0]["source"].endswith("ferry.txt")


def test_a_check_past_its_time_limit_is_stopped_and_says_so(web_store, tmp_path):
    import shutil

    from fastapi.testclient import TestClient

    store = tmp_path / "slow"
    shutil.copytree(web_store, store, ignore=shutil.ignore_patterns("service.db*", "uploads"))
    app = create_app(ServeConfig(store=str(store), workers=0, check_timeout=0.001))
    _, token = app.state.service.db.create_token("checker")
    with TestClient(app) as client:
        r = client.post("/v1/checks", json={"text": CHECK_001.read_text()}, headers=bearer(token))
        job = wait_for(client, r.json()["links"]["self"], bearer(token))
    assert job["status"] == "failed" and "took longer than" in job["error"]


def test_a_server_on_an_empty_folder_builds_its_archive_from_uploads(tmp_path):
    from fastapi.testclient import TestClient

    app = create_app(ServeConfig(store=str(tmp_path / "new-archive"), workers=0))
    _, admin = app.state.service.db.create_token("admin")
    h = bearer(admin)
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 503  # no archive yet
        r = client.post("/v1/checks", json={"text": CHECK_001.read_text()}, headers=h)
        assert r.status_code == 409 and r.json()["error"]["code"] == "archive_empty"
        # the same fault is the same answer on every endpoint (by the error's kind, errors.Fault)
        for url in ("/v1/search?q=bombers", "/v1/timeline", "/v1/articles/none"):
            r = client.get(url, headers=h)
            assert r.status_code == 409 and r.json()["error"]["code"] == "archive_empty", (url, r.text)
        r = client.post("/v1/articles", files={"file": ("drill.md", CHECK_001.read_bytes())}, headers=h)
        job = wait_for(client, r.json()["links"]["self"], h)
        assert job["status"] == "done" and job["result"]["added"] == 1, job
        assert client.get("/v1/stats", headers=h).json()["articles"] == 1


def test_idempotency_key_makes_a_retried_submit_one_job(served):
    client, tokens = served
    h = bearer(tokens["checker"])
    article = {"text": "The port authority said on Tuesday that 23 container ships were waiting at anchor.",
               "title": "idempotent port"}
    key = {"Idempotency-Key": "retry-7f3a"}
    first = client.post("/v1/checks", json=article, headers={**h, **key})
    again = client.post("/v1/checks", json=article, headers={**h, **key})
    assert first.status_code == again.status_code == 202 and first.json()["id"] == again.json()["id"]
    titled = client.get("/v1/checks", params={"limit": 100}, headers=h).json()["checks"]
    assert sum(c["title"] == "idempotent port" for c in titled) == 1
    # the key with another article: refused, not a second job under the same key
    other = client.post("/v1/checks", json={**article, "text": article["text"] + " More text."}, headers={**h, **key})
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_conflict"
    # keys belong to a token: another token's same key is another request
    mine = client.post("/v1/checks", json=article, headers={**bearer(tokens["admin"]), **key})
    assert mine.status_code == 202 and mine.json()["id"] != first.json()["id"]
    # without a key, two posts are two jobs
    a = client.post("/v1/checks", json=article, headers=h).json()["id"]
    assert client.post("/v1/checks", json=article, headers=h).json()["id"] != a


def test_job_list_filters_and_refuses_unknown_parameters(served):
    client, tokens = served
    h = bearer(tokens["admin"])
    client.post("/v1/articles", json={"text": "The harbour master said 14 tugs worked through the night.",
                                      "id": "jobs-list-1"}, headers=h)
    everything = client.get("/v1/jobs", params={"limit": 100}, headers=h).json()
    assert "index" in {j["kind"] for j in everything["jobs"]} and everything["total"] >= len(everything["jobs"])
    indexing = client.get("/v1/jobs", params={"kind": "index", "limit": 100}, headers=h).json()
    assert indexing["jobs"] and all(j["kind"] == "index" for j in indexing["jobs"])
    for status in ("queued", "running", "done", "failed"):
        listed = client.get("/v1/checks", params={"status": status, "limit": 100}, headers=h).json()["checks"]
        assert all(c["status"] == status for c in listed)
    for url, params in (("/v1/checks", {"stauts": "done"}), ("/v1/jobs", {"since": "2025-13-45"}),
                        ("/v1/jobs", {"status": "finished"})):
        r = client.get(url, params=params, headers=h)
        assert r.status_code == 422, (url, params, r.status_code)
        assert list(params)[0] in r.json()["error"]["message"]
