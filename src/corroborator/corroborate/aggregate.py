"""From per-evidence stances to one verdict per claim.

A claim is SUPPORTED when same-event evidence backs it with a calibrated confidence >=
SUPPORT_CONFIDENCE (corroborate/confidence.py: chosen for 95 % precision on our labelled
development verdicts) and nothing contradicts it more strongly; REFUTED when same-event
evidence that restates it closely (cosine >= CONTRADICTION_COSINE) is read as contradicting it
with p >= REFUTE_THRESHOLD, or gives another count of the same thing; CONFLICTING when both
happen (from different origins); NOT_ENOUGH_INFO otherwise, with a finding that says why:
"similar reporting, not confirmed" (same-event evidence below the bar, shown with its
passage) or "same topic, event not established". Confidence is that of the deciding evidence
(for NOT_ENOUGH_INFO: one minus the strongest found). Counts are of independent origins
(origins.py), so five outlets running one wire story count once.

Only evidence about the *same* event counts (events.py establishes it: compatible time and
the same story). Evidence of the same topic whose event is not established (``unknown``) and
evidence about a different event (months away from the claim's time) count neither way; they
stay in the report as related context (issue 23: support had crossed from one drill's report
to another's, contradictions came from other stories). A claim whose only support is
different-event evidence from before the claim's time is NOT_ENOUGH_INFO and flagged possibly
outdated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from corroborator.corroborate.confidence import CONTRADICTION_COSINE, SIMILAR_CONFIDENCE, SUPPORT_CONFIDENCE
from corroborator.domain import Evidence, Verdict, own_origin

# The verifier's own support probability, for evidence without a calibrated confidence and for
# other-event support (possibly outdated).
THRESHOLD = 0.5
# p(refutes) a contradiction needs, on top of a close restatement (confidence.py says why).
# For verifier v4: the lowest bar on a 0.05 grid at which its refutes are right >= 90 % of the
# time on the held-out passage pairs (0.85: 0.901; 0.65: 0.816 — `bench/passage_pairs_eval.py`'s
# pairs, stories no model trained on) and no development-part labelled contradiction is wrong
# (its three at 0.65-0.81: one right). v1 used 0.65 and produced none on the labelled set.
REFUTE_THRESHOLD = 0.85
# Without a calibrated confidence, same-event p(supports) this high but under THRESHOLD is
# "similar reporting, not confirmed".
SIMILAR = 0.25
# Same-event evidence this close in wording is similar reporting too, whatever the verifier reads
# (a close restatement with another number: the record shows the difference).
SIMILAR_COSINE = 0.7


class Aggregate(NamedTuple):
    verdict: Verdict
    confidence: float
    rationale: str
    evidence: list[Evidence]  # deciding evidence first
    possibly_outdated: bool = False
    finding: str | None = None  # for NOT_ENOUGH_INFO: "same_topic" or "similar_reporting" (ClaimResult.finding)


def _origin(ev: Evidence) -> str:
    return ev.origin


def _counts(ev: Evidence) -> bool:
    """Evidence that can decide a verdict: about the same event, and not a stored version of
    the checked article or an article of its own origin (record.py reads those)."""
    return ev.event_match == "same" and not ev.record_only


def support_of(ev: Evidence) -> float:
    """How sure the evidence backs its claim: the calibrated confidence, else p(supports)."""
    return ev.confidence if ev.confidence is not None else ev.probs.supports


def backs(ev: Evidence) -> bool:
    """Confident support that nothing else speaks against: the confidence weighs the verifier
    lightly and reads words, not their sense, so a close negation or a changed date could
    reach it; a mismatch the checks found, a contradiction or a verifier leaning to refutes
    vetoes it."""
    if ev.mismatches or ev.probs.refutes > ev.probs.supports or contradicts(ev):
        return False
    return support_of(ev) >= (SUPPORT_CONFIDENCE if ev.confidence is not None else THRESHOLD)


def contradicts(ev: Evidence) -> bool:
    """A close restatement read as a contradiction, or one that counts the same thing otherwise."""
    close = (ev.similarity or 0.0) >= CONTRADICTION_COSINE
    return close and (ev.probs.refutes >= REFUTE_THRESHOLD or any(m.kind == "quantity" for m in ev.mismatches))


def counts_for(ev: Evidence) -> str | None:
    """What one piece of evidence does to its claim's verdict: "supports", "refutes" or None
    (it counts neither way)."""
    if not _counts(ev):
        return None
    return "supports" if backs(ev) else "refutes" if contradicts(ev) else None


def origins(evidence: list[Evidence], stance: str) -> list[str]:
    """Distinct origins whose same-event evidence takes this stance with
    probability >= THRESHOLD, strongest first."""
    test, key = (backs, support_of) if stance == "supports" else (contradicts, lambda e: e.probs.refutes)
    ranked = sorted((e for e in evidence if _counts(e) and test(e)), key=lambda e: -key(e))
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
    sup = sorted((e for e in counted if backs(e)), key=lambda e: -support_of(e))
    ref = sorted((e for e in counted if contradicts(e)), key=lambda e: -e.probs.refutes)
    rest = [e for e in evidence if e not in sup and e not in ref]
    rest.sort(key=lambda e: (not _counts(e), -e.retrieval_score))
    if sup and ref and {_origin(e) for e in sup} != {_origin(e) for e in ref}:
        conf = min(support_of(sup[0]), ref[0].probs.refutes)
        why = f"supported by {_who(sup[0])} but contradicted by {_who(ref[0])}"
        return Aggregate(Verdict.CONFLICTING, conf, why, sup + ref + rest)
    if sup and (not ref or support_of(sup[0]) >= ref[0].probs.refutes):
        n = len({_origin(e) for e in sup})
        why = f"supported by {n} independent origin(s), strongest: {_who(sup[0])}"
        return Aggregate(Verdict.SUPPORTED, support_of(sup[0]), why, sup + ref + rest)
    if ref:
        n = len({_origin(e) for e in ref})
        why = f"contradicted by {n} independent origin(s), strongest: {_who(ref[0])}"
        return Aggregate(Verdict.REFUTED, ref[0].probs.refutes, why, ref + sup + rest)
    strongest = max((max(support_of(e), e.probs.refutes if contradicts(e) else 0.0) for e in counted), default=0.0)
    old = sorted((e for e in evidence if e.event_match == "different" and not e.record_only and e.probs.supports >= THRESHOLD),
                 key=lambda e: -e.probs.supports)
    if old:
        why = f"only support is about another event: {_who(old[0])}"
        outdated = all(earlier(e) for e in old) if earlier else True
        return Aggregate(Verdict.NOT_ENOUGH_INFO, 1.0 - strongest, why, old + [e for e in rest if e not in old], outdated)
    # Reporting that would have decided but is not shown to be about this event: same topic.
    topical = [e for e in evidence if e.event_match == "unknown" and not e.record_only
               and (support_of(e) >= THRESHOLD or contradicts(e))]
    if topical:
        top = max(topical, key=lambda e: max(support_of(e), e.probs.refutes))
        why = f"same topic, event not established: {_who(top)} ({top.event_note or 'no shared date or story'})"
        return Aggregate(Verdict.NOT_ENOUGH_INFO, 1.0 - strongest, why, [top] + [e for e in rest if e is not top],
                         finding="same_topic")
    # Same-event reporting that says something close without reaching the threshold.
    similar = [e for e in counted if support_of(e) >= (SIMILAR_CONFIDENCE if e.confidence is not None else SIMILAR)
               or (e.similarity or 0.0) >= SIMILAR_COSINE]
    if similar:
        top = max(similar, key=lambda e: (support_of(e), e.similarity or 0.0))
        bar = SUPPORT_CONFIDENCE if top.confidence is not None else THRESHOLD
        why = f"similar reporting, not confirmed: {_who(top)} (confidence {support_of(top):.2f}, below {bar:.2f})"
        return Aggregate(Verdict.NOT_ENOUGH_INFO, 1.0 - strongest, why, [top] + [e for e in rest if e is not top],
                         finding="similar_reporting")
    versions = [e for e in evidence if e.record_only]
    if versions and len(versions) == len(evidence):
        what = "a stored version of this article" if versions[0].version else "an article of its own origin"
        why = f"only {what} reports it ({_who(versions[0])}): not independent corroboration"
    else:
        why = "no evidence in the store" if not evidence else f"{len(evidence)} related sentence(s), none decisive"
    return Aggregate(Verdict.NOT_ENOUGH_INFO, 1.0 - strongest, why, rest)
