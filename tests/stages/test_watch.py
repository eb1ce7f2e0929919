"""Feeds that stay current (issue 27): `corroborator watch` against feeds served by our own
HTTP server on 127.0.0.1 — conditional GET, a feed that changes between polls, a 429 with
Retry-After, an item whose page is gone, and a poll cut short before its items were indexed."""

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from corroborator.ingest.fetch import Fetcher, FetchPolicy
from corroborator.ingest.watch import WatchState, parse_every, poll
from corroborator.errors import BadInputError

from ..conftest import cli

STORIES = [
    ("Ferry line 4 carried 1,240 passengers on Sunday", "The ferry operator said line 4 carried 1,240 passengers on "
     "Sunday, the most since the harbour bridge closed for repairs in May."),
    ("Council approves 12 new bus stops", "The city council voted 7 to 2 on Monday to build 12 new bus stops along "
     "Route 9, the transport department said."),
    ("Library extends weekend hours", "The central library will open until 8 p.m. on Saturdays from June, the city's "
     "culture office announced on Tuesday."),
    ("Bridge repairs finish two weeks early", "Repairs to the harbour bridge finished two weeks ahead of schedule, "
     "the public works director said on Wednesday."),
]


class _Feeds:
    def __init__(self) -> None:
        self.items = 3  # feed A lists the first three stories; later four
        self.hits: dict[str, int] = {}
        self.not_modified = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
                if self.path == "/feeds/a.xml":
                    etag = f'"a-{site.items}"'
                    if self.headers.get("If-None-Match") == etag:
                        site.not_modified += 1
                        return self._send(304, b"", etag=etag)
                    return self._send(200, site.feed(), "application/rss+xml", etag=etag)
                if self.path == "/feeds/busy.xml":
                    return self._send(429, b"", headers={"Retry-After": "120"})
                if self.path.startswith("/news/"):
                    n = int(self.path.split("/")[-1].split(".")[0])
                    if n == 2:
                        return self._send(404, b"")  # its page is gone: the feed's own text stands in
                    title, body = STORIES[n]
                    page = (f"<html><head><title>{html.escape(title)}</title></head><body><article>"
                            f"<h1>{html.escape(title)}</h1><p>{html.escape(body)}</p></article></body></html>")
                    return self._send(200, page.encode(), "text/html; charset=utf-8")
                return self._send(404, b"")

            def _send(self, code, body, media="text/plain", etag=None, headers=None):
                self.send_response(code)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def feed(self) -> bytes:
        items = "".join(f"<item><title>{html.escape(t)}</title><link>{self.base}/news/{n}.html</link>"
                        f"<description>{html.escape(b)}</description></item>"
                        for n, (t, b) in enumerate(STORIES[: self.items]))
        return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>City Desk</title>{items}"
                "</channel></rss>").encode()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feeds():
    f = _Feeds()
    yield f
    f.close()


def test_watch_polls_conditionally_indexes_each_item_once_and_backs_off(feeds, tmp_path):
    store = tmp_path / "archive"
    a, busy = f"{feeds.base}/feeds/a.xml", f"{feeds.base}/feeds/busy.xml"
    args = ("watch", a, busy, "--once", "--store", str(store), "--allow-private-urls")
    first = cli(*args)
    assert first.returncode == 2  # the busy feed failed, and says so
    assert f"{a}: new, 3 new items, 3 added" in first.stdout and f"{busy}: failed" in first.stdout
    assert "HTTP 429 (Retry-After 120)" in first.stderr
    again = cli(*args)  # nothing new: one conditional request, answered 304; the busy feed waits
    assert f"{a}: not modified, 0 new items, 0 added" in again.stdout and f"{busy}: waiting" in again.stdout
    assert feeds.not_modified == 1 and feeds.hits["/feeds/busy.xml"] == 1
    feeds.items = 4  # the feed changes: only the new item is fetched
    third = cli(*args)
    assert f"{a}: new, 1 new items, 1 added" in third.stdout
    assert feeds.hits["/news/0.html"] == 1 and feeds.hits["/news/3.html"] == 1
    from corroborator.app import Corroborator, Settings

    with Corroborator(Settings(store=store)) as core:
        assert core.stats()[0]["articles"] == 4  # each item once, the gone page by the feed's own text


def test_a_poll_cut_short_before_indexing_is_done_again_without_copies(feeds, tmp_path):
    from corroborator.app import Corroborator, Settings

    state = WatchState(tmp_path / "watch.db")
    url = f"{feeds.base}/feeds/a.xml"
    with Fetcher(FetchPolicy(allow_private=True, per_host_seconds=0.0)) as fetcher, \
            Corroborator(Settings(store=tmp_path / "archive")) as core:
        cut = poll(url, fetcher, state)
        assert cut.status == "new" and len(cut.items) == 3
        core.index(iter(cut.articles[:2]))  # killed after storing two, before marking anything seen
        redo = poll(url, fetcher, state)  # not answered 304: the feed's validators wait for the items
        assert redo.items == cut.items  # nothing was lost
        added = core.index(iter(redo.articles)).added
        state.indexed(url, redo.items, added, redo)
        assert added == 1  # and nothing is stored twice
        assert poll(url, fetcher, state).status == "not modified"
    state.close()


def test_every_is_a_polite_duration():
    assert parse_every("15m") == 900 and parse_every("2h") == 7200 and parse_every("90s") == 90
    for bad in ("5s", "soon", ""):
        with pytest.raises(BadInputError):
            parse_every(bad)
