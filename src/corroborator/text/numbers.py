"""Numbers and quantities: values with their scale words and units."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
