"""RSS and Atom feeds: one article per entry, the feed's title as the outlet."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from corroborator.domain import Article
from corroborator.errors import BadInputError
from corroborator.ingest.common import make_article, read_article_bytes

_FEED_MAX_BYTES = 200 * 1024 * 1024


def html_fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (feed summaries), scripts and styles removed."""
    import lxml.html

    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:
        return fragment
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for block in root.xpath("//p|//br|//div|//li"):
        block.tail = "\n\n" + (block.tail or "")
    return root.text_content()


def looks_like_feed(head: bytes) -> bool:
    head = head[:2048].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def read_feed(path: Path) -> Iterator[Article | BadInputError]:
    import feedparser

    data = read_article_bytes(path, limit=_FEED_MAX_BYTES)
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        yield BadInputError(f"{path}: no feed entries found{reason}"[:300])
        return
    outlet = parsed.feed.get("title")
    for n, entry in enumerate(parsed.entries, start=1):
        where = f"{path}#entry{n}"
        if entry.get("content"):
            raw = entry.content[0].get("value", "")
        else:
            raw = entry.get("summary", "")
        published: date | None = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            published = date.fromtimestamp(time.mktime(stamp))
        try:
            yield make_article(
                text=html_fragment_to_text(raw),
                where=where,
                id=entry.get("id"),
                url=entry.get("link"),
                outlet=outlet,
                title=entry.get("title"),
                published=published,
            )
        except BadInputError as exc:
            yield exc
