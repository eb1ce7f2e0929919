"""Article-level assessment: the corroboration matrix (claims × independent origins), the
shares of corroborated, contradicted and uncorroborated claims, and a risk score in [0, 1]
with the factors behind it.

risk = sigmoid(BIAS + sum of contributions), contribution = weight × value, over the factors
below; every factor, its value, weight and contribution is in the report. Risk v2 (issue 11):
when the archive covers the article's story (record.py), risk comes from contradicted,
altered and added claims; when it does not, the archive's factors contribute nothing and the
risk comes from what needs no archive (sourcing, loaded language) — missing coverage is not
suspicious content. The weights are a non-negative logistic fit on the fitting half of the
development stories (LLMFake CoAID/GossipCop, every generator, and PolitiFact with its six
manipulation methods; bench/fit_risk.py), with the bias fixed at -2 (the risk of a clean
article about an event the archive does not cover, which that data cannot inform). The
weight-0 factors are reported for audit (docs/DESIGN.md, "Risk v2", says why).
"""

from __future__ import annotations

import math

from corroborator.domain import (
    Claim,
    ClaimResult,
    CorroborationMatrix,
    MatrixRow,
    RiskFactor,
    Verdict,
)
from corroborator.signals.family import builtin_risk_weights

BIAS = -2.0
WEIGHTS = {
    # from the archive, counted only when it holds the story (record.is_covered); fitted by bench/fit_risk.py
    # on the fitting half of every development set (PolitiFact, LLMFake ChatGPT and six other generators;
    # DESIGN "Issue 23", risk v3)
    "contradicted_share": 1.8,  # refuted or conflicting claims / claims; held at risk v2's 1.8 by hand: with REFUTED
    # now kept for close restatements (confidence.py) it fires too rarely in this data to be fitted
    "altered_share": 0.22,  # claims the record reports differently (number, date, name, negation, context) / claims
    "added_share": 1.62,  # specific claims (number, name, date, quote, cause) the covered story's record lacks / claims
    "not_in_record_share": 1.9,  # unspecific claims the covered story's record does not say / claims
    "story_departure": 2.55,  # 1 - story similarity of the closest same-event article: how far a retelling strays
    # from the story the archive holds
    # from the article alone: each signal family's factors and weights (signals/sourcing.py: weak_sourcing_share
    # 1.5, weak_specifics_share 0; signals/techniques.py: loaded_language_strength 1.11, loaded_language_share 0)
    **builtin_risk_weights(),
    # reported, not weighted (DESIGN "Risk v2", "Issue 23")
    "corroborated_share": 0.0,  # supported claims / claims
    "uncorroborated_share": 0.0,  # not-enough-info claims / claims
    "support_strength": 0.0,  # mean over claims of the best same-event support probability
    "unmatched_share": 0.0,  # claims no same-event sentence restates closely (cosine < RESTATED) / claims
    "archive_similarity": 0.0,  # mean over claims of the closest same-event sentence's cosine
    "novel_specifics_share": 0.0,  # claims' numbers and names no same-event evidence mentions / all of them
    "coverage": 0.0,  # claims with a same-story counterpart / claims
}
# The built-in signal families' factors: left out of a check that does not run their family.
SIGNAL_FACTORS = frozenset(builtin_risk_weights())
# Factors that only mean something when the archive covers the story.
ARCHIVE_FACTORS = frozenset({
    "contradicted_share", "altered_share", "added_share", "corroborated_share", "uncorroborated_share",
    "support_strength", "unmatched_share", "archive_similarity", "novel_specifics_share", "not_in_record_share",
    "story_departure",
})


def shares(results: list[ClaimResult]) -> dict[str, float]:
    n = len(results)
    if not n:
        return {"corroborated_share": 0.0, "contradicted_share": 0.0, "uncorroborated_share": 0.0}
    count = lambda *vs: sum(1 for r in results if r.verdict in vs)  # noqa: E731
    return {
        "corroborated_share": count(Verdict.SUPPORTED) / n,
        "contradicted_share": count(Verdict.REFUTED, Verdict.CONFLICTING) / n,
        "uncorroborated_share": count(Verdict.NOT_ENOUGH_INFO) / n,
    }


def best_per_claim(results: list[ClaimResult], value) -> list[float]:
    """Per claim the highest ``value`` among its same- or unknown-event evidence (0 without
    any)."""
    return [max((value(e) for e in r.evidence if e.event_match != "different"), default=0.0) for r in results]


def _mean_best(results: list[ClaimResult], value) -> float:
    best = best_per_claim(results, value)
    return sum(best) / len(best) if best else 0.0


def closest_restatements(results: list[ClaimResult]) -> list[float]:
    """Per claim, the embedding cosine of its closest same- or unknown-event sentence."""
    return best_per_claim(results, lambda e: e.similarity or 0.0)


# A claim is restated in the archive when some same- or unknown-event sentence has an
# embedding cosine of at least this with it (chosen with the weights, DESIGN "Risk weights").
RESTATED = 0.70


def share_unmatched(closest: list[float], threshold: float = RESTATED) -> float:
    """Share of claims whose closest restatement is below ``threshold`` (0 without claims)."""
    return sum(c < threshold for c in closest) / len(closest) if closest else 0.0


def unmatched_share(results: list[ClaimResult], threshold: float = RESTATED) -> float:
    """Share of claims that no same- or unknown-event sentence in the archive restates
    closely. Unlike the mean similarity (archive_similarity), one invented detail inside an
    otherwise faithful retelling counts fully here: the demo's invented-details article has
    14 of 21 claims unmatched, its on-record article 2 of 11."""
    return share_unmatched(closest_restatements(results), threshold)


