"""Plain text and Markdown articles, with optional front matter.

Front matter is the ``---`` block of ``key: value`` lines used by static-site generators;
keys id, title, outlet, url, published (or date) fill the Article's metadata. Without it,
a short first line followed by a blank line is taken as the title.
"""

from __future__ import annotations

from pathlib import Path

from ..types import Article
from .common import date_line, decode_utf8, make_article, read_article_bytes

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


def read_plain(path: Path) -> Article:
    text = decode_utf8(read_article_bytes(path), str(path))
    meta, body = split_front_matter(text)
    title = meta.get("title")
    first, sep, rest = body.lstrip().partition("\n")
    stamp = date_line(first) if len(first) <= 80 else None
    if stamp and sep:  # a "Published: ..." or date-only first line is metadata, not text
        if not (meta.get("published") or meta.get("date")):  # front matter wins
            meta["published"] = stamp.isoformat()
        body = rest
    if not title:
        head, sep, rest = body.lstrip().partition("\n\n")
        head_line = head.strip()
        # a title line has no sentence-ending punctuation (or is a Markdown heading)
        if sep and 0 < len(head_line) <= 200 and "\n" not in head_line and (
            head_line.startswith("#") or head_line[-1] not in ".!?\"'”’"
        ):
            title, body = head.strip().lstrip("# ").strip(), rest
    return make_article(
        text=body,
        where=str(path),
        id=meta.get("id"),
        url=meta.get("url"),
        outlet=meta.get("outlet") or meta.get("source"),
        title=title,
        published=meta.get("published") or meta.get("date"),
        filename=path.name,
    )
