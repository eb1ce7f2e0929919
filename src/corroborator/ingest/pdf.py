"""PDF files (press releases, reports): the text layer, page by page (pypdf).

Pages are joined with blank lines, so a sentence never runs across a page break into the
next page's header. A PDF without a text layer (a scan) is refused with a clear line: OCR of
scanned pages is not done yet. The document's own title and date (its metadata) are used when
it has them."""

from __future__ import annotations

from pathlib import Path

from corroborator.domain import Article
from corroborator.errors import BadInputError
from corroborator.ingest.common import make_article, read_article_bytes

MAX_PAGES = 500


def read_pdf(path: Path) -> Article:
    from io import BytesIO

    import pypdf

    data = read_article_bytes(path)
    if not data.startswith(b"%PDF"):
        raise BadInputError(f"{path}: not a PDF file")
    try:
        reader = pypdf.PdfReader(BytesIO(data))
        if reader.is_encrypted:
            raise BadInputError(f"{path}: the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
        meta = reader.metadata or {}
    except BadInputError:
        raise
    except Exception as exc:  # pypdf raises assorted errors on broken files
        raise BadInputError(f"{path}: cannot read the PDF ({type(exc).__name__})") from None
    text = "\n\n".join(" ".join(p.split()) for p in pages if p.strip())
    if not text.strip():
        raise BadInputError(f"{path}: the PDF has no text layer (a scan?); OCR of PDFs is not supported yet")
    title = str(meta.get("/Title") or "").strip() or None
    published = str(meta.get("/CreationDate") or "")[2:10] or None  # D:YYYYMMDD...
    if published and published.isdigit():
        published = f"{published[:4]}-{published[4:6]}-{published[6:8]}"
    else:
        published = None
    return make_article(text=text, where=str(path), title=title, published=published, filename=path.name)
