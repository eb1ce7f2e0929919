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

Bad input is one line: not an image (by its first bytes), a header Pillow cannot read, an
image over MAX_PIXELS (read from the header before any decoding), Tesseract missing, failing,
over its time or memory limit, or finding no text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from corroborator.domain import Article
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
    return paragraphs(done.stdout.decode("utf-8", "replace"))


def paragraphs(tsv: str) -> str:
    """Tesseract's TSV (level, page, block, par, line, word, left, top, width, height, conf, text)
    as text: words in order, lines of a paragraph joined (a line-end hyphen joins its word),
    paragraphs separated by blank lines."""
    pars: dict[tuple, list[list[str]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        try:
            confidence = float(cols[10])
        except ValueError:
            continue
        if not word or confidence < MIN_CONFIDENCE:
            continue
        lines = pars.setdefault((cols[1], cols[2], cols[3]), [])
        key = cols[4]
        if not lines or lines[-1][0] != key:
            lines.append([key])
        lines[-1].append(word)
    out = []
    for lines in pars.values():
        text = ""
        for line in lines:
            words = " ".join(line[1:])
            if text.endswith("-") and len(text) > 1 and text[-2].isalnum():
                # a line-end hyphen: the word goes on ("B-" + "52H", "well-" + "known"); the hyphen
                # stays, as a soft one ("exam-ple") cannot be told from a real one without a dictionary
                text = text + words
            else:
                text = f"{text} {words}" if text else words
        if not text:
            continue
        if out and not out[-1].endswith(_ENDS) and text[:1].islower():
            out[-1] = f"{out[-1]} {text}"  # a sentence Tesseract's layout cut into two paragraphs
        else:
            out.append(text)
    return "\n\n".join(out)


def read_image(path: Path) -> Article:
    data = read_article_bytes(path, limit=MAX_IMAGE_BYTES, binary=True)
    text = ocr_text(data, str(path))
    if len(text.split()) < 3:
        raise BadInputError(f"{path}: no text found in the image")
    return make_article(text=text, where=str(path), filename=path.name)
