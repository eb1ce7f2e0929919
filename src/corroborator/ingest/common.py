"""Shared helpers for readers: safe byte reading, decoding, dates and ids."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from pathlib import Path

from corroborator.config import MAX_ARTICLE_BYTES, MIN_ARTICLE_CHARS
from corroborator.domain import Article, content_hash
from corroborator.errors import BadInputError

log = logging.getLogger("corroborator.ingest")
# C0 and C1 control characters and lone surrogates: none belong in an article, and escape
# sequences would reach the user's terminal. Kept: tab, newline and the form feed, which is a
# page break (domain.PAGE_BREAK: PDF pages, pdftotext's output) and gives evidence its page.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LEADING_SPACE = re.compile(r"^[^\S\f]+")  # whitespace before the text, up to a first page break
_META_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_ARTICLE_CHARS = 1_000_000  # spaCy's limit is 2M; nothing longer is one news article


def read_article_bytes(path: Path, limit: int = MAX_ARTICLE_BYTES, binary: bool = False) -> bytes:
    """Read a single-article file, refusing what cannot be one article (``binary``: a format
    that is binary by nature, a PDF or an image, whose reader checks it)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadInputError(f"{path}: cannot read ({exc.strerror})") from None
    if size == 0:
        raise BadInputError(f"{path}: empty file")
    if size > limit:
        raise BadInputError(
            f"{path}: file too large for one article ({size / 2**20:.1f} MiB > {limit / 2**20:.1f} MiB limit; "
            "split it or use .jsonl)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInputError(f"{path}: cannot read ({exc.strerror})") from None
    if not binary:
        check_not_binary(data, str(path))
    return data


def check_not_binary(data: bytes, where: str) -> None:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInputError(f"{where}: UTF-16 text; re-encode the file as UTF-8")
    if b"\x00" in head:
        raise BadInputError(f"{where}: binary file (contains NUL bytes), not text")


def decode_utf8(data: bytes, where: str) -> str:
    """UTF-8 text; anything else decoded by detection (charset-normalizer), with a warning
    naming the encoding it chose (logger "corroborator.ingest"), or refused when no encoding fits."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        # Short Western texts fit several code pages equally well (é and ü alone cannot tell
        # cp1252 from cp775); Windows-1252 is by far the likeliest for news, so it wins a tie.
        western = from_bytes(data, cp_isolation=["cp1252"]).best()
        if western is not None and (best is None or western.chaos <= best.chaos + 0.02):
            best = western
        if best is None:
            raise BadInputError(
                f"{where}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}) and no other "
                "encoding fits; re-encode the file as UTF-8"
            ) from None
        text = str(best)
        log.warning("%s: not UTF-8; read as %s (detected)", where, best.encoding)
    return clean_text(text)


def clean_text(text: str) -> str:
    """Drop control characters (keeps tab, newline and form feed) and normalise line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def parse_date(value: object) -> date | None:
    """A publication date from metadata: ISO first, then free-form via dateparser."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if not re.search(r"\b(1[89]|20)\d{2}\b", text):
        return None  # no year: "Mon", "n/a" and the like are not publication dates
    import dateparser  # slow import: only when needed

    try:
        parsed = dateparser.parse(
            text,
            languages=["en"],
            settings={"STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False,
                      "PARSERS": ["timestamp", "custom-formats", "absolute-time"]},
        )
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return parsed.date() if parsed else None


_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DAY_DATE = rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
# Where a text states its own date, near the top: a "Published:" / "Updated" line, a line that
# is only a date, or a news dateline ("SEOUL, March 3, 2025 (Yonhap) --"). A date inside the
# first sentence ("On March 3, 2019, bombers flew ...") is an event date, not the article's.
_TIME_TAIL = r"(?:[ ,]+\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+(?-i:[A-Z]{2,5}))?)?"
_TEXT_DATE = re.compile(
    rf"^[ \t\f>*_#]*(?:(?:published|updated|posted|first\s+published|date)\s*(?::|\s+on)?\s*(?P<a>{_DAY_DATE})"
    rf"{_TIME_TAIL}[ \t*_]*$"
    rf"|(?P<b>{_DAY_DATE}){_TIME_TAIL}[ \t*_]*$"
    rf"|(?-i:[A-Z][A-Z .'-]{{1,40}}),\s*(?P<c>{_DAY_DATE})\s*(?:\([^)\n]{{1,40}}\)\s*)?(?:--|—|–|-))",
    re.I | re.M,
)
# A date stamp that runs into the story's first sentence on the same line ("date 2017-04-26 The
# destroyers ..."): a keyword, the date, then the text (issue 23: such a report was left undated,
# so nothing told its drill from a 2023 one).
_INLINE_STAMP = re.compile(
    rf"^[ \t\f>*_#]*(?:published|updated|posted|dated|date)\s*(?::|\s+on)?\s*(?P<d>{_DAY_DATE}){_TIME_TAIL}"
    rf"\s*(?:[-—–|:]\s*)?(?=\S)",
    re.I,
)
_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_]?(0[1-9]|1[0-2])[-_]?(0[1-9]|[12]\d|3[01])(?!\d)")


def date_from_text(text: str) -> date | None:
    """The article's own date when its first lines state one (see _TEXT_DATE), or a date stamp
    the first line opens with (``inline_stamp``)."""
    for m in _TEXT_DATE.finditer(text[:400]):
        found = parse_date(m["a"] or m["b"] or m["c"])
        if found:
            return found
    stamp = inline_stamp(text.lstrip()[:200])
    return stamp[0] if stamp else None


def inline_stamp(line: str) -> tuple[date, int] | None:
    """A date stamp that opens a line and runs into the text ("date 2017-04-26 The ..."): the
    date and where the text after it starts, or None."""
    m = _INLINE_STAMP.match(line)
    found = parse_date(m["d"]) if m else None
    return (found, m.end()) if found else None


def date_line(line: str) -> date | None:
    """The date of a line that is only a date stamp ("Published: 4 March 2025", "2025-03-04"),
    not a dateline that runs into the story."""
    m = _TEXT_DATE.match(line.strip())
    return parse_date(m["a"] or m["b"]) if m and (m["a"] or m["b"]) else None


def date_from_filename(name: str) -> date | None:
    """A date in a file name: 2025-03-04-drill.md, report_20250304.html."""
    m = _FILE_DATE.search(Path(name).name)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def make_article(
    *,
    text: str,
    where: str,
    id: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    published: object = None,
    filename: str | None = None,
    text_offset: int | None = None,
) -> Article:
    """An Article from one record. Publication date: the metadata's, else one the text states
    at its top, else one in ``filename`` (single-article files only)."""
    # stripped, but empty leading pages keep their page breaks (the pages after keep their numbers)
    text = _LEADING_SPACE.sub("", clean_text(str(text or "")).rstrip())
    if len(text.strip()) < MIN_ARTICLE_CHARS:
        raise BadInputError(f"{where}: no article text (fewer than {MIN_ARTICLE_CHARS} characters)")
    if len(text) > MAX_ARTICLE_CHARS:
        raise BadInputError(f"{where}: article text too long ({len(text):,} characters > {MAX_ARTICLE_CHARS:,})")
    art_id = _meta(id) or "a-" + content_hash(text)[:16]
    return Article(
        id=art_id,
        url=_meta(url),
        outlet=_meta(outlet),
        title=_meta(title),
        published=parse_date(published) or date_from_text(text) or (date_from_filename(filename) if filename else None),
        text=text,
        source=_meta(where),
        text_offset=text_offset,
    )


def _meta(value: object) -> str | None:
    """A metadata field as one clean line (no control characters, at most 1,000 characters)."""
    if value in (None, ""):
        return None
    text = " ".join(_META_CONTROL.sub(" ", str(value)).split())[:1000]
    return text or None
