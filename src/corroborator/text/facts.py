"""The names, numbers and dates a claim's span states, read from its parse: claims/extract.py
fills a Claim's fields from them. (The verifier's checks compare a richer reading of their own,
verify/checks.Facts: quantities with units and ranges, dates with precision, participants.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from corroborator.text.dates import date_mentions
from corroborator.text.names import names_of_span
from corroborator.text.numbers import _NUMBER_LABELS, parse_numbers
from corroborator.text.parsing import ents_in


@dataclass
class SpanFacts:
    """A span's names, numbers and dates (with each date's precision), for its Claim."""

    entities: list[str] = field(default_factory=list)
    numbers: list[float] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    date_precisions: list[str] = field(default_factory=list)  # "day" | "month" | "year", one per date


def facts_of_span(span, anchor: date | None) -> SpanFacts:
    facts = SpanFacts()
    facts.entities = names_of_span(span)
    for ent in ents_in(span):
        if ent.label_ in _NUMBER_LABELS:
            facts.numbers.extend(parse_numbers(ent.text))
    mentions = date_mentions(span, anchor)
    facts.dates = [d.day for d in mentions]
    facts.date_precisions = [d.precision for d in mentions]
    return facts
