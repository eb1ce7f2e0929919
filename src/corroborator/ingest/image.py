"""Screenshots and scans (issue 27, item 3): the text of an image by OCR, checked as any article.

OCR is Tesseract (Debian's ``tesseract-ocr`` with its English model; `make test` installs it
when run as root), called as a program — no Python binding — with its word table (TSV) on
stdout: words are joined into lines in reading order, lines into paragraphs (Tesseract's blocks
and paragraphs), a word split by a hyphen at a line end is joined again (hyphen kept), paragraphs are
separated by blank lines (so a sentence never runs from one column into the next) — except
where a paragraph ends without a sentence end and the next begins in lower case: one sentence
that the layout analysis of a skewed or noisy photo cut in two. Words
Tesseract is unsure of (confidence under MIN_CONFIDENCE, mostly specks and rules read as
letters) are left out. rapidocr-onnxruntime was tried first and not used: its packaged
recogniser drops the spaces of English text (see docs/DESIGN.md, issue 27).

The article keeps a reduced copy of the image and every word's box with its span in the text
(``Article.image``), so the HTML report can outline each claim where it stands in the picture;
an archive never stores them.

Bad input is one line: not an image (by its first bytes), a header Pillow cannot read, an
image over MAX_PIXELS (read from the header before any decoding), Tesseract missing, failing,
over its time or memory limit, or finding no text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from corroborator.domain import PAGE_BREAK, Article, PageImage
from corroborator.errors import BadInputError
from corroborator.ingest.common import make_article, read_article_bytes

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff"}
MAX_IMAGE_BYTES = 20 * 2**20
MAX_PIXELS = 60_000_000  # ~ a 7,700 x 7,700 page scan; a decompression bomb is refused before OCR
MAX_OCR_MEMORY = 2 * 2**30  # address space of one Tesseract run
MIN_CONFIDENCE = 30.0
# a paragraph ending otherwise, followed by one starting in lower case, is one sentence cut in two
# (Tesseract splits blocks of a skewed or noisy photo); a heading ends without these but is
# followed by a capital
_ENDS = (".", "!", "?", ":", ";", '"', "\u201d", "\u2019", ")", "]")
OCR_TIMEOUT = 120.0
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"))


def image_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _pixels(data: bytes) -> int | None:
    """Width x height from the image's header (Pillow reads no pixels for it), None if it cannot
    be read: every format, progressive JPEG, WebP and TIFF included."""
    from io import BytesIO

    from PIL import Image

    try:
        with Image.open(BytesIO(data)) as img:
            width, height = img.size
    except Image.DecompressionBombError:  # Pillow's own check: far over any page
        return 2**62
    except Exception:  # a broken header
        return None
    return width * height


def tesseract() -> str:
    found = shutil.which("tesseract")
    if found is None:
        raise BadInputError("reading images needs Tesseract OCR (apt-get install tesseract-ocr tesseract-ocr-eng)")
    return found


def ocr_text(data: bytes, where: str) -> str:
    """The text Tesseract reads in an image (bytes of a PNG, JPEG, WebP or TIFF)."""
    return ocr_words(data, where)[0]


def ocr_words(data: bytes, where: str) -> tuple[str, list[tuple[int, int, int, int, int, int]]]:
    """The text Tesseract reads in an image and the box of every word of it (``layout``)."""
    kind = image_kind(data)
    if kind is None:
        raise BadInputError(f"{where}: not an image (PNG, JPEG, WebP or TIFF)")
    pixels = _pixels(data)
    if pixels is None:
        raise BadInputError(f"{where}: the image could not be read (a broken or unknown {kind} header)")
    if pixels > MAX_PIXELS:
        size = f"{pixels / 1e6:.0f} megapixels" if pixels < 2**62 else "far more megapixels"
        raise BadInputError(f"{where}: image too large to read ({size} > {MAX_PIXELS / 1e6:.0f})")
    try:
        # one thread: Tesseract's OpenMP threads contend on a small machine (a 795 x 1432 page:
        # 12.0 s with its default threads, 1.0 s with one, on this project's 2 CPUs)
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        # at most MAX_OCR_MEMORY of address space (a hostile image that passed the header check
        # still cannot take the machine), set by the shell that execs Tesseract: a preexec_fn
        # can deadlock the child of a threaded server
        command = f'ulimit -v {MAX_OCR_MEMORY // 1024}; exec "$0" stdin stdout -l eng --psm 3 tsv'
        done = subprocess.run(["/bin/sh", "-c", command, tesseract()], input=data, capture_output=True,
                              timeout=OCR_TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        raise BadInputError(f"{where}: OCR took longer than {OCR_TIMEOUT:.0f} s") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BadInputError(f"{where}: the image could not be read ({reason[-1][:160] if reason else 'tesseract failed'})")
    return layout(done.stdout.decode("utf-8", "replace"))


Box = tuple[int, int, int, int]  # left, top, width, height in the image's pixels


def _lines(tsv: str) -> list[tuple[str, list[list[tuple[str, Box]]]]]:
    """Tesseract's TSV (level, page, block, par, line, word, left, top, width, height, conf, text)
    as (page, paragraph) pairs, a paragraph as lines of (word, box), in reading order; unsure
    words left out."""
    pars: dict[tuple, list[list]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        try:
            confidence = float(cols[10])
            box = (int(cols[6]), int(cols[7]), int(cols[8]), int(cols[9]))
        except ValueError:
            continue
        if not word or confidence < MIN_CONFIDENCE:
            continue
        lines = pars.setdefault((cols[1], cols[2], cols[3]), [])
        if not lines or lines[-1][0] != cols[4]:
            lines.append([cols[4]])
        lines[-1].append((word, box))
    return [(key[0], [line[1:] for line in lines]) for key, lines in pars.items()]


def layout(tsv: str) -> tuple[str, list[tuple[int, int, int, int, int, int]]]:
    """Tesseract's TSV as text — lines of a paragraph joined (a line-end hyphen joins its word),
    paragraphs separated by blank lines, the pages of a multi-page TIFF by a page break — and
    each word's (start, end) in that text with its box (left, top, width, height)."""
    pars: list[list[tuple[str, str, Box]]] = []  # (separator before, word, box)
    pages: list[str] = []  # the page of each paragraph
    for page, lines in _lines(tsv):
        par: list[tuple[str, str, Box]] = []
        for line in lines:
            for n, (word, box) in enumerate(line):
                last = par[-1][1] if par else ""
                # a line-end hyphen: the word goes on ("B-" + "52H", "well-" + "known"); the hyphen
                # stays, as a soft one ("exam-ple") cannot be told from a real one without a dictionary
                joined = n == 0 and last.endswith("-") and len(last) > 1 and last[-2].isalnum()
                par.append(("" if not par or joined else " ", word, box))
        if not par:
            continue
        if pars and pages[-1] == page and not pars[-1][-1][1].endswith(_ENDS) and par[0][1][:1].islower():
            pars[-1].extend([(" ", *par[0][1:])] + par[1:])  # a sentence Tesseract's layout cut into two paragraphs
        else:
            pars.append(par)
            pages.append(page)
    pieces: list[str] = []
    words: list[tuple[int, int, int, int, int, int]] = []
    pos = 0
    for n, par in enumerate(pars):
        first = "" if not n else "\n\n" + PAGE_BREAK if pages[n] != pages[n - 1] else "\n\n"
        for sep, word, box in [(first, *par[0][1:])] + par[1:]:
            pos += len(sep)
            words.append((pos, pos + len(word), *box))
            pieces += [sep, word]
            pos += len(word)
    return "".join(pieces), words


