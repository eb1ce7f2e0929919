"""From per-evidence stances to one verdict per claim.

A claim is SUPPORTED when some evidence supports it with probability >= THRESHOLD and
none refutes it more strongly; REFUTED when some evidence refutes it with probability >=
REFUTE_THRESHOLD (and no stronger support); CONFLICTING when both happen
(from different origins); NOT_ENOUGH_INFO otherwise. Confidence is the probability of the
deciding evidence (for NOT_ENOUGH_INFO: one minus the strongest stance found). Counts are of
independent origins (origins.py), so five outlets running one wire story count once.

Evidence about a different event (events.py: months away from the claim's time) counts
neither way; it stays in the report as related context. A claim whose only support is such
evidence from before the claim's time is NOT_ENOUGH_INFO and flagged possibly outdated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from corroborator.domain import Evidence, Verdict, own_origin

THRESHOLD = 0.5
# A contradiction needs more: the trained verifier over-calls "refutes" on related sentences
# that do not address the claim, and a false contradiction accuses an article of error.
# Refute precision at p >= 0.5 / 0.65 (bench, 2026-11-22): HealthVer 0.46 / 0.65, Climate-FEVER
# 0.59 / 0.61, Check-COVID 0.61 / 0.57 (supports precision rises with it too).
REFUTE_THRESHOLD = 0.65
_MIN = {"supports": THRESHOLD, "refutes": REFUTE_THRESHOLD}


class Aggregate(NamedTuple):
    verdict: Verdict
    confidence: float
    rationale: str
    evidence: list[Evidence]  # deciding evidence first
    possibly_outdated: bool = False


def _origin(ev: Evidence) -> str:
    return ev.origin


def _counts(ev: Evidence) -> bool:
    """Evidence that can decide a verdict: about the same (or possibly the same) event, and
    not a stored version of the checked article itself (record.py reads those)."""
    return ev.event_match != "different" and not ev.version


def origins(evidence: list[Evidence], stance: str) -> list[str]:
    """Distinct origins whose same-or-unknown-event evidence takes this stance with
    probability >= THRESHOLD, strongest first."""
    ranked = sorted((e for e in evidence if _counts(e) and getattr(e.probs, stance) >= _MIN[stance]),
                    key=lambda e: -getattr(e.probs, stance))
    return list(dict.fromkeys(_origin(e) for e in ranked))


def _who(ev: Evidence) -> str:
    when = ev.published.isoformat() if ev.published else "undated"
    name = ev.cited_as
    via = (f", copy of {ev.origin}" if ev.origin and ev.origin not in (name, own_origin(ev.outlet, ev.article_id, ev.source))
           else "")
    return f"{name} ({when}{via})"


def aggregate(evidence: list[Evidence], earlier: Callable[[Evidence], bool] | None = None) -> Aggregate:
    """Verdict, confidence, one-line rationale, the evidence ordered deciding-first, and
    whether the only support is about another event that came before the claim's time
    (``earlier`` tells; without it, any other event counts as earlier)."""
    counted = [e for e in evidence if _counts(e)]
    sup = sorted((e for e in counted if e.probs.supports >= THRESHOLD), key=lambda e: -e.probs.supports)
    ref = sorted((e for e in counted if e.probs.refutes >= REFUTE_THRESHOLD), key=lambda e: -e.probs.refutes)
    rest = [e for e in evidence if e not in sup and e not in ref]
    rest.sort(key=lambda e: (not _counts(e), -e.retrieval_score))
    if sup and ref and {_origin(e) for e in sup} != {_origin(e) for e in ref}:
        conf = min(sup[0].probs.supports, ref[0].probs.refutes)
        why = f"supported by {_who(sup[0])} but contradicted by {_who(ref[0])}"
        return Aggregate(Verdict.CONFLICTING, conf, why, sup + ref + rest)
    if sup and (not ref or sup[0].probs.supports >= ref[0].probs.refutes):
        n = len({_origin(e) for e in sup})
        why = f"supported by {n} independent origin(s), strongest: {_who(sup[0])}"
        return Aggregate(Verdict.SUPPORTED, sup[0].probs.supports, why, sup + ref + rest)
    if ref:
        n = len({_origin(e) for e in ref})
        why = f"contradicted by {n} independent origin(s), strongest: {_who(ref[0])}"
        return Aggregate(Verdict.REFUTED, ref[0].probs.refutes, why, ref + sup + rest)
    strongest = max((max(e.probs.supports, e.probs.refutes) for e in counted), default=0.0)
    old = sorted((e for e in evidence if e.event_match == "different" and not e.version and e.probs.supports >= THRESHOLD),
                 key=lambda e: -e.probs.supports)
    if old:
        why = f"only support is about another event: {_who(old[0])}"
        outdated = all(earlier(e) for e in old) if earlier else True
        return Aggregate(Verdict.NOT_ENOUGH_INFO, 1.0 - strongest, why, old + [e for e in rest if e not in old], outdated)
    versions = [e for e in evidence if e.version]
    if versions and len(versions) == len(evidence):
        why = f"only a stored version of this article reports it ({_who(versions[0])}): not independent corroboration"
    else:
        why = "no evidence in the store" if not evidence else f"{len(evidence)} related sentence(s), none decisive"
    return Aggregate(Verdict.NOT_ENOUGH_INFO, 1.0 - strongest, why, rest)
