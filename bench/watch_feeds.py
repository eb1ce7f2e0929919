"""`corroborator watch` at a newsroom's scale (issue 27's target): 20 feeds × 50 items.

    python bench/watch_feeds.py [--feeds 20] [--items 50] [--data ../shared/data] [--work DIR]

Feeds and pages come from HTTP servers of our own on loopback, one per address 127.0.1.1 …
127.0.1.H (the fetcher spaces requests to one host by a second, as it should on the web; the
items of a feed rotate over the hosts so that the bench measures our work, not that rule).
Each page is a distinct real article from ../shared (bench/corpus.distinct_texts: FNC-1 bodies
and LLMFake originals). Every poll is a real `corroborator watch FEEDS --once
--allow-private-urls` process on one store:

1. each feed lists its first 30 items; 2. all 50 (20 new per feed); 3. the feeds unchanged
   (each answers 304 to the conditional request).
4. A second store, all 50 items at once: the poll is killed (SIGKILL) once part of the archive
   is stored, then run again.

Reported per poll: feed requests, 304s, page requests, articles in the store, seconds; and for
every store whether each item is stored exactly once (ids = the items' URLs; a copy would be a
second row of one text or an id~hash). Results: bench/results/watch-feeds-<date>.json.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from corpus import distinct_texts

HERE = Path(__file__).resolve().parent


class Site:
    """The feeds and pages, on ``hosts`` loopback addresses sharing one port."""

    def __init__(self, texts: list[str], feeds: int, items: int, hosts: int) -> None:
        self.texts, self.feeds, self.items, self.hosts = texts, feeds, items, hosts
        self.listed = items  # how many items each feed lists now
        self.counts = {"feed": 0, "not_modified": 0, "page": 0, "other": 0}
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                parts = self.path.strip("/").split("/")
                if parts[0] == "feeds":
                    etag = f'"{site.listed}"'
                    if self.headers.get("If-None-Match") == etag:
                        site.count("not_modified")
                        return self._send(304, b"", etag=etag)
                    site.count("feed")
                    return self._send(200, site.feed(int(parts[1].split(".")[0])), "application/rss+xml", etag=etag)
                if parts[0] == "news" and len(parts) == 3:
                    site.count("page")
                    return self._send(200, site.page(int(parts[1]), int(parts[2].split(".")[0])),
                                      "text/html; charset=utf-8")
                site.count("other")  # robots.txt: none, so everything is allowed
                return self._send(404, b"")

            def _send(self, code, body, media="text/plain", etag=None):
                self.send_response(code)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        first = ThreadingHTTPServer(("127.0.1.1", 0), Handler)
        self.port = first.server_address[1]
        self.servers = [first] + [ThreadingHTTPServer((f"127.0.1.{h}", self.port), Handler) for h in range(2, hosts + 1)]
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def count(self, kind: str) -> None:
        with self.lock:
            self.counts[kind] += 1

    def take_counts(self) -> dict:
        with self.lock:
            out, self.counts = self.counts, dict.fromkeys(self.counts, 0)
        return out

    def feed_url(self, k: int) -> str:
        return f"http://127.0.1.1:{self.port}/feeds/{k}.xml"

    def item_url(self, k: int, i: int) -> str:
        host = (k * self.items + i) % self.hosts + 1
        return f"http://127.0.1.{host}:{self.port}/news/{k}/{i}.html"

    def text(self, k: int, i: int) -> str:
        return self.texts[k * self.items + i]

    def title(self, k: int, i: int) -> str:
        words = self.text(k, i).split()[:10]
        return " ".join(words).rstrip(".,;:") or f"Item {i}"

    def feed(self, k: int) -> bytes:
        items = "".join(f"<item><title>{html.escape(self.title(k, i))}</title><link>{self.item_url(k, i)}</link></item>"
                        for i in range(self.listed))
        return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Desk {k}</title>{items}</channel>"
                "</rss>").encode()

    def page(self, k: int, i: int) -> bytes:
        paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in self.text(k, i).split("\n") if p.strip())
        return (f"<html><head><title>{html.escape(self.title(k, i))}</title></head><body><article>"
                f"<h1>{html.escape(self.title(k, i))}</h1>{paragraphs}</article></body></html>").encode()

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def _watch(site: Site, store: Path) -> list[str]:
    return [sys.executable, "-m", "corroborator", "watch", *(site.feed_url(k) for k in range(site.feeds)), "--once",
            "--store", str(store), "--allow-private-urls"]


def _stored(store: Path) -> tuple[int, int]:
    """(articles, distinct ids without an ~hash suffix) in a store, read without its lock."""
    db = store / "store.db"
    if not db.is_file():
        return 0, 0
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        rows = [r[0] for r in conn.execute("SELECT id FROM articles")]
    except sqlite3.Error:
        return 0, 0
    finally:
        conn.close()
    return len(rows), len({r for r in rows if "~" not in r})


def _poll(site: Site, store: Path, label: str) -> dict:
    start = time.perf_counter()
    done = subprocess.run(_watch(site, store), capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{label}: watch exited {done.returncode}: {done.stderr[-1500:]}")
    articles, ids = _stored(store)
    return {"poll": label, "listed_per_feed": site.listed, **site.take_counts(), "articles": articles,
            "distinct_ids": ids, "seconds": round(seconds, 1)}


def _killed(site: Site, store: Path, at_least: int) -> dict:
    """One poll of every item, killed while a feed's items are being stored: once ``at_least``
    pages were served and the feed whose last page that was is not stored yet (after its poll,
    before its items are marked seen: the window in which the feed's new ETag must not be kept
    yet, or the next poll would be answered 304 and those items never read again)."""
    proc = subprocess.Popen(_watch(site, store), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        while proc.poll() is None and site.counts["page"] < at_least:
            time.sleep(0.01)
        pages = site.counts["page"]
        time.sleep(0.3)  # into the indexing of that feed's items
        stored_at_kill = _stored(store)[0]
        finished_first = proc.poll() is not None
        if not finished_first:
            os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    counts = site.take_counts()
    return {"killed_after_pages": pages, "stored_at_kill": stored_at_kill,
            "in_indexing_window": stored_at_kill < pages, "finished_before_kill": finished_first, **counts}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--first", type=int, default=30, help="items each feed lists at the first poll")
    ap.add_argument("--hosts", type=int, default=50, help="loopback addresses the pages are spread over")
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--work", type=Path, default=None, help="folder for the stores (default: a temporary one)")
    args = ap.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"data folder {args.data} not found (set --data)")
    needed = args.feeds * args.items
    texts = [t for _, t in distinct_texts(args.data) if len(t.split()) >= 80][:needed]
    if len(texts) < needed:
        raise SystemExit(f"only {len(texts)} distinct articles of 80+ words in {args.data}; need {needed}")
    work = args.work or Path(tempfile.mkdtemp(prefix="watch-bench-"))
    site = Site(texts, args.feeds, args.items, args.hosts)
    try:
        store = work / "store"
        polls = []
        for label, listed in (("first", args.first), ("grown", args.items), ("unchanged", args.items)):
            site.listed = listed
            polls.append(_poll(site, store, label))
            print(json.dumps(polls[-1]), flush=True)
        killed_store = work / "store-killed"
        site.listed = args.items
        killed = _killed(site, killed_store, at_least=(args.feeds // 4) * args.items)
        print(json.dumps(killed), flush=True)
        restarted = _poll(site, killed_store, "after kill -9")
        print(json.dumps(restarted), flush=True)
    finally:
        site.close()
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "command": " ".join(["python bench/watch_feeds.py", *sys.argv[1:]]),
        "feeds": args.feeds, "items_per_feed": args.items, "items": needed, "hosts": args.hosts,
        "polls": polls, "kill": {**killed, "restart": restarted},
        "every_item_once": polls[-1]["articles"] == polls[-1]["distinct_ids"] == needed,
        "unchanged_poll_requests_per_feed": (polls[-1]["feed"] + polls[-1]["not_modified"]) / args.feeds,
        "kill_no_loss_no_copy": restarted["articles"] == restarted["distinct_ids"] == needed,
    }
    out = HERE / "results" / f"watch-feeds-{result['date']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("every_item_once", "unchanged_poll_requests_per_feed",
                                             "kill_no_loss_no_copy")}))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
