"""Web archives (.warc, .warc.gz): every HTML response record becomes an article."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from corroborator.config import MAX_ARTICLE_BYTES
from corroborator.domain import Article
from corroborator.errors import BadInputError
from corroborator.ingest.html import article_from_html


def read_warc(path: Path) -> Iterator[Article | BadInputError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if path.stat().st_size == 0:
        yield BadInputError(f"{path}: empty file")
        return
    with path.open("rb") as fh:
        try:
            for n, record in enumerate(ArchiveIterator(fh), start=1):
                if record.rec_type != "response":
                    continue
                ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if "html" not in ctype.lower():
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{path}#record{n}({url})"
                body = record.content_stream().read(MAX_ARTICLE_BYTES + 1)
                if len(body) > MAX_ARTICLE_BYTES:
                    yield BadInputError(f"{where}: record too large")
                    continue
                try:
                    yield article_from_html(
                        body, where, url=url, published=record.rec_headers.get_header("WARC-Date")
                    )
                except BadInputError as exc:
                    yield exc
        except ArchiveLoadFailed as exc:
            yield BadInputError(f"{path}: not a readable WARC file ({str(exc).splitlines()[0][:120]})")
        except Exception as exc:  # warcio fails on malformed records in assorted ways
            yield BadInputError(f"{path}: malformed WARC record ({type(exc).__name__}); later records skipped")
