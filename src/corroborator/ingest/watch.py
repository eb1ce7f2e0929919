"""Feeds that stay current (issue 27, item 2): poll RSS/Atom feeds, fetch each new item's page
and hand the articles to the indexer.

- Conditional GET: each feed's ETag and Last-Modified are kept and sent back, so a poll with
  nothing new costs one request that answers 304.
- An item is new until it was indexed: the item URLs a feed yielded are marked seen only after
  the indexer stored (or skipped as a duplicate) its article, so a poll killed midway is simply
  done again (the archive's content dedupe keeps it from storing a copy).
- A feed that fails (network, 429, a broken feed) is retried at the next poll after a backoff
  that doubles per failure (at most 6 hours; a Retry-After in seconds is honoured), and says why.
- Pages come through the fetcher (``ingest/fetch.py``: public addresses, robots.txt, one request
  per host a second); an item whose page cannot be read falls back to the feed's own text for it.

State lives in ``watch.db`` (SQLite) beside an embedded store, or where ``--state`` says."""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from corroborator.domain import Article
from corroborator.errors import BadInputError
from corroborator.ingest.fetch import Fetcher

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+json", "text/plain")
MAX_BACKOFF = 6 * 3600.0
MAX_ITEMS_PER_POLL = 200  # new items read in one poll of one feed; the rest stay new for the next

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, modified TEXT, last_poll REAL,
    failures INTEGER DEFAULT 0, retry_at REAL DEFAULT 0, last_error TEXT, added INTEGER DEFAULT 0);
CREATE TABLE IF NOT EXISTS seen (feed TEXT NOT NULL, item TEXT NOT NULL, PRIMARY KEY (feed, item));
"""


@dataclass
class FeedPoll:
    url: str
    status: str  # "new", "not modified", "waiting" (backing off), "failed"
    articles: list[Article] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # item URLs to mark seen once indexed
    errors: list[str] = field(default_factory=list)
    # the feed's new validators, kept by WatchState.indexed once the items are stored: kept
    # earlier, a poll cut before then would be answered 304 and its items never retried
    etag: str | None = None
    modified: str | None = None


@dataclass
class FeedRow:
    """What is known of one watched feed (the Feeds page, `GET /v1/feeds`)."""

    url: str
    paused: bool
    last_poll: float | None
    failures: int
    retry_at: float
    last_error: str | None
    added: int  # articles its polls added to the archive


class WatchState:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        self.conn.executescript(_SCHEMA)
        if "paused" not in {row[1] for row in self.conn.execute("PRAGMA table_info(feeds)")}:
            self.conn.execute("ALTER TABLE feeds ADD COLUMN paused INTEGER DEFAULT 0")  # a watch.db from before

    def feeds(self) -> list[FeedRow]:
        rows = self.conn.execute("SELECT url, paused, last_poll, failures, retry_at, last_error, added FROM feeds "
                                 "ORDER BY url").fetchall()
        return [FeedRow(u, bool(p), lp, f or 0, r or 0.0, e, a or 0) for u, p, lp, f, r, e, a in rows]

    def add(self, url: str) -> bool:
        """Watch a feed (False: it was watched already)."""
        return self.conn.execute("INSERT INTO feeds (url) VALUES (?) ON CONFLICT DO NOTHING", (url,)).rowcount == 1

    def set_paused(self, url: str, paused: bool) -> bool:
        return self.conn.execute("UPDATE feeds SET paused = ? WHERE url = ?", (int(paused), url)).rowcount == 1

    @contextmanager
    def _transaction(self):
        """One transaction (the connection is in autocommit mode, where ``with conn`` is none)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def watching(self, url: str) -> bool:
        """Whether a feed is watched and not paused (checked again just before its poll)."""
        row = self.conn.execute("SELECT coalesce(paused, 0) FROM feeds WHERE url = ?", (url,)).fetchone()
        return row is not None and not row[0]

    def remove(self, url: str) -> bool:
        with self._transaction():
            self.conn.execute("DELETE FROM seen WHERE feed = ?", (url,))
            return self.conn.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount == 1

    def due(self, every: float, now: float | None = None) -> list[str]:
        """Feeds not paused whose last poll is ``every`` seconds old (or that were never polled)
        and that are not backing off."""
        now = time.time() if now is None else now
        return [r[0] for r in self.conn.execute(
            "SELECT url FROM feeds WHERE coalesce(paused, 0) = 0 AND coalesce(retry_at, 0) <= ? "
            "AND (last_poll IS NULL OR last_poll <= ?) ORDER BY coalesce(last_poll, 0), url", (now, now - every))]

    def close(self) -> None:
        self.conn.close()

    def feed(self, url: str) -> tuple:
        self.conn.execute("INSERT INTO feeds (url) VALUES (?) ON CONFLICT DO NOTHING", (url,))
        return self.conn.execute("SELECT etag, modified, failures, retry_at FROM feeds WHERE url = ?", (url,)).fetchone()

    def seen(self, url: str, items: list[str]) -> set[str]:
        marks = ",".join("?" * len(items))
        rows = self.conn.execute(f"SELECT item FROM seen WHERE feed = ? AND item IN ({marks})", (url, *items))
        return {r[0] for r in rows}

    def polled(self, url: str, etag: str | None, modified: str | None) -> None:
        self.conn.execute("UPDATE feeds SET etag = ?, modified = ?, last_poll = ?, failures = 0, retry_at = 0, "
                          "last_error = NULL WHERE url = ?", (etag, modified, time.time(), url))

    def failed(self, url: str, reason: str, retry_after: float | None = None) -> None:
        row = self.conn.execute("SELECT failures FROM feeds WHERE url = ?", (url,)).fetchone()
        if row is None:
            return  # removed while it was being polled
        failures = (row[0] or 0) + 1
        wait = retry_after if retry_after is not None else min(MAX_BACKOFF, 60.0 * 2 ** (failures - 1))
        self.conn.execute("UPDATE feeds SET failures = ?, retry_at = ?, last_error = ?, last_poll = ? WHERE url = ?",
                          (failures, time.time() + wait, reason, time.time(), url))

    def indexed(self, url: str, items: list[str], added: int, result: "FeedPoll | None" = None) -> None:
        """After the indexer stored this poll's articles: they are no longer new, and (when every
        new item was read) the feed's new validators are kept for the next conditional poll."""
        with self._transaction():
            if self.conn.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone() is None:
                return  # removed while it was being polled: nothing to remember of it
            self.conn.executemany("INSERT INTO seen VALUES (?, ?) ON CONFLICT DO NOTHING", [(url, i) for i in items])
            self.conn.execute("UPDATE feeds SET added = added + ? WHERE url = ?", (added, url))
            if result is not None and result.status == "new" and not result.errors:
                self.conn.execute("UPDATE feeds SET etag = ?, modified = ? WHERE url = ?",
                                  (result.etag, result.modified, url))


