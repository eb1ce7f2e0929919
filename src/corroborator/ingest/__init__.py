"""Ingest: turn files and folders of news into Article objects.

``read_paths`` yields either an Article or a BadInputError per record, so a caller can
report bad files and keep going; it never raises for bad content.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from corroborator.domain import Article
from corroborator.errors import BadInputError
from corroborator.ingest.feeds import looks_like_feed, read_feed
from corroborator.ingest.html import read_html
from corroborator.ingest.image import IMAGE_SUFFIXES, read_image
from corroborator.ingest.pdf import read_pdf
from corroborator.ingest.plain import read_plain
from corroborator.ingest.tabular import read_csv, read_jsonl
from corroborator.ingest.warc import read_warc

PLAIN = {".txt", ".md", ".markdown"}
HTML = {".html", ".htm", ".xhtml"}
FEEDS = {".rss", ".atom"}
SUPPORTED = sorted(PLAIN | HTML | FEEDS | {".jsonl", ".ndjson", ".csv", ".xml", ".warc", ".warc.gz", ".arc.gz", ".pdf"} | IMAGE_SUFFIXES)

Item = Article | BadInputError


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for double in (".warc.gz", ".arc.gz"):
        if name.endswith(double):
            return double
    return path.suffix.lower()


def estimate_articles(path: Path) -> int:
    """About how many articles a file holds, cheaply, for a progress bar: its lines for JSON
    Lines, its lines less the header for CSV (a field with line breaks overcounts), else 1 (a
    WARC or feed is counted as it is read)."""
    suffix = _suffix(path)
    if suffix not in (".jsonl", ".ndjson", ".csv"):
        return 1
    lines = 0
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                lines += chunk.count(b"\n")
    except OSError:
        return 1
    return max(1, lines - (suffix == ".csv"))


def read_file(path: Path) -> Iterator[Item]:
    """Every article in one file (a single-article file yields one item)."""
    suffix = _suffix(path)
    try:
        if suffix in PLAIN:
            yield read_plain(path)
        elif suffix in HTML:
            yield read_html(path)
        elif suffix in (".jsonl", ".ndjson"):
            yield from read_jsonl(path)
        elif suffix == ".csv":
            yield from read_csv(path)
        elif suffix in (".warc", ".warc.gz", ".arc.gz"):
            yield from read_warc(path)
        elif suffix in FEEDS:
            yield from read_feed(path)
        elif suffix == ".pdf":
            yield read_pdf(path)
        elif suffix in IMAGE_SUFFIXES:
            yield read_image(path)
        elif suffix == ".xml":
            with path.open("rb") as fh:
                head = fh.read(2048)
            if looks_like_feed(head):
                yield from read_feed(path)
            else:
                yield BadInputError(f"{path}: XML file is not an RSS or Atom feed")
        else:
            yield BadInputError(f"{path}: unsupported file type '{suffix or path.name}' (supported: {', '.join(SUPPORTED)})")
    except BadInputError as exc:
        yield exc
    except OSError as exc:
        yield BadInputError(f"{path}: cannot read ({exc.strerror or exc})")
    except Exception as exc:  # a parser library failing on hostile input: report, keep going
        yield BadInputError(f"{path}: cannot read ({type(exc).__name__}: {str(exc)[:120]})")


def expand_paths(paths: Iterable[Path]) -> Iterator[Path | BadInputError]:
    """Files named directly, and supported files found under named folders (sorted)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if _suffix(child) in SUPPORTED and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        elif path.is_file():
            yield path
        else:
            yield BadInputError(f"{path}: no such file or folder")


def read_paths(paths: Iterable[Path]) -> Iterator[Item]:
    for entry in expand_paths(paths):
        if isinstance(entry, BadInputError):
            yield entry
        else:
            yield from read_file(entry)