def paragraphs(tsv: str) -> str:
    """Tesseract's TSV as text (``layout``)."""
    return layout(tsv)[0]


# the copy of a screenshot a report shows: at most this wide and tall (the word boxes scaled with
# it), JPEG at this quality — it travels in every JSON report and a web check keeps it three
# times (the job's article, its report and its page): a 1170 x 2532 phone screenshot is ~200 KB
SHOWN_WIDTH, SHOWN_HEIGHT, SHOWN_QUALITY = 800, 3000, 60


def shown_image(data: bytes, words: list[tuple[int, int, int, int, int, int]]) -> PageImage | None:
    """A reduced JPEG of the image with its word boxes scaled to it; None if Pillow cannot
    decode it (the text stands without it) or it has several frames (a multi-page TIFF: the
    boxes of its later pages have no place on the first)."""
    import base64
    from io import BytesIO

    from PIL import Image

    try:
        with Image.open(BytesIO(data)) as img:
            if getattr(img, "n_frames", 1) > 1:
                return None
            scale = min(1.0, SHOWN_WIDTH / img.width, SHOWN_HEIGHT / img.height)
            size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
            # transparent pixels on white, as a viewer shows them (RGB alone makes them black)
            rgba = img.convert("RGBA")
            shown = Image.alpha_composite(Image.new("RGBA", img.size, "white"), rgba).convert("RGB")
            if scale < 1:
                shown = shown.resize(size, Image.Resampling.LANCZOS)
            out = BytesIO()
            shown.save(out, format="JPEG", quality=SHOWN_QUALITY, optimize=True)
    except Exception:  # decoding failed after OCR read it: show the text only
        return None
    boxes = [(start, end, *(round(v * scale) for v in box)) for start, end, *box in words]
    uri = "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")
    return PageImage(data_uri=uri, width=size[0], height=size[1], words=boxes)


def read_image(path: Path) -> Article:
    """The article an image shows, with the image and its word boxes for the report."""
    data = read_article_bytes(path, limit=MAX_IMAGE_BYTES, binary=True)
    text, words = ocr_words(data, str(path))
    if len(text.split()) < 3:
        raise BadInputError(f"{path}: no text found in the image")
    article = make_article(text=text, where=str(path), filename=path.name)
    if article.text != text:  # the boxes index the OCR's text (make_article only strips it: never so far)
        return article
    return article.model_copy(update={"image": shown_image(data, words)})
