"""Article-level assessment: shares and the documented risk formula."""

import math

import pytest

from corroborator.assess.risk import BIAS, WEIGHTS, risk, shares
from corroborator.domain import ClaimKind, ClaimResult, Verdict


def _results(*verdicts: Verdict) -> list[ClaimResult]:
    return [ClaimResult(id=f"c{i}", text="x", span=(0, 1), kind=ClaimKind.EVENT, verdict=v, confidence=0.9,
                        rationale="", evidence=[]) for i, v in enumerate(verdicts)]


S, R, C, N = Verdict.SUPPORTED, Verdict.REFUTED, Verdict.CONFLICTING, Verdict.NOT_ENOUGH_INFO


def test_shares_add_up():
    got = shares(_results(S, S, R, C, N))
    assert got == {"corroborated_share": 0.4, "contradicted_share": 0.4, "uncorroborated_share": 0.2}
    assert shares([]) == {"corroborated_share": 0.0, "contradicted_share": 0.0, "uncorroborated_share": 0.0}


def test_risk_orders_articles_and_lists_its_factors():
    def values(results, altered=0.0, added=0.0, **signals):
        return shares(results) | {"altered_share": altered, "added_share": added} | signals

    on_record, _ = risk(values(_results(S, S, S, S, N)))
    invented, factors = risk(values(_results(S, S, N, N, N, N, R), added=4 / 7, weak_sourcing_share=3 / 7))
    contradicted, _ = risk(values(_results(R, R, S, S), altered=0.5))
    assert on_record < 0.2 and invented > on_record + 0.1 and contradicted > on_record + 0.1
    all_added, _ = risk(values(_results(N, N, N, N), added=1.0))
    assert all_added > on_record + 0.1
    # missing corroboration alone is not suspicious content: an article nobody else reports,
    # with nothing altered or added and clean sourcing, stays low
    assert risk(values(_results(N, N, N)))[0] < 0.3
    # the factors reproduce the score
    z = BIAS + sum(f.contribution for f in factors)
    assert invented == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-3)
    assert {f.name for f in factors} == set(WEIGHTS)
    assert abs(factors[0].contribution) >= abs(factors[-1].contribution)


def _evidence(supports: float, similarity: float | None, event: str = "same"):
    from corroborator.domain import Evidence, StanceProbs

    probs = StanceProbs(supports=supports, refutes=0.0, neutral=1.0 - supports)
    return Evidence(article_id="a", outlet=None, published=None, title=None, url=None, sentence="s",
                    stance=probs.stance, score=supports, probs=probs, retrieval_score=0.1, similarity=similarity,
                    event_match=event)


def test_archive_similarity_and_support_strength_take_each_claims_best_same_event_evidence():
    from corroborator.assess.risk import archive_similarity, support_strength

    claims = _results(S, N, N)
    claims[0].evidence = [_evidence(0.9, 0.8), _evidence(0.2, 0.95)]
    claims[1].evidence = [_evidence(0.99, 0.99, event="different"), _evidence(0.1, None)]  # other event ignored
    assert archive_similarity(claims) == pytest.approx((0.95 + 0.0 + 0.0) / 3)
    assert support_strength(claims) == pytest.approx((0.9 + 0.1 + 0.0) / 3)
    assert archive_similarity([]) == 0.0 and support_strength([]) == 0.0


def test_unmatched_share_counts_claims_without_a_close_same_event_restatement():
    from corroborator.assess.risk import RESTATED, unmatched_share

    claims = _results(S, N, N, N)
    claims[0].evidence = [_evidence(0.9, RESTATED + 0.05)]
    claims[1].evidence = [_evidence(0.2, RESTATED - 0.05)]
    claims[2].evidence = [_evidence(0.99, 0.99, event="different")]  # restated, but about another event
    claims[3].evidence = [_evidence(0.1, None)]  # found by BM25 alone: no cosine
    assert unmatched_share(claims) == pytest.approx(3 / 4)
    assert unmatched_share([]) == 0.0


def test_novel_specifics_are_numbers_and_names_no_same_event_evidence_mentions():
    from corroborator.assess.risk import novel_specifics_share
    from corroborator.domain import Claim

    claims = [
        Claim(id="c0", text="x", span=(0, 1), kind=ClaimKind.QUANTITY, sentence="x",
              entities=["Jane Smith", "the Pentagon"], numbers=[12.0, 3.0]),
        Claim(id="c1", text="y", span=(0, 1), kind=ClaimKind.EVENT, sentence="y", entities=["Guam"]),
    ]
    results = _results(S, N)
    results[0].evidence = [_evidence(0.9, 0.9)]
    results[0].evidence[0].context = "Smith told the Pentagon briefing that three bombers flew."
    results[1].evidence = [_evidence(0.9, 0.9, event="different")]
    results[1].evidence[0].context = "Bombers flew from Guam in 2019."  # another event: not counted
    # found: Smith (surname), Pentagon, 3 ("three"); novel: 12, Guam
    assert novel_specifics_share(claims, results) == pytest.approx(2 / 5)
    assert novel_specifics_share([], []) == 0.0
