"""The claim against the record: when the archive holds the checked article's story, each
claim is set beside its closest counterpart in that story's reporting, and what differs is
named — a number, date, name, negation or context (the record places it at another time),
or a contradiction the verifier found — or the claim is *added*: a statement with no
counterpart in a story the archive covers.

Counterparts are evidence sentences of the same event (events.py) or of a stored *version* of
the checked article (the same origin by MinHash or wire credit: the record it was made from,
shown but never counted as independent corroboration) that restate the claim: an embedding
cosine of at least COUNTERPART, or related wording the verifier reads as support or
contradiction; or a sentence of an undated / other story that restates it nearly verbatim. A sentence about a different event (months apart) that restates the claim is a
counterpart too: it is what an outdated-information edit looks like ("the archive reports
this in 2019; this article places it in 2025"), but it does not make the story covered.

Coverage = share of claims with a same-event or version counterpart. The story counts as
covered at COVERED or more, or when a same-event archived article tells this story closely
(story similarity >= STORY_COVERED); only then can a claim be "added", and only then do the
archive's factors feed the risk (assess.py): a young archive that holds no other report of an event says
so instead of calling the article risky.
"""

from __future__ import annotations

import re

from corroborator.corroborate.aggregate import REFUTE_THRESHOLD, support_of
from corroborator.corroborate.confidence import CONTRADICTION_COSINE
from corroborator.domain import ClaimResult, Difference, Evidence, RecordMatch, Verdict

# Cosine at which an archive sentence is taken as the claim's counterpart. On the fitting half
# of the development stories (bench/politifact.py), faithful paraphrases' claims sit mostly
# above 0.7 from their original sentence and invented statements mostly below 0.6.
COUNTERPART = 0.70
# Related wording at which the verifier's reading decides (see _restates).
_RELATED = 0.5
# Cosine at which a sentence of an unknown event (another or undated story) restates the claim
# nearly word for word: the archive does hold that reporting.
_CLOSE_ANY_STORY = 0.8
# A counterpart within this of the closest one may show the difference instead (another outlet's
# sentence with the changed number).
_NEAR_BEST = 0.08
COVERED = 0.1
# Story similarity (events.story_match: mean embeddings) of a same-event archived article at
# which the story counts as covered whatever the claims' counterparts.
STORY_COVERED = 0.9
# Distinctive-name share (events.distinctive_share) at which an archived article holds this
# article's story (chosen on the fitting half, DESIGN "Issue 23").
NAMES_HELD = 0.3
# p(refutes) of the counterpart pair at which the verifier's contradiction is a difference
# (the aggregation's contradiction threshold, corroborate/aggregate.py).
_CONTRADICTS = REFUTE_THRESHOLD
# Support confidence (confidence.py; p(supports) without one) at which a counterpart restates
# the claim: the record "matches" at even odds, below SUPPORTED's precision bar (a match with the
# record is a reading aid, not corroboration).
_BACKS = 0.5

_RESTATED = 0.75
# ... or the verifier, before the checks moved its mass, gave this much to support ("lasted
# about three hours" beside "lasted more than six hours": 0.40).
_MODEL_RESTATED = 0.35
# Negation words differ between two near-identical sentences ("did not" edited out).
_NEGATION_SIMILARITY = 0.85
_NEGATION = re.compile(r"\b(not|never|cannot|no longer)\b|n't\b", re.I)
_MISMATCH_KIND = {"quantity": "number", "date": "date", "name": "name"}


def _negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


def _restates(e: Evidence, same_story: bool) -> bool:
    """Whether evidence sentence ``e`` is the claim's counterpart: close in wording, or
    related in wording and read by the verifier as saying the same thing (or its
    contradiction). ChatGPT's faithful paraphrases restructure sentences: their claims sat at
    a median cosine of 0.66 from the original's closest sentence (72 PolitiFact checks, see
    DESIGN), so wording alone would call half of them added. A sentence of another story counts only when
    it restates the claim nearly word for word."""
    sim = e.similarity or 0.0
    if not same_story:
        return sim >= _CLOSE_ANY_STORY
    return sim >= COUNTERPART or (sim >= _RELATED and max(e.probs.supports, e.probs.refutes) >= 0.5)


