"""Plain text and Markdown articles, with optional front matter.

Front matter is the ``---`` block of ``key: value`` lines used by static-site generators;
keys id, title, outlet, url, published (or date) fill the Article's metadata. Without it,
a short first line followed by a blank line is taken as the title.
"""

from __future__ import annotations

from pathlib import Path

from corroborator.domain import Article
from corroborator.ingest.common import (
    date_line,
    decode_utf8,
    inline_stamp,
    make_article,
    read_article_bytes,
)

_KEYS = {"id", "title", "outlet", "source", "url", "published", "date"}


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    meta: dict[str, str] = {}
    for line in text[4:end].splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in _KEYS:
            meta[key.strip().lower()] = value.strip().strip("\"'")
    body_start = text.find("\n", end + 4)
    return meta, text[body_start + 1 :] if body_start >= 0 else ""


def _header(body: str, meta: dict[str, str]) -> tuple[str | None, str]:
    """Title and date stamp from the lines above the story, in either order ("Title" then
    "date 2017-04-26", or a "Published: ..." line then the title): a line that is only a date
    stamp sets the publication date unless front matter gave one; a short line without
    sentence-ending punctuation (or a Markdown heading) followed by a blank line or a date
    stamp is the title. The first other line starts the story."""
    title = meta.get("title")
    dated = bool(meta.get("published") or meta.get("date"))
    rest = body.lstrip()
    for _ in range(4):
        first, sep, after = rest.partition("\n")
        line = first.strip()
        stamp = date_line(line) if sep and len(line) <= 80 else None
        if stamp:
            if not dated:
                meta["published"], dated = stamp.isoformat(), True
            rest = after.lstrip()
            continue
        inline = inline_stamp(first)
        if inline:  # "date 2017-04-26 The destroyers ...": the stamp is metadata, the rest the story
            if not dated:
                meta["published"], dated = inline[0].isoformat(), True
            rest = rest[inline[1]:]
            break
        nxt = after.lstrip(" \t").partition("\n")[0].strip()
        next_is_break = after.startswith("\n") or not nxt or (len(nxt) <= 80 and date_line(nxt) is not None)
        if (not title and sep and next_is_break and 0 < len(line) <= 200
                and (line.startswith("#") or line[-1] not in ".!?\"'”’")):
            title, rest = line.lstrip("# ").strip(), after.lstrip()
            continue
        break
    return title, rest


def read_plain(path: Path) -> Article:
    text = decode_utf8(read_article_bytes(path), str(path))
    meta, body = split_front_matter(text)
    title, body = _header(body, meta)
    return make_article(
        text=body,
        where=str(path),
        id=meta.get("id"),
        url=meta.get("url"),
        outlet=meta.get("outlet") or meta.get("source"),
        title=title,
        published=meta.get("published") or meta.get("date"),
        filename=path.name,
        text_offset=_offset(text, body),
    )


def _offset(whole: str, body: str) -> int | None:
    """Where the article text (the stripped body) starts in the decoded file text."""
    stripped = body.strip()
    at = whole.find(stripped) if stripped else -1
    return at if at >= 0 else None