def support_strength(results: list[ClaimResult]) -> float:
    """How strongly the archive backs the claims, before thresholds: the support probability."""
    return _mean_best(results, lambda e: e.probs.supports)


def archive_similarity(results: list[ClaimResult]) -> float:
    """How closely the archive restates the claims, whatever the verifier makes of it: the
    embedding cosine. Faithful retellings of archived stories score high; invented details
    find nothing close."""
    return _mean_best(results, lambda e: e.similarity or 0.0)  # = mean of closest_restatements


def novel_specifics_share(claims: list[Claim], results: list[ClaimResult]) -> float:
    """Share of the claims' specifics — numbers and named people, organisations, places — that
    no same- or unknown-event evidence passage (sentence with its neighbours) mentions. Invented
    details ("12 B-52s", "a leaked NSC memo") are specifics nobody else has; a faithful retelling
    repeats its source's. Names match case-insensitively, whole or by their last word (a
    surname); numbers match within 1 %."""
    from corroborator.text.numbers import parse_numbers

    by_id = {r.id: r for r in results}
    total = novel = 0
    for claim in claims:
        result = by_id.get(claim.id)
        passages = [e.context or e.sentence for e in (result.evidence if result else []) if e.event_match != "different"]
        text = " ".join(passages).lower()
        numbers = parse_numbers(text) if claim.numbers and text else []
        for name in dict.fromkeys(claim.entities):
            key = name.lower().removeprefix("the ").strip()
            if not key:
                continue
            total += 1
            last = key.split()[-1]
            if key not in text and not (len(key.split()) > 1 and len(last) >= 4 and last in text):
                novel += 1
        for value in dict.fromkeys(claim.numbers):
            total += 1
            if not any(abs(value - n) <= 0.01 * max(abs(value), 1e-9) for n in numbers):
                novel += 1
    return novel / total if total else 0.0


def record_shares(results: list[ClaimResult]) -> dict[str, float]:
    """Shares of claims the record reports differently (altered) and of claims with no
    counterpart in a story the archive covers (added), record.py."""
    n = len(results) or 1
    status = [r.record.status if r.record else None for r in results]
    return {"altered_share": status.count("altered") / n, "added_share": status.count("added") / n,
            "not_in_record_share": status.count("not_in_record") / n}


def coverage_note(covered: bool, coverage: float, story_articles: int, versions: list[str], claims: int) -> str:
    """One plain sentence on what the archive could say about this article."""
    parts = []
    if versions:
        parts.append(f"This article is a version of stored article {versions[0]}"
                     + (f" (and {len(versions) - 1} more)" if len(versions) > 1 else "")
                     + ": its claims are compared with it, but it is not independent corroboration.")
    if not claims:
        parts.append("No checkable claims were found.")
    elif not covered:
        parts.append("The archive holds no other reporting of this event"
                     + (f" ({coverage:.0%} of the claims have a counterpart)" if coverage else "")
                     + ", so the risk reflects sourcing and language only, not corroboration.")
    else:
        parts.append(f"The archive covers this story: {coverage:.0%} of the claims have a counterpart in "
                     f"{story_articles} same-story article(s).")
    return " ".join(parts)


def risk(values: dict[str, float], covered: bool = True,
         weights: dict[str, float] | None = None) -> tuple[float, list[RiskFactor]]:
    """Risk and its factors, largest contribution first. With no claims there is nothing
    to assess: risk is the bias alone. When the archive does not cover the article's story
    (record.py), the factors that need the archive contribute nothing: missing coverage is
    not suspicious content. ``weights``: WEIGHTS and the factors of the signal families a
    check runs (a plug-in family's among them)."""
    factors = [
        RiskFactor(name=name, value=round(values.get(name, 0.0), 4), weight=w,
                   contribution=round(w * values.get(name, 0.0), 4) if covered or name not in ARCHIVE_FACTORS else 0.0)
        for name, w in (weights or WEIGHTS).items()
    ]
    z = BIAS + sum(f.contribution for f in factors)
    factors.sort(key=lambda f: -abs(f.contribution))
    return round(1.0 / (1.0 + math.exp(-z)), 4), factors


def matrix(results: list[ClaimResult]) -> CorroborationMatrix:
    """Claims × independent origins: which origin backs or contradicts which claim.

    Columns are the origins with evidence for any claim (same or unknown event), the most
    supportive first; a cell is "supports", "contradicts", "both" (the origin's articles
    disagree with each other) or "silent" (no decisive evidence from that origin)."""
    score: dict[str, int] = {}
    for r in results:
        for o in r.origins_supporting:
            score[o] = score.get(o, 0) + 1
        for o in r.origins_contradicting:
            score.setdefault(o, 0)
        for e in r.evidence:
            if e.event_match != "different" and not e.record_only:
                score.setdefault(e.origin, 0)
    columns = sorted(score, key=lambda o: (-score[o], o))
    rows = []
    for r in results:
        sup, con = set(r.origins_supporting), set(r.origins_contradicting)
        cells = ["both" if o in sup and o in con else "supports" if o in sup else "contradicts" if o in con else "silent"
                 for o in columns]
        rows.append(MatrixRow(claim_id=r.id, cells=cells))
    return CorroborationMatrix(origins=columns, rows=rows)
