"""Feeds that keep a server's archive current (issue 27, item 2, inside `corroborator serve`).

Admins add, pause and remove feeds on the Feeds page or with `/v1/feeds`; one scheduler thread
polls each feed that is due (``ServeConfig.feed_every`` after its last poll, not paused, not
backing off) with the same code as `corroborator watch` (ingest/watch.py: conditional GET,
backoff, Retry-After, the fetcher's address and robots rules) and hands the new items to the
server's single indexing thread as an ordinary index job ("feed <url>", on the Archive page).
Items are marked seen only after that job stored them, so a server killed during a poll or its
job loses nothing: after a restart the feed is due again and its unseen items are polled again
(the archive's content dedupe keeps copies out). State: watch.db beside the embedded archive.
A server whose archive is a PostgreSQL database runs no scheduler (its instances share no disk
for watch.db; run `corroborator watch` beside one of them instead)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from corroborator.ingest.fetch import Fetcher, FetchPolicy
from corroborator.ingest.watch import WatchState, poll

log = logging.getLogger("corroborator.feeds")


class FeedScheduler:
    def __init__(self, state_path: Path, writer, db, instance: str, every: float, allow_private: bool = False,
                 tick: float = 30.0, warc_path: Path | None = None) -> None:
        self.state_path = state_path
        self.writer, self.db, self.instance = writer, db, instance
        self.every, self.tick = every, tick
        self.policy = FetchPolicy(allow_private=allow_private)
        self.warc_path = warc_path
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="feeds", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        state = WatchState(self.state_path)  # this thread's own connection
        try:
            while not self._stop.is_set():
                try:
                    self.poll_due(state)
                except Exception as exc:  # a scheduler that dies silently would stop every feed
                    log.error("feed poll: %s: %s", type(exc).__name__, exc)
                self._stop.wait(self.tick)
        finally:
            state.close()

    def poll_due(self, state: WatchState) -> list[str]:
        """Poll every due feed once, each new item set indexed by one job; the job ids."""
        jobs = []
        for url in state.due(self.every):
            if self._stop.is_set():
                break
            if not state.watching(url):
                continue  # removed or paused since the list was read
            try:
                with Fetcher(self.policy, self.warc_path) as fetcher:
                    result = poll(url, fetcher, state)
            except Exception as exc:  # one feed's trouble (a full disk for the WARC, …) is its own
                log.error("feed %s: %s: %s", url, type(exc).__name__, exc)
                state.failed(url, f"{type(exc).__name__}: {str(exc)[:200]}")
                continue
            for message in result.errors:
                log.warning("%s", message)
            if not result.items:
                state.indexed(url, [], 0, result)  # nothing new to store: its validators now
                continue
            job_id = self.db.create_job("index", f"feed {shown_url(url)}", None, instance=self.instance)
            finished = threading.Event()
            articles = result.articles
            self.writer.submit(job_id, lambda: iter(articles), len(articles), finished.set)
            while not finished.wait(1.0):
                if self._stop.is_set():
                    return jobs  # the server is stopping: the items stay unseen, polled again next time
            job = self.db.job(job_id)
            if job is not None and job.status == "done":
                state.indexed(url, result.items, (job.result or {}).get("added", 0), result)
            else:
                state.failed(url, f"indexing its items failed: {job.error if job else 'job lost'}")
            jobs.append(job_id)
        return jobs


def shown_url(url: str) -> str:
    """A feed's address without its query or credentials, for job titles every reader sees (a
    private feed's ?key=... stays on the admins' Feeds page)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{':' + str(parts.port) if parts.port else ''}{parts.path}"


def watch_state_path(store_folder: Path) -> Path:
    return store_folder / "watch.db"


def check_feed_url(url: str, allow_private: bool) -> str:
    """A feed URL an admin may add: http(s), a host whose addresses are public unless the server
    allows private ones (the fetcher checks again at every request and redirect)."""
    from corroborator.net import checked_url

    return checked_url(url.strip(), allow_private, what="feed URL")
