"""Hedging signals (a signal family): modal verbs, evidential and probability words in each
claim's sentence. Reportative words ("reportedly", "allegedly") are vague sourcing instead
(sourcing.py): one flag per phrase."""

from __future__ import annotations

import re

from corroborator.domain import Signal
from corroborator.registry import signal_families
from corroborator.signals.family import ArticleText, Legend, SignalFamily

_FLAGS = re.I
HEDGES = {
    "modal": re.compile(r"\b(?:may|might|could)\b", _FLAGS),
    "reportative": re.compile(r"\b(?:reportedly|allegedly|purportedly|supposedly|rumou?red)\b", _FLAGS),
    "evidential": re.compile(r"\b(?:suggests?|suggested|appears?\s+to|appeared\s+to|seems?\s+to|seemed\s+to|"
                             r"indicates?|indicated)\b", _FLAGS),
    "probability": re.compile(r"\b(?:possibly|probably|likely|unlikely|perhaps|apparently)\b", _FLAGS),
}
EXPLAIN = {
    "modal": "hedged with a modal verb: a possibility, not a fact",
    "evidential": "presented as an inference from indirect evidence",
    "probability": "presented as probable, not established",
}


def hedging(article: ArticleText) -> list[Signal]:
    """Each claim sentence's hedges, once per sentence, tied to the first claim drawn from it."""
    out: list[Signal] = []
    seen: set[int] = set()
    for claim in article.claims:
        sent = article.sentence_of(claim)
        if sent is None or sent.start_char in seen:
            continue
        seen.add(sent.start_char)
        for subtype, pattern in HEDGES.items():
            if subtype not in EXPLAIN:
                continue  # reportative: already a vague-sourcing signal
            for m in pattern.finditer(sent.text):
                start, end = sent.start_char + m.start(), sent.start_char + m.end()
                out.append(Signal(type="hedging", subtype=subtype, span=(start, end), text=article.text[start:end],
                                  explanation=EXPLAIN[subtype], claim_id=claim.id))
    return out


FAMILY = signal_families.register("hedging", SignalFamily(
    name="hedging", detect=hedging, per_claim=True,
    legend=(Legend("hedging", "hedged: may, could, suggests, appears", "#d9d2f0", 40),),
))
