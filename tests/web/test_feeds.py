"""Feeds inside `corroborator serve` (issue 27, item 2): an admin watches a feed, the server's
scheduler polls it (conditional GET), indexes each new item once as an index job, pauses and
stops when told; the Feeds page shows it. Feeds come from our own HTTP server on 127.0.0.1."""

import re
import time

import pytest
from fastapi.testclient import TestClient

from corroborator.interfaces.web.app import ServeConfig, create_app

from ..stages.test_watch import _Feeds
from .conftest import bearer


@pytest.fixture
def feeds():
    f = _Feeds()
    yield f
    f.close()


def _until(predicate, timeout: float = 120.0, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out"
        time.sleep(every)


def _feed(client, h, url):
    return next((f for f in client.get("/v1/feeds", headers=h).json()["feeds"] if f["url"] == url), None)


def test_the_server_keeps_its_archive_current_from_a_watched_feed(feeds, tmp_path):
    a = f"{feeds.base}/feeds/a.xml"
    # a new archive: the scheduler's watch.db is there before the first index job makes the store
    app = create_app(ServeConfig(store=str(tmp_path / "archive"), workers=0, allow_private_urls=True,
                                 feed_every=0.5, feed_tick=0.1))
    db = app.state.service.db
    admin, reader = bearer(db.create_token("admin")[1]), bearer(db.create_token("reader")[1])
    with TestClient(app) as client:
        assert client.post("/v1/feeds", json={"url": a}, headers=reader).status_code == 403
        assert client.get("/v1/feeds", headers=reader).status_code == 403
        added = client.post("/v1/feeds", json={"url": a}, headers=admin)
        assert added.status_code == 201 and added.json()["url"] == a and not added.json()["paused"]
        assert client.post("/v1/feeds", json={"url": a}, headers=admin).status_code == 200  # watched already
        # three items: every one indexed, the gone page (404) from the feed's own text
        assert _until(lambda: (_feed(client, admin, a) or {}).get("added") == 3)
        assert client.get("/v1/stats", headers=admin).json()["articles"] == 3
        # the next polls ask conditionally and get 304: nothing fetched again
        _until(lambda: feeds.not_modified >= 2)
        assert feeds.hits.get("/news/0.html") == 1
        # the feed changes: only the new item is fetched and indexed
        feeds.items = 4
        assert _until(lambda: (_feed(client, admin, a) or {}).get("added") == 4)
        assert client.get("/v1/stats", headers=admin).json()["articles"] == 4
        assert feeds.hits.get("/news/3.html") == 1 and feeds.hits.get("/news/0.html") == 1
        jobs = client.get("/v1/jobs", params={"kind": "index"}, headers=admin).json()["jobs"]
        assert {j["title"] for j in jobs} == {f"feed {a}"} and all(j["status"] == "done" for j in jobs)
        # paused: not asked again
        paused = client.post("/v1/feeds", json={"url": a, "paused": True}, headers=admin)
        assert paused.status_code == 200 and paused.json()["paused"] and paused.json()["next_poll"] is None
        asked = feeds.hits["/feeds/a.xml"]
        time.sleep(1.5)
        assert feeds.hits["/feeds/a.xml"] <= asked + 1  # at most a poll that had already started
        assert client.delete("/v1/feeds", params={"url": a}, headers=admin).status_code == 204
        assert client.get("/v1/feeds", headers=admin).json()["feeds"] == []
        assert client.delete("/v1/feeds", params={"url": a}, headers=admin).status_code == 404


def test_a_failing_feed_says_why_and_private_addresses_need_the_admin_setting(feeds, tmp_path, web_store):
    import shutil

    store = tmp_path / "archive"
    shutil.copytree(web_store, store, ignore=shutil.ignore_patterns("service.db*", "uploads", "watch.db"))
    busy = f"{feeds.base}/feeds/busy.xml"
    strict = create_app(ServeConfig(store=str(store), workers=0))
    admin = bearer(strict.state.service.db.create_token("admin")[1])
    with TestClient(strict) as client:
        refused = client.post("/v1/feeds", json={"url": busy}, headers=admin)
        assert refused.status_code == 400 and "private" in refused.json()["error"]["message"], refused.text
        assert client.post("/v1/feeds", json={"url": "file:///etc/passwd"}, headers=admin).status_code == 400
        assert client.post("/v1/feeds", json={"url": busy, "extra": 1}, headers=admin).status_code == 422
    app = create_app(ServeConfig(store=str(store), workers=0, allow_private_urls=True, feed_every=0.5, feed_tick=0.1))
    admin = bearer(app.state.service.db.create_token("admin")[1])
    with TestClient(app) as client:
        assert client.post("/v1/feeds", json={"url": busy}, headers=admin).status_code == 201
        failing = _until(lambda: (f := _feed(client, admin, busy)) and f["failures"] and f)
        assert "429" in failing["last_error"] and failing["added"] == 0
        # Retry-After 120 s: the next poll waits for it (the default first backoff is 60 s)
        from datetime import datetime

        gap = datetime.fromisoformat(failing["next_poll"].rstrip("Z")) - datetime.fromisoformat(failing["last_poll"].rstrip("Z"))
        assert gap.total_seconds() >= 119, gap
        asked = feeds.hits["/feeds/busy.xml"]
        time.sleep(1.0)
        assert feeds.hits["/feeds/busy.xml"] == asked


def test_the_feeds_page_watches_pauses_and_shows_polls(feeds, tmp_path, web_store):
    import shutil

    store = tmp_path / "archive"
    shutil.copytree(web_store, store, ignore=shutil.ignore_patterns("service.db*", "uploads", "watch.db"))
    a = f"{feeds.base}/feeds/a.xml"
    app = create_app(ServeConfig(store=str(store), workers=0, allow_private_urls=True, feed_every=3600, feed_tick=0.1))
    db = app.state.service.db
    admin_token, _ = db.create_token("admin", "desk admin")
    reader_token, _ = db.create_token("reader")
    with TestClient(app, base_url="https://testserver") as client:
        client.cookies.set("corroborator_session", db.create_session(reader_token))
        assert client.get("/app/feeds").status_code == 403  # admins only
        assert "/app/feeds" not in client.get("/app").text  # and not in a reader's navigation
        client.cookies.set("corroborator_session", db.create_session(admin_token))
        page = client.get("/app/feeds")
        assert page.status_code == 200 and "No feeds yet" in page.text and 'href="/app/feeds"' in page.text
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
        assert client.post("/app/feeds", data={"url": a}).status_code == 403  # no CSRF token: refused
        bad = client.post("/app/feeds", data={"url": "not a url", "csrf": csrf})
        assert bad.status_code == 422 and "not a url" in bad.text  # the form comes back with the reason
        r = client.post("/app/feeds", data={"url": a, "csrf": csrf}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/app/feeds"
        shown = _until(lambda: (p := client.get("/app/feeds").text) and "feed " + a in p and "done" in p and p)
        assert re.search(r"<td>" + re.escape(a) + r"</td>\s*<td>active</td>.*?<td>3</td>", shown, re.S)  # 3 added
        client.post("/app/feeds/pause", data={"url": a, "paused": "1", "csrf": csrf})
        assert "Resume" in client.get("/app/feeds").text
        client.post("/app/feeds/remove", data={"url": a, "csrf": csrf})
        assert "No feeds yet" in client.get("/app/feeds").text