def _candidates(result: ClaimResult) -> list[Evidence]:
    """Same-event, version and near-verbatim counterparts, closest first; and — only when the
    claim's one support is about an earlier event (possibly_outdated) and no same-story
    sentence backs or contradicts it — the different-event ones too. A background fact that
    older reports also state is not an outdated claim; a same-story sentence that merely sits
    close in wording (cosine just over COUNTERPART, read as neutral) does not hide the earlier
    report that says it."""
    pool = [e for e in result.evidence if (e.record_only or e.event_match == "same") and _restates(e, True)
            or e.event_match == "unknown" and _restates(e, False)]
    if result.possibly_outdated and not any(max(support_of(e), e.probs.refutes) >= _BACKS for e in pool):
        pool += [e for e in result.evidence if e.event_match == "different" and _restates(e, True)]
    return sorted(pool, key=lambda e: (-(e.similarity or 0.0), not e.record_only))


def has_counterpart(result: ClaimResult) -> bool:
    """Some archive sentence of this story restates the claim: it counts for coverage."""
    return any(e.event_match != "different" for e in _candidates(result))


def differences(claim_text: str, ev: Evidence, claim_when: str | None = None) -> list[Difference]:
    """What the record sentence ``ev`` says differently from the claim."""
    sim = ev.similarity or 0.0
    # A mismatch is an alteration only where the two say the same thing otherwise: a close
    # restatement, or one the verifier itself leaned to support before the checks moved it
    # ("fourth day on Thursday" beside "began on Monday" is another statement, not a changed date).
    restated = sim >= _RESTATED or (ev.model_probs is not None and ev.model_probs.supports >= _MODEL_RESTATED)
    found = [Difference(kind=_MISMATCH_KIND[m.kind], claim=m.claim, record=m.evidence, explanation=m.explanation)
             for m in ev.mismatches] if restated else []
    if _negated(claim_text) != _negated(ev.sentence) and sim >= _NEGATION_SIMILARITY and ev.probs.supports < 0.5:
        said, other = ("negates", "affirms") if _negated(claim_text) else ("affirms", "negates")
        found.append(Difference(kind="negation", claim=claim_text, record=ev.sentence,
                                explanation=f"the article {said} what the record {other}"))
    if ev.event_match == "different":
        when = (ev.sentence_date or ev.published)
        found.append(Difference(kind="context", claim=claim_when or "this article's time", record=str(when or "another time"),
                                explanation=f"the archive reports this {('in ' + str(when.year)) if when else 'at another time'}; "
                                f"this article places it {('in ' + claim_when) if claim_when else 'now'}"))
    # the verifier's contradiction only on a close restatement (confidence.py: its contradictions
    # of less close sentences were all wrong on our labelled verdicts)
    if not found and ev.probs.refutes >= _CONTRADICTS and sim >= CONTRADICTION_COSINE:
        found.append(Difference(kind="contradiction", claim=claim_text, record=ev.sentence,
                                explanation=f"the verifier reads the record as contradicting the claim (p = {ev.probs.refutes:.2f})"))
    return found


def is_covered(coverage: float, story_similarity: float, story_names: float = 0.0) -> bool:
    """The archive covers the story: enough claims have counterparts (one in ten: an
    open-ended retelling that keeps a real story's opening and invents the rest has few), or
    an archived article of the same event tells the story almost exactly (a stored version),
    or an archived article names what is distinctive about this one (its people, places and
    bodies weighted by rarity: events.distinctive_share >= NAMES_HELD). Issue 23: fabricated
    retellings whose claims matched nothing were "uncovered", so the archive's factors were
    off and they got the lowest risks. Story similarity alone is no test: unrelated political
    stories reach 0.8 (DESIGN)."""
    return coverage >= COVERED or story_similarity >= STORY_COVERED or story_names >= NAMES_HELD