def poll(url: str, fetcher: Fetcher, state: WatchState, now: float | None = None) -> FeedPoll:
    """One poll of one feed: the new items' articles (not yet marked seen)."""
    import feedparser

    etag, modified, _failures, retry_at = state.feed(url)
    if (now or time.time()) < (retry_at or 0):
        return FeedPoll(url, "waiting")
    headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
    try:
        page = fetcher.page(url, accept=FEED_TYPES, headers=headers)
    except BadInputError as exc:
        retry = _retry_after(str(exc))
        state.failed(url, str(exc), retry)
        return FeedPoll(url, "failed", errors=[str(exc)])
    answer = dict((k.lower(), v) for k, v in page.headers)
    if page.status == 304:
        state.polled(url, etag, modified)
        return FeedPoll(url, "not modified")
    parsed = feedparser.parse(page.body)
    if not parsed.entries and parsed.get("bozo"):
        reason = f"{url}: not a readable feed ({str(parsed.bozo_exception)[:120]})"
        state.failed(url, reason)
        return FeedPoll(url, "failed", errors=[reason])
    links = [e.get("link") for e in parsed.entries if e.get("link")]
    already = state.seen(url, links) if links else set()
    result = FeedPoll(url, "new")
    for entry in parsed.entries:
        link = entry.get("link")
        if not link or link in already or link in result.items:
            continue
        if len(result.items) + len(result.errors) >= MAX_ITEMS_PER_POLL:
            result.errors.append(f"{url}: more than {MAX_ITEMS_PER_POLL} new items; the rest at the next poll")
            break
        try:
            result.articles.append(fetcher.article(link))
        except BadInputError as exc:
            fallback = _from_entry(entry, parsed.feed.get("title"), link)
            if fallback is None:
                result.errors.append(str(exc))
                continue  # not marked seen: tried again at the next poll
            result.articles.append(fallback)
        result.items.append(link)
    result.etag, result.modified = answer.get("etag"), answer.get("last-modified")
    # the old validators stay until the items are stored (indexed): a poll cut before then, or
    # an item that could not be read, is asked for again in full, not answered 304
    state.polled(url, etag, modified)
    return result


def _from_entry(entry, outlet: str | None, link: str) -> Article | None:
    from corroborator.ingest.common import make_article
    from corroborator.ingest.feeds import html_fragment_to_text

    raw = entry.content[0].get("value", "") if entry.get("content") else entry.get("summary", "")
    try:
        return make_article(text=html_fragment_to_text(raw), where=link, id=link, url=link, outlet=outlet,
                            title=entry.get("title"))
    except BadInputError:
        return None


def _retry_after(message: str) -> float | None:
    if "(Retry-After " in message:
        value = message.split("(Retry-After ", 1)[1].rstrip(")")
        if value.isdigit():
            return float(value)
    return None


def parse_every(text: str) -> float:
    """'15m', '2h', '90s', '1d' -> seconds (at least 60)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = text.strip().lower()
    try:
        seconds = float(text[:-1]) * units[text[-1]] if text[-1] in units else float(text)
    except (ValueError, IndexError):
        raise BadInputError(f"{text!r}: a duration such as 15m, 2h, 90s") from None
    if seconds < 60:
        raise BadInputError(f"{text!r}: at least 60 seconds between polls (feeds are polled politely)")
    return seconds
