"""Explicit quantity, date and name checks beside the verifier.

Small NLI models read "three hours" and "more than six hours" as near-paraphrases (the
MiniCheck authors report the same failure on numbers). These checks compare what claim and
evidence commit to, from the spaCy parse, and move probability mass the model put on
"supports" when the two disagree:

- quantity: both count the same thing (same unit noun) and no pair of values is
  compatible, taking "more than", "about", "up to" into account -> the support mass goes
  to "refutes", because the evidence says the same thing with another number.
- date: both name a date and none agree at the precision both give (day, month or year)
  -> the support mass goes to "neutral": another date may be a mistake or another event,
  and the evidence cannot back the claim either way.
- name: the claim names a person the evidence never mentions, while the evidence names
  another person -> the support mass goes to "neutral" ("Kim said" is not backed by
  "Park said").
- participant: the claim names a ship, a military unit or an aircraft type the evidence
  passage never mentions, while the evidence names another of the same kind -> "neutral"
  (issue 23: a 2017 report naming two destroyers and a carrier was "backed" by a 2023 sentence
  about three other ships). Another drill with other ships is another event, never support.

Each mismatch is kept on the evidence, so the report shows why a verdict moved.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from corroborator.domain import Candidate, Claim, Mismatch, StanceProbs
from corroborator.text.dates import DateMention, coarser, date_mentions
from corroborator.text.numbers import quantity_mentions
from corroborator.text.parsing import load_spacy

# Share of the neutral mass also moved to "refutes" on a quantity conflict when the two
# sentences are close paraphrases otherwise (dense cosine >= _PARAPHRASE): the model often
# calls such pairs "neutral", yet a different count of the same thing is a contradiction.
_PARAPHRASE = 0.7

_LOWER = re.compile(r"\b(more than|over|above|at least|exceeding|upwards of|in excess of)\s*$", re.I)
_UPPER = re.compile(r"\b(less than|fewer than|under|below|up to|at most|no more than|nearly|almost)\s*$", re.I)
_ABOUT = re.compile(r"\b(about|around|roughly|approximately|some|an estimated|estimated|close to|nearly|almost)\s*$", re.I)
_EXACT_TOLERANCE = 0.01
_ABOUT_TOLERANCE = 0.15

# Only people: outlets attribute the same fact to different organisations ("the Pentagon",
# "US Forces Korea") too often for an organisation mismatch to mean anything.
_ENTITY_LABELS = {"PERSON"}
# Words that make two different organisations look alike ("Defense Ministry", "Foreign Ministry").
_GENERIC = {
    "the", "of", "and", "for", "ministry", "department", "agency", "office", "government", "council",
    "committee", "university", "company", "group", "news", "national", "international", "inc", "corp",
    "association", "union", "authority", "service", "services", "force", "forces", "air", "army", "navy",
    "state", "states", "united", "press", "mr", "mrs", "ms", "dr", "col", "gen", "maj", "lt", "sgt",
}


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    low: float
    high: float
    text: str


@dataclass
class Facts:
    """What the checks compare between a claim and an evidence sentence: quantities with units
    and ranges, dates with precision, entities and participants (a claim's own names, numbers
    and dates for its Claim fields are text/facts.SpanFacts)."""

    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    entities: list[tuple[str, str]] = field(default_factory=list)  # (text, label)
    participants: list[tuple[str, str]] = field(default_factory=list)  # (key, kind): participants(text)


# Participants that name one thing and nothing else (unlike organisations, which outlets swap
# for each other): ships by their prefix, numbered military units, aircraft type designations.
_SHIP = re.compile(r"\b(?:USS|USNS|HMS|HMAS|HMCS|HMNZS|JS|ROKS|INS|FS|ITS|CNS|KRI|BRP)\s+((?:[A-Z][\w'’-]*[ \t]?){1,3})")
_UNIT = re.compile(r"\b(\d{1,3}(?:st|nd|rd|th)\s+(?:[A-Z][a-z]+\s+){0,3}"
                   r"(?:Squadron|Wing|Fleet|Division|Brigade|Regiment|Battalion|Flotilla|Corps))\b")
# military designations only (not G-20, I-95, H-1B): B-52H ~ B-52, "F-35s" ~ F-35
_AIRCRAFT = re.compile(r"\b((?:A|B|C|E|F|P|U|AV|EA|KC|RC|EP|MV|CH|AH|UH|MH|MQ|RQ|SR)-\d{1,3})[A-Z]?s?\b")
# words that end a ship's name: "USS Carl Vinson Strike Group" names the Carl Vinson
_SHIP_TAIL = {"strike", "carrier", "group", "and", "the", "on", "in", "with"}


def participants(text: str) -> list[tuple[str, str]]:
    """(key, kind) of each ship, unit and aircraft type the text names: "USS Carl Vinson" ->
    ("carl vinson", "ship"); "B-52H" -> ("b-52", "aircraft"), so variants of one type meet."""
    found = []
    for m in _SHIP.finditer(text):
        words = m.group(1).split()
        while words and words[-1].lower() in _SHIP_TAIL:
            words.pop()
        if words:
            found.append((" ".join(words).lower(), "ship"))
    found += [(re.sub(r"\s+", " ", m.group(1)).lower(), "unit") for m in _UNIT.finditer(text)]
    found += [(m.group(1).lower(), "aircraft") for m in _AIRCRAFT.finditer(text)]
    return list(dict.fromkeys(found))


_NOT_MORE = re.compile(r"\b(?:no|not)\s+(?:more|greater|higher)\s+than\s*$", re.I)
_NOT_LESS = re.compile(r"\b(?:no|not)\s+(?:fewer|less|lower)\s+than\s*$", re.I)


def _bounds(value: float, before: str) -> tuple[float, float]:
    """The interval a number stands for, from the words just before it."""
    if _NOT_MORE.search(before):
        return 0.0, value
    if _NOT_LESS.search(before):
        return value, math.inf
    if _LOWER.search(before):
        return value, math.inf
    if _UPPER.search(before) and not _ABOUT.search(before):
        return 0.0, value
    if _ABOUT.search(before):
        if re.search(r"\b(nearly|almost)\s*$", before, re.I):
            return value * (1 - _ABOUT_TOLERANCE), value
        return value * (1 - _ABOUT_TOLERANCE), value * (1 + _ABOUT_TOLERANCE)
    return value * (1 - _EXACT_TOLERANCE), value * (1 + _EXACT_TOLERANCE)


def _quantities(span) -> list[Quantity]:
    found = []
    text = span.doc.text
    for m in quantity_mentions(span):
        low, high = _bounds(m.value, text[max(0, m.start - 25) : m.start])
        found.append(Quantity(value=m.value, unit=m.unit, low=low, high=high, text=text[m.start : m.end]))
    return found


def _same_participant(names: list[str], others: set[str]) -> bool:
    """Whether any of ``names`` is among ``others``, a name and a longer form of it meeting
    ("carl vinson" ~ "carl vinson strike")."""
    return any(a == b or a.startswith(b + " ") or b.startswith(a + " ") for a in names for b in others)


def facts_of(doc, anchor: date | None) -> Facts:
    return Facts(
        quantities=_quantities(doc[:]),
        dates=date_mentions(doc, anchor),
        entities=[(e.text, e.label_) for e in doc.ents if e.label_ in _ENTITY_LABELS],
        participants=participants(doc.text),
    )


def _name_tokens(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", name.lower()) if len(w) > 2 and w not in _GENERIC}


def _mentions(name: str, text: str) -> bool:
    """Whether text mentions the named person or organisation: a distinctive word of the
    name, or its acronym ("Korean Central News Agency" ~ "KCNA"), or all of it when it has
    no distinctive word ("US Air Force")."""
    words = set(re.findall(r"[a-z0-9]+", text.lower()))
    tokens = _name_tokens(name)
    if not tokens:
        return name.lower() in text.lower()
    if tokens & words:
        return True
    caps = "".join(w[0] for w in re.findall(r"[A-Z][a-z]+", name))
    return len(caps) >= 2 and caps.lower() in words or (name.isupper() and name.lower() in words)


_PRECISION_KEY = {"day": lambda d: (d.year, d.month, d.day), "month": lambda d: (d.year, d.month), "year": lambda d: (d.year,)}
def mismatches(claim: Facts, evidence: Facts, evidence_text: str) -> list[Mismatch]:
    """Quantity, date and name disagreements between a claim and one evidence sentence;
    ``evidence_text`` is the sentence with the one before it (for names said earlier)."""
    found: list[Mismatch] = []
    for unit in sorted({q.unit for q in claim.quantities} & {q.unit for q in evidence.quantities}):
        cq = [q for q in claim.quantities if q.unit == unit]
        eq = [q for q in evidence.quantities if q.unit == unit]
        if not any(a.low <= b.high and b.low <= a.high for a in cq for b in eq):
            found.append(Mismatch(kind="quantity", claim=cq[0].text, evidence=eq[0].text,
                                  explanation=f"claim gives {cq[0].text}, evidence {eq[0].text}"))
    if claim.dates and evidence.dates:
        agree = any(
            _PRECISION_KEY[p](a.day) == _PRECISION_KEY[p](b.day)
            for a in claim.dates for b in evidence.dates for p in [coarser(a.precision, b.precision)]
        )
        if not agree:
            a, b = claim.dates[0], evidence.dates[0]
            found.append(Mismatch(kind="date", claim=f"{a.text} ({a.day.isoformat()})",
                                  evidence=f"{b.text} ({b.day.isoformat()})",
                                  explanation=f"claim dates it {a.day.isoformat()}, evidence {b.day.isoformat()}"))
    for label in sorted(_ENTITY_LABELS):
        missing = [n for n, lab in claim.entities if lab == label and not _mentions(n, evidence_text)]
        others = [n for n, lab in evidence.entities
                  if lab == label and not any(_mentions(n, c) for c, cl in claim.entities if cl == label)]
        if missing and others:
            found.append(Mismatch(kind="name", claim=missing[0], evidence=others[0],
                                  explanation=f"claim names {missing[0]}, evidence {others[0]}"))
    passage = {key for key, _ in participants(evidence_text)}
    for kind in ("ship", "unit", "aircraft"):
        ours = [k for k, kd in claim.participants if kd == kind]
        theirs = [k for k, kd in evidence.participants if kd == kind]
        if ours and theirs and not _same_participant(ours, passage) and not _same_participant(theirs, set(ours)):
            found.append(Mismatch(kind="name", claim=ours[0], evidence=theirs[0],
                                  explanation=f"claim names the {kind} {ours[0]}, evidence another: {theirs[0]}"))
    return found


def adjust(probs: StanceProbs, found: list[Mismatch], similarity: float | None) -> StanceProbs:
    """Move the support mass a mismatch rules out (see the module docstring)."""
    s, r, n = probs.supports, probs.refutes, probs.neutral
    kinds = {m.kind for m in found}
    if "quantity" in kinds:
        moved = s + (n * 0.8 if similarity is not None and similarity >= _PARAPHRASE else 0.0)
        s, r, n = 0.0, r + moved, n - (moved - s)
    if kinds & {"date", "name"}:
        s, n = 0.0, n + s
    return StanceProbs(supports=s, refutes=r, neutral=max(0.0, n))


class Checked(NamedTuple):
    probs: list[StanceProbs]
    mismatches: list[list[Mismatch]]
    evidence_dates: list[list[DateMention] | None]  # dates the evidence sentence names, None if not parsed


class MismatchChecker:
    """Runs the checks over the (claim, evidence) pairs of one checked article."""

    def __init__(self) -> None:
        self.nlp = load_spacy(full=True)

    def facts(self, texts: list[tuple[str, date | None]]) -> list[Facts]:
        with self.nlp.select_pipes(disable=["lemmatizer"]):  # lemmas are not read; a third of the time
            docs = list(self.nlp.pipe([t for t, _ in texts], batch_size=64))
        return [facts_of(doc, anchor) for doc, (_, anchor) in zip(docs, texts)]

    def apply(
        self, pairs: list[tuple[Claim, Candidate]], probs: list[StanceProbs], claim_anchor: date | None
    ) -> Checked:
        """Checked probabilities, the mismatches found and the evidence sentence's own dates
        (None where it was not parsed), per pair. Only pairs a mismatch could move or explain
        are parsed (the parse is the cost here) — which includes every pair that could
        count as support."""
        todo = [i for i, ((_, cand), p) in enumerate(zip(pairs, probs)) if _worth_checking(p, cand.dense_similarity)]
        keys = sorted({(pairs[i][0].text, claim_anchor) for i in todo} | {(pairs[i][1].sentence, pairs[i][1].published) for i in todo},
                      key=lambda k: (k[0], str(k[1])))
        facts = dict(zip(keys, self.facts(keys)))
        out_probs, out_found = list(probs), [[] for _ in pairs]
        out_dates: list[list[DateMention] | None] = [None] * len(pairs)
        for i in todo:
            claim, cand = pairs[i]
            evidence = facts[(cand.sentence, cand.published)]
            out_dates[i] = evidence.dates
            found = mismatches(facts[(claim.text, claim_anchor)], evidence, f"{cand.context_before} {cand.sentence}")
            if found:
                out_found[i] = found
                out_probs[i] = adjust(probs[i], found, cand.dense_similarity)
        return Checked(out_probs, out_found, out_dates)


_MIN_MOVABLE = 0.1


def _worth_checking(p: StanceProbs, similarity: float | None) -> bool:
    """Whether a mismatch could change this pair's stance (the checks move support mass,
    and neutral mass on a close paraphrase) or explain a contradiction the model found."""
    return p.supports >= _MIN_MOVABLE or p.refutes >= 0.5 or (similarity is not None and similarity >= _PARAPHRASE)