def coverage(results: list[ClaimResult]) -> float:
    return sum(has_counterpart(r) for r in results) / len(results) if results else 0.0


_CAUSAL = re.compile(r"\b(because|due to|caused|causes|causing|led to|leads to|as a result|resulted in|results in|"
                     r"thanks to|blamed|responsible for|so that)\b", re.I)


def is_specific(claim) -> bool:
    """A statement the record would have to say if it were true: it names a number, a date, a
    person or body, quotes someone, or says what caused what. Only these are "added" when the
    record lacks them; the rest is "not in the record" (a gap, not an invention)."""
    from corroborator.domain import ClaimKind

    return bool(claim.numbers or claim.dates or claim.entities or claim.kind == ClaimKind.QUOTE
                or _CAUSAL.search(claim.text))


def record_match(result: ClaimResult, covered: bool, story_articles: int, claim_when: str | None = None,
                 specific: bool = True) -> RecordMatch | None:
    """The claim set against the record, or None when there is no record to set it against.
    A claim the record does not say is ``added`` when it is ``specific`` (is_specific), else
    ``not_in_record``; a SUPPORTED claim is never either (its support is same-event evidence)."""
    missing = "added" if specific else "not_in_record"
    candidates = _candidates(result)
    if result.verdict is Verdict.SUPPORTED:
        backing = [e for e in result.evidence if support_of(e) >= _BACKS and e.event_match == "same" and not e.record_only]
        candidates = candidates + [e for e in backing if e not in candidates]
    if not candidates:
        if not covered:
            return None
        return RecordMatch(status=missing, note=f"none of the {story_articles} same-story article(s) in the archive says this")
    best = candidates[0]
    chosen, diffs = best, differences(result.text, best, claim_when)
    if not diffs:
        for ev in candidates[1:]:
            if (ev.similarity or 0.0) < (best.similarity or 0.0) - _NEAR_BEST:
                break
            found = differences(result.text, ev, claim_when)
            if found:
                chosen, diffs = ev, found
                break
    if not diffs and result.verdict in (Verdict.REFUTED, Verdict.CONFLICTING):
        refuting = next((e for e in result.evidence if e.probs.refutes >= _CONTRADICTS and e in candidates), None)
        if refuting is not None:
            chosen, diffs = refuting, differences(result.text, refuting, claim_when)
    if not diffs and not any(support_of(e) >= _BACKS for e in candidates):
        # The story's closest sentences are about this, but none says it: relative to the
        # record the claim is new (a later development, or a retelling that shifts a fact
        # without a number or name to show for it).
        return RecordMatch(status=missing, article_id=best.article_id, cited_as=best.cited_as, outlet=best.outlet,
                           published=best.published,
                           origin=best.origin, sentence=best.sentence, page=best.page, similarity=best.similarity,
                           version=best.version,
                           note=f"the record's closest sentence (cosine {best.similarity or 0.0:.2f}) does not say this "
                                f"(p(supports) {best.probs.supports:.2f})")
    if not diffs:
        chosen = max((e for e in candidates if support_of(e) >= _BACKS), key=support_of)
    where = "a stored version of this article" if chosen.version else chosen.cited_as
    return RecordMatch(
        status="altered" if diffs else "matches",
        article_id=chosen.article_id, cited_as=chosen.cited_as, outlet=chosen.outlet, published=chosen.published, origin=chosen.origin,
        sentence=chosen.sentence, page=chosen.page, similarity=chosen.similarity, version=chosen.version,
        differences=diffs,
        note=("; ".join(d.explanation for d in diffs) if diffs else f"restated by {where}"),
    )
