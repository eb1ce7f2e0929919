"""Bulk article files: JSON Lines and CSV with fields id, url, outlet, title, published, text.

Both are streamed row by row, so a large archive export never sits in memory. A bad row
is reported with its line number and does not stop the others.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from corroborator.domain import Article
from corroborator.errors import BadInputError
from corroborator.ingest.common import check_not_binary, make_article

# Accepted spellings of each field, first match wins.
_ALIASES = {
    "id": ("id", "article_id", "news_id"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site", "publisher"),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "pubdate"),
    "text": ("text", "body", "content", "articleBody", "news_text"),
}


def _pick(row: dict, field: str) -> object:
    for key in _ALIASES[field]:
        if key in row and row[key] not in (None, ""):
            return row[key]
    return None


def article_from_row(row: dict, where: str) -> Article:
    text = _pick(row, "text")
    if not isinstance(text, str) or not text.strip():
        raise BadInputError(f"{where}: row has no 'text' field")
    return make_article(
        text=text,
        where=where,
        id=_pick(row, "id"),
        url=_pick(row, "url"),
        outlet=_pick(row, "outlet"),
        title=_pick(row, "title"),
        published=_pick(row, "published"),
    )


def _open_text(path: Path) -> io.TextIOWrapper:
    with path.open("rb") as fh:
        head = fh.read(8192)
    if not head:
        raise BadInputError(f"{path}: empty file")
    check_not_binary(head, str(path))
    # errors="strict": a wrong encoding surfaces as a row error naming the line.
    return path.open("r", encoding="utf-8-sig", errors="strict", newline="")


def read_jsonl(path: Path) -> Iterator[Article | BadInputError]:
    fh = _open_text(path)
    with fh:
        lineno = 0
        while True:
            lineno += 1
            where = f"{path}:{lineno}"
            try:
                line = fh.readline()
            except UnicodeDecodeError:
                yield BadInputError(f"{where}: not valid UTF-8; re-encode the file as UTF-8")
                return
            if not line:
                return
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield BadInputError(f"{where}: invalid JSON ({exc.msg})")
                continue
            except RecursionError:
                yield BadInputError(f"{where}: JSON nested too deeply")
                continue
            if not isinstance(row, dict):
                yield BadInputError(f"{where}: expected a JSON object per line")
                continue
            try:
                yield article_from_row(row, where)
            except BadInputError as exc:
                yield exc


def read_csv(path: Path) -> Iterator[Article | BadInputError]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    fh = _open_text(path)
    with fh:
        try:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not any(
                name in reader.fieldnames for name in _ALIASES["text"]
            ):
                yield BadInputError(f"{path}: CSV header has no text column (expected one of {', '.join(_ALIASES['text'])})")
                return
            for row in reader:
                where = f"{path}:{reader.line_num}"
                try:
                    yield article_from_row(row, where)
                except BadInputError as exc:
                    yield exc
        except UnicodeDecodeError:
            yield BadInputError(f"{path}: not valid UTF-8; re-encode the file as UTF-8")
        except csv.Error as exc:
            yield BadInputError(f"{path}: malformed CSV ({exc})")
