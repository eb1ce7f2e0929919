"""PDF files (press releases, reports): the text layer, page by page (pypdf).

Pages are joined with a blank line and a form feed (domain.PAGE_BREAK), so a sentence never
runs across a page break into the next page's header, and every sentence keeps its page: the
evidence it gives is cited with it ("…, p. 3"). Empty pages keep their break (the numbers of
the pages after stay the document's). A page without a text layer (a scan) is read by OCR from its images
(pypdf hands them over decoded through Pillow; ingest/image.py reads them with Tesseract), at
most OCR_PAGES of them; a scan without Tesseract, or with no text found, is one line. The
document's own title and date (its metadata) are used when it has them."""

from __future__ import annotations

from pathlib import Path

from corroborator.domain import PAGE_BREAK, Article
from corroborator.errors import BadInputError
from corroborator.ingest.common import make_article, read_article_bytes

MAX_PAGES = 500
OCR_PAGES = 50  # scanned pages read by OCR (about a second each)
OCR_IMAGES_PER_PAGE = 4


def _scanned_text(page, where: str) -> str:
    """The text of a page without a text layer, by OCR of its images (largest first, at most
    OCR_IMAGES_PER_PAGE, none over the OCR pixel limit). A page that cannot be read this way
    (no Tesseract, an image too large, a time limit) is left out, not the whole document."""
    from io import BytesIO

    from corroborator.ingest.image import MAX_PIXELS, ocr_text

    try:
        sized = [(im.image.width * im.image.height, im) for im in page.images[:OCR_IMAGES_PER_PAGE * 4]]
    except Exception:  # pypdf cannot decode this page's images
        return ""
    texts = []
    for pixels, image in sorted(sized, key=lambda x: -x[0])[:OCR_IMAGES_PER_PAGE]:
        if pixels > MAX_PIXELS:
            continue
        png = BytesIO()
        image.image.convert("RGB").save(png, format="PNG")
        try:
            text = ocr_text(png.getvalue(), where)
        except BadInputError:
            continue
        if text.strip():
            texts.append(text)
    return "\n\n".join(texts)


def _page_text(text: str, scanned: bool) -> str:
    """A text-layer page on one line (its line breaks are layout); an OCR'd page keeps its
    paragraphs."""
    if scanned:
        return "\n\n".join(" ".join(par.split()) for par in text.split("\n\n") if par.strip())
    return " ".join(text.split())


def read_pdf(path: Path) -> Article:
    from io import BytesIO

    import pypdf

    data = read_article_bytes(path, binary=True)  # compressed streams hold NUL bytes
    if not data.startswith(b"%PDF"):
        raise BadInputError(f"{path}: not a PDF file")
    try:
        reader = pypdf.PdfReader(BytesIO(data))
        if reader.is_encrypted:
            raise BadInputError(f"{path}: the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
        meta = reader.metadata or {}
        scanned = [n for n, text in enumerate(pages) if not text.strip()][:OCR_PAGES]
        for n in scanned:  # a scan: its page images through OCR, paragraphs kept
            pages[n] = _scanned_text(reader.pages[n], f"{path} page {n + 1}")
    except BadInputError:
        raise
    except Exception as exc:  # pypdf raises assorted errors on broken files
        raise BadInputError(f"{path}: cannot read the PDF ({type(exc).__name__})") from None
    text = ("\n\n" + PAGE_BREAK).join(_page_text(p, n in scanned) for n, p in enumerate(pages))
    if not text.strip():
        raise BadInputError(f"{path}: no text in the PDF (no text layer, and OCR of its page images found none)")
    title = str(meta.get("/Title") or "").strip() or None
    published = str(meta.get("/CreationDate") or "")[2:10] or None  # D:YYYYMMDD...
    if published and published.isdigit():
        published = f"{published[:4]}-{published[4:6]}-{published[6:8]}"
    else:
        published = None
    return make_article(text=text, where=str(path), title=title, published=published, filename=path.name)
