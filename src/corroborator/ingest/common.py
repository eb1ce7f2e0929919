"""Shared helpers for readers: safe byte reading, decoding, dates and ids."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from ..config import MAX_ARTICLE_BYTES, MIN_ARTICLE_CHARS
from ..errors import BadInputError
from ..types import Article, content_hash

# C0 and C1 control characters (tab and newline kept) and lone surrogates: none belong in an
# article, and escape sequences would reach the user's terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_META_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_ARTICLE_CHARS = 1_000_000  # spaCy's limit is 2M; nothing longer is one news article


def read_article_bytes(path: Path, limit: int = MAX_ARTICLE_BYTES) -> bytes:
    """Read a single-article file, refusing what cannot be one article."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadInputError(f"{path}: cannot read ({exc.strerror})") from None
    if size == 0:
        raise BadInputError(f"{path}: empty file")
    if size > limit:
        raise BadInputError(
            f"{path}: file too large for one article ({size / 1e6:.1f} MB > {limit / 1e6:.1f} MB limit; "
            "split it or use .jsonl)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInputError(f"{path}: cannot read ({exc.strerror})") from None
    check_not_binary(data, str(path))
    return data


def check_not_binary(data: bytes, where: str) -> None:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInputError(f"{where}: UTF-16 text; re-encode the file as UTF-8")
    if b"\x00" in head:
        raise BadInputError(f"{where}: binary file (contains NUL bytes), not text")


def decode_utf8(data: bytes, where: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInputError(
            f"{where}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-encode the file as UTF-8"
        ) from None
    return clean_text(text)


def clean_text(text: str) -> str:
    """Drop control characters (keeps tab/newline) and normalise line ends."""
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
            settings={"STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False,
                      "PARSERS": ["timestamp", "custom-formats", "absolute-time"]},
        )
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return parsed.date() if parsed else None


def make_article(
    *,
    text: str,
    where: str,
    id: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    published: object = None,
) -> Article:
    text = clean_text(str(text or "")).strip()
    if len(text) < MIN_ARTICLE_CHARS:
        raise BadInputError(f"{where}: no article text (fewer than {MIN_ARTICLE_CHARS} characters)")
    if len(text) > MAX_ARTICLE_CHARS:
        raise BadInputError(f"{where}: article text too long ({len(text):,} characters > {MAX_ARTICLE_CHARS:,})")
    art_id = _meta(id) or "a-" + content_hash(text)[:16]
    return Article(
        id=art_id,
        url=_meta(url),
        outlet=_meta(outlet),
        title=_meta(title),
        published=parse_date(published),
        text=text,
        source=_meta(where),
    )


def _meta(value: object) -> str | None:
    """A metadata field as one clean line (no control characters, at most 1,000 characters)."""
    if value in (None, ""):
        return None
    text = " ".join(_META_CONTROL.sub(" ", str(value)).split())[:1000]
    return text or None
