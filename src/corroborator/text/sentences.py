"""Sentence segmentation: spaCy's boundaries, with false breaks after abbreviations merged
and headings or hard line breaks split off."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from corroborator.text.names import _common_words
from corroborator.text.parsing import load_spacy

_HEADING_MAX = 60


# Abbreviations after which a sentence goes on: titles and ranks before a name, months before
# a day or year, "No." before a number. A sentence ending in one of these is rare enough that
# a boundary spaCy puts there is taken as a mistake ("... on Guam, Maj." / "John Smith said").
_TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm", "cmdr", "cdr",
    "brig", "pvt", "cpl", "rep", "reps", "sen", "sens", "gov", "pres", "rev", "fr", "sr", "jr", "st", "hon",
    "supt", "insp", "det", "amb", "gens", "lt.-gen", "maj.-gen",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "vs", "approx",
}
# Dotted acronyms ("U.S.", "U.N.") and single initials ("J.") end sentences too, so a boundary
# after them stands unless the next word continues a name ("U.S." / "Navy official ...").
_DOTTED = re.compile(r"(?:^|[\s(\"“])((?:[A-Z]\.){1,3})$")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.\-]*)\.$")
# Capitalised words that open a sentence more often than they continue a name after "U.S."
_GENERIC_OPENERS = frozenset({
    "officials", "authorities", "residents", "police", "analysts", "experts", "critics", "lawmakers", "troops",
    "scientists", "researchers", "people", "voters", "protesters", "investigators", "prosecutors", "leaders",
})
_NEXT_WORD = re.compile(r"^\s*([\"“(]?)([A-Za-z][\w'’\-]*)")


def _ends_inside_sentence(before: str, after: str) -> bool:
    """Whether a boundary between ``before`` (text up to a sentence end) and ``after`` is a
    false one: after a title, rank or month abbreviation, or after a dotted acronym or an
    initial when the next word is capitalised and not a common sentence opener."""
    if after.lstrip()[:1] in {".", ",", ";", ")"}:  # a split inside a token ("Lt" / ". Gen.")
        return True
    before = before.rstrip()
    if not before.endswith("."):
        return False
    nxt = _NEXT_WORD.match(after)
    last = _LAST_WORD.search(before)
    if last and last.group(1).lower().rstrip(".") in _TITLES and "." not in last.group(1).rstrip("."):
        return bool(nxt) and not nxt.group(1)
    if _DOTTED.search(before) and nxt and not nxt.group(1):
        word = nxt.group(2)
        return word[:1].isupper() and word.lower() not in _common_words() | _GENERIC_OPENERS
    return False


def _merge_false_breaks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join sentences split after an abbreviation (_ends_inside_sentence), never across a
    blank line or a page break."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            prev_start, prev_end = out[-1]
            gap = text[prev_end:start]
            if gap.count("\n") < 2 and "\f" not in gap and _ends_inside_sentence(text[prev_start:prev_end], text[start:end]):
                out[-1] = (prev_start, end)
                continue
        out.append((start, end))
    return out


def _is_break(text: str, nl_start: int, nl_end: int) -> bool:
    """Whether a run of newlines ends a unit: always at a blank line or a page break (a form
    feed: a page's footer never runs into the next page's heading); a single newline only
    after sentence punctuation or a short heading-like line (hard-wrapped prose is one sentence)."""
    if text.count("\n", nl_start, nl_end) > 1 or "\f" in text[nl_start:nl_end]:
        return True
    line_start = text.rfind("\n", 0, nl_start) + 1
    line = text[line_start:nl_start].rstrip()
    if line and _ends_inside_sentence(line, text[nl_end:nl_end + 40]):
        return False
    if not line or line[-1] in ".!?:;\"'”’)":
        return True
    following = text[nl_end : nl_end + 1]
    return len(line) <= _HEADING_MAX and (following.isupper() or following.isdigit())


def _line_pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split a span at paragraph breaks and trim whitespace, keeping character offsets."""
    pos = start
    for m in re.finditer(r"[\n\f][ \t\n\f]*", text[start:end]):
        nl_start, nl_end = start + m.start(), start + m.end()
        if _is_break(text, nl_start, nl_end):
            yield from _trimmed(text, pos, nl_start)
            pos = nl_end
    yield from _trimmed(text, pos, end)


# A sentence end with no space after it ("...belt.He was"): scraped pages that lost their line
# breaks run sentences together, and spaCy reads "belt.He" as one token (issue 23: 5 of 31 missed
# claims of faithful PolitiFact versions). A lower-case word, the end mark, a capitalised word:
# spaCy's infixes split such a token there, so the break falls between tokens. Not after a
# digit ("12.Analysts" stays one token) or a quote ('won."The' is tokenised '"The'): a break
# inside a token would give two claims the same words.
_GLUED_END = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")


def _glued_pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split a span where a sentence end has no space after it (_GLUED_END)."""
    pos = start
    for m in _GLUED_END.finditer(text, start, end):
        if m.start() - pos >= 2:
            yield pos, m.start()
            pos = m.start()
    yield pos, end


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip())
    right = len(piece.rstrip())
    if right > left:
        yield start + left, start + right


def sentence_spans(doc) -> list[tuple[int, int]]:
    """Character spans of sentences. Reads sentence starts from one array instead of
    ``doc.sents``, which walks every token once per sentence (a third of indexing time)."""
    from spacy.attrs import IDX, LENGTH, SENT_START

    if len(doc) == 0:
        return []
    arr = doc.to_array([SENT_START, IDX, LENGTH])
    starts = [i for i in range(len(doc)) if i == 0 or arr[i, 0] == 1]
    text = doc.text  # a property that joins every token: read once (it made long articles quadratic)
    spans: list[tuple[int, int]] = []
    for n, first in enumerate(starts):
        last = (starts[n + 1] if n + 1 < len(starts) else len(doc)) - 1
        for a, b in _line_pieces(text, int(arr[first, 1]), int(arr[last, 1] + arr[last, 2])):
            spans.extend(_glued_pieces(text, a, b))
    return _merge_false_breaks(text, spans)


def segment_many(texts: Iterable[str], batch_size: int = 64) -> Iterator[list[tuple[int, int]]]:
    """Sentence spans for each text, streaming (indexing path)."""
    nlp = load_spacy(full=False)
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield sentence_spans(doc)
