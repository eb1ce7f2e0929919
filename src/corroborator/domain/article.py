"""Articles as read and as stored."""

from __future__ import annotations

import hashlib
import re
from datetime import date

from pydantic import BaseModel, Field, field_validator, model_validator

_WS = re.compile(r"\s+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")
# A form feed is a page break (PDF pages are joined with one; pdftotext writes them too)
PAGE_BREAK = "\f"
_IMAGE_URI = re.compile(r"^data:image/(?:jpeg|png);base64,[A-Za-z0-9+/]+=*$")


def page_at(text: str, offset: int) -> int | None:
    """The page (from 1) of a character of ``text``, None for a text without page breaks."""
    if PAGE_BREAK not in text:
        return None
    return text.count(PAGE_BREAK, 0, max(0, offset)) + 1


def safe_url(url: str | None) -> str | None:
    """The URL when it is one a reader can follow (http, https, or no scheme), else None.
    Article metadata is untrusted: a ``javascript:`` or ``data:`` URL would be stored and handed
    back as a link (issue 25). Browsers drop tabs, newlines and control characters inside a
    scheme ("java\tscript:"), so the scheme is read without them."""
    if url is None:
        return None
    url = url.strip()
    scheme = _SCHEME.match(_INVISIBLE.sub("", url))
    if not url or (scheme and scheme.group(1).lower() not in ("http", "https")):
        return None
    return url


def normalise_text(text: str) -> str:
    """Whitespace-collapsed, case-folded text: what two *exact copies* share."""
    return _WS.sub(" ", text).strip().casefold()


def content_hash(text: str) -> str:
    """Hash that identifies exact copies of an article body (whitespace and case ignored)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


class PageImage(BaseModel):
    """The image an article's text was read from by OCR, as the report shows it: a reduced copy
    and the box of every word read (ingest/image.py). Never stored in an archive."""

    data_uri: str = Field(description="the image as a data: URI (JPEG or PNG, base64)")
    width: int = Field(gt=0, le=10_000)
    height: int = Field(gt=0, le=20_000)
    words: list[tuple[int, int, int, int, int, int]] = Field(
        default_factory=list, description="per word read: start and end in the article text, then left, top, width "
        "and height in this image's pixels")

    @field_validator("data_uri")
    @classmethod
    def _image_data_only(cls, value: str) -> str:
        # shown as an <image href>: nothing but base64 image data may get there
        if not _IMAGE_URI.match(value):
            raise ValueError("not a base64 JPEG or PNG data URI")
        return value


class Article(BaseModel):
    """One news article, normalised from whatever format it came in."""

    id: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: date | None = None
    text: str
    source: str | None = Field(default=None, description="file (and record) it was read from")
    text_offset: int | None = Field(
        default=None,
        description="where `text` starts in the input file as read (decoded, line ends normalised to \\n), so "
                    "spans into `text` map back to the file; None when the text was extracted (HTML, feeds, rows)")
    image: PageImage | None = Field(default=None, description="the image the text was read from by OCR (screenshots)")

    @field_validator("url")
    @classmethod
    def _followable_url(cls, value: str | None) -> str | None:
        return safe_url(value)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


class Sentence(BaseModel):
    """A sentence of a stored article, with its character span in the article text."""

    article_id: str
    index: int
    start: int
    end: int
    text: str


def source_name(source: str | None) -> str | None:
    """The last part of a file path or URL a user would recognise ("reports/a.txt" -> "a.txt",
    "feeds/wire.jsonl:12" -> "wire.jsonl:12")."""
    if not source:
        return None
    name = source.rstrip("/").replace("\\", "/").rsplit("/", 1)[-1]
    return name or source


def own_origin(outlet: str | None, article_id: str, source: str | None = None) -> str:
    """An article's own origin, when it is no one's copy (or no origin was recorded): its
    outlet, else the file (and record) it was read from ("drill-report.txt", "feed.jsonl:12"),
    else its id. The one fallback: the domain types below apply it when built."""
    if outlet and outlet.strip():
        return outlet.strip()
    return source_name(source) or f"article {article_id}"


class HasOrigin(BaseModel):
    """A piece of an article that carries its independent origin (corroborate/origins.py); when
    none was recorded the article counts as its own origin (``own_origin``)."""

    @model_validator(mode="after")
    def _own_origin_when_unrecorded(self):
        if not self.origin:
            self.origin = own_origin(self.outlet, self.article_id, getattr(self, "source", None))
        return self


def first_line(text: str, limit: int = 100) -> str | None:
    """A plain text's first line, to name an article that has no title."""
    line = text.strip().split("\n", 1)[0].strip() if text else ""
    return (line[: limit - 1].rstrip() + "…" if len(line) > limit else line) or None


class ArticleRef(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: date | None
    url: str | None
    source: str | None = Field(default=None, description="the file (and record) it was read from")
    text_offset: int | None = Field(default=None, description="where article_text starts in that file (Article)")


class StoredArticle(HasOrigin):
    """An article as the timeline sees it: metadata and its mean sentence embedding."""

    model_config = {"arbitrary_types_allowed": True}

    article_id: str
    outlet: str | None = None
    origin: str | None = None
    title: str | None = None
    published: date | None = None
    sentences: int = 0
    vector: object | None = Field(default=None, description="unit-length mean sentence embedding (numpy)")
    statements: frozenset[int] = Field(default=frozenset(), description="vector ids of its checkable sentences")
    names: frozenset[str] = Field(default=frozenset(), description="proper names it mentions (lowercase)")
    written: dict[str, str] = Field(default_factory=dict, description="each name (lowercase key) as it is written")
