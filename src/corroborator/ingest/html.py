"""HTML pages: main text and metadata through trafilatura (boilerplate, scripts and
navigation are dropped by its extractor)."""

from __future__ import annotations

from pathlib import Path

from corroborator.domain import Article
from corroborator.errors import BadInputError
from corroborator.ingest.common import make_article, read_article_bytes


def article_from_html(
    html: bytes | str, where: str, *, url: str | None = None, published: object = None, id: str | None = None,
    filename: str | None = None,
) -> Article:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise BadInputError(f"{where}: cannot parse HTML ({type(exc).__name__})") from None
    if doc is None:
        raise BadInputError(f"{where}: no article text found in HTML")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = meta.get("text") or ""
    title = meta.get("title")
    if title and text.startswith(title + "\n"):
        text = text[len(title) + 1 :]
    return make_article(
        text=text,
        where=where,
        id=id,
        url=url or meta.get("url"),
        outlet=meta.get("sitename") or meta.get("hostname"),
        title=title,
        published=published or meta.get("date"),
        filename=filename,
    )


def read_html(path: Path) -> Article:
    return article_from_html(read_article_bytes(path), str(path), filename=path.name)
