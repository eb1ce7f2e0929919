"""The claim against the record (record.py): counterparts, differences, coverage, added claims."""

from datetime import date

from corroborator.assess.risk import coverage_note, record_shares, risk
from corroborator.corroborate.record import (
    COVERED,
    coverage,
    differences,
    has_counterpart,
    record_match,
)
from corroborator.domain import (
    ClaimKind,
    ClaimResult,
    Evidence,
    Mismatch,
    StanceProbs,
    Verdict,
)


def _ev(sentence: str, similarity: float, event: str = "same", supports: float = 0.8, refutes: float = 0.05,
        version: bool = False, mismatches: list[Mismatch] | None = None, model_supports: float | None = None,
        published: date | None = date(2025, 3, 14)) -> Evidence:
    probs = StanceProbs(supports=supports, refutes=refutes, neutral=max(0.0, 1 - supports - refutes))
    raw = None if model_supports is None else StanceProbs(supports=model_supports, refutes=0.0, neutral=1 - model_supports)
    return Evidence(article_id="r1", outlet="Harbor Times", published=published, sentence=sentence, stance=probs.stance,
                    score=0.8, probs=probs, retrieval_score=0.1, similarity=similarity, event_match=event,
                    version=version, mismatches=mismatches or [], model_probs=raw)


def _claim(text: str, evidence: list[Evidence], verdict: Verdict = Verdict.NOT_ENOUGH_INFO,
           outdated: bool = False) -> ClaimResult:
    return ClaimResult(id="c", text=text, span=(0, 1), kind=ClaimKind.EVENT, verdict=verdict, confidence=0.5,
                       rationale="", evidence=evidence, possibly_outdated=outdated)


def test_changed_number_is_an_alteration_with_both_wordings():
    m = Mismatch(kind="quantity", claim="six hours", evidence="three hours", explanation="claim gives six hours, evidence three hours")
    claim = _claim("The exercise lasted six hours.", [_ev("The exercise lasted three hours.", 0.93, supports=0.0, mismatches=[m],
                                                          model_supports=0.7)])
    rec = record_match(claim, covered=True, story_articles=3)
    assert rec.status == "altered" and rec.sentence == "The exercise lasted three hours."
    assert [(d.kind, d.claim, d.record) for d in rec.differences] == [("number", "six hours", "three hours")]


def test_mismatch_in_another_statement_is_not_an_alteration():
    # "fourth day on Thursday" beside "began on Monday": the date check fires, but the two
    # sentences do not say the same thing, so nothing was altered
    m = Mismatch(kind="date", claim="Thursday", evidence="Monday", explanation="dates differ")
    claim = _claim("The strike reached its fourth day on Thursday.",
                   [_ev("The strike began on Monday.", 0.70, supports=0.0, mismatches=[m], model_supports=0.2)])
    rec = record_match(claim, covered=True, story_articles=3)
    assert rec.status == "added" and not rec.differences and rec.sentence == "The strike began on Monday."


def test_negation_flip_and_verifier_contradiction():
    neg = _claim("The ministry did not confirm the flight.", [_ev("The ministry confirmed the flight.", 0.9, supports=0.1)])
    assert [d.kind for d in record_match(neg, True, 2).differences] == ["negation"]
    # "without" is not a negated statement
    same = _claim("The talks ended on Friday.", [_ev("The talks ended on Friday without a deal.", 0.9)])
    assert record_match(same, True, 2).status == "matches"
    # a close sentence of the story that does not say it: new relative to the record
    other = _claim("The talks ended on Friday.", [_ev("The talks resumed on Friday.", 0.9, supports=0.2, refutes=0.3)])
    assert record_match(other, True, 2).status == "added"
    assert record_match(same, True, 2).status == "matches"
    contra = _claim("The port reopened.", [_ev("The port stayed shut.", 0.8, supports=0.05, refutes=0.9)], Verdict.REFUTED)
    assert [d.kind for d in record_match(contra, True, 2).differences] == ["contradiction"]


def test_outdated_claim_gets_a_context_difference_only_when_its_only_support_is_older():
    old = _ev("In 2019, two B-1Bs flew over the Korea Strait.", 0.9, event="different", published=date(2019, 8, 22))
    outdated = _claim("Two B-1Bs flew over the Korea Strait.", [old], outdated=True)
    rec = record_match(outdated, covered=True, story_articles=2, claim_when="2025-03-14")
    assert rec.status == "altered" and rec.differences[0].kind == "context"
    assert "2019" in rec.differences[0].explanation and "2025-03-14" in rec.differences[0].explanation
    # background fact also reported long ago, while the claim has its own support: no record alteration
    background = _claim("The US keeps 28,500 troops in South Korea.", [old])
    assert record_match(background, covered=False, story_articles=0) is None


def test_added_only_when_the_story_is_covered():
    lonely = _claim("A submarine shadowed the drill.", [_ev("The drill lasted three hours.", 0.5, supports=0.1)])
    assert record_match(lonely, covered=False, story_articles=0) is None
    added = record_match(lonely, covered=True, story_articles=4)
    assert added.status == "added" and added.sentence is None and "4 same-story" in added.note


def test_coverage_counts_claims_some_sentence_of_the_story_restates():
    claims = [
        _claim("a", [_ev("a", 0.9)]),
        _claim("b", [_ev("b", 0.75, event="unknown")]),  # another story, not near-verbatim
        _claim("c", [_ev("c", 0.9, event="same", version=True)]),
        _claim("d", [_ev("d", 0.4)]),  # too far to be a counterpart
        _claim("e", [_ev("e", 0.6, supports=0.8)]),  # restructured paraphrase the verifier backs
        _claim("f", [_ev("f", 0.6, supports=0.1)]),  # related, neither backed nor contradicted
        _claim("g", [_ev("g", 0.85, event="unknown")]),  # undated copy of the wording
    ]
    assert [has_counterpart(c) for c in claims] == [True, False, True, False, True, False, True]
    assert coverage(claims) == 4 / 7 and coverage([]) == 0.0
    assert COVERED <= 0.5


def test_uncovered_article_risk_ignores_archive_factors_and_says_why():
    claims = [_claim("a", [])]
    claims[0].record = None
    values = {"contradicted_share": 1.0, "added_share": 1.0, "altered_share": 1.0, "weak_sourcing_share": 0.0}
    uncovered, factors = risk(values, covered=False)
    covered, _ = risk(values, covered=True)
    assert uncovered < 0.3 < covered
    assert all(f.contribution == 0 for f in factors if f.name in ("contradicted_share", "added_share", "altered_share"))
    note = coverage_note(False, 0.0, 0, [], 3)
    assert "no other reporting" in note
    assert "version of stored article x1" in coverage_note(True, 0.8, 2, ["x1"], 3)
    assert record_shares(claims) == {"altered_share": 0.0, "added_share": 0.0, "not_in_record_share": 0.0}


def test_difference_text_is_what_each_side_says():
    m = Mismatch(kind="name", claim="Kim", evidence="Park", explanation="claim names Kim, evidence Park")
    found = differences("Kim said it.", _ev("Park said it.", 0.9, supports=0.0, mismatches=[m], model_supports=0.6))
    assert [(d.kind, d.claim, d.record) for d in found] == [("name", "Kim", "Park")]


def test_edited_copy_of_a_stored_story_is_diffed_against_it(tmp_path, embedder):
    """Item 3 of issue 11 through the real Checker and store: a near-copy of a stored story
    with one number changed is recognised as a version of it (same origin by MinHash), not
    dropped as "itself" and not counted as corroboration; the changed claim is altered, with
    both wordings, and the rest matches the record."""
    import json

    from corroborator.check.checker import Checker, open_for_check
    from corroborator.domain import Article
    from corroborator.indexing.indexer import Indexer, open_for_index

    from ..conftest import DEMO

    body = (DEMO / "corpus" / "015-harbor-times-kestrel-bay-terminals-idle.md").read_text().split("---\n", 2)[2]
    assert "about 1,800 dockworkers" in body
    src = tmp_path / "archive.jsonl"
    other = (DEMO / "corpus" / "001-harbor-times-trilateral-drill.md").read_text().split("---\n", 2)[2]
    # the same outlet's other story is not a version of the article (a review found every
    # same-outlet article listed as one when versions were read from the shared origin)
    src.write_text(json.dumps({"id": "ships", "outlet": "Harbor Times", "text": body, "published": "2025-03-04"}) + "\n"
                   + json.dumps({"id": "drill", "outlet": "Harbor Times", "text": other, "published": "2025-03-14"}) + "\n")
    store = open_for_index(tmp_path / "s", embedder)
    try:
        Indexer(store, embedder).run([src])
    finally:
        store.close()
    edited = Article(id="edited", outlet="Copy Gazette", published=date(2025, 3, 4),
                     text=body.replace("about 1,800 dockworkers", "about 4,500 dockworkers"))
    store = open_for_check(tmp_path / "s", embedder)
    try:
        report = Checker(store, embedder).check(edited)
    finally:
        store.close()
    assert report.summary.versions == ["ships"] and report.summary.covered
    assert "version of stored article ships" in report.summary.note
    changed = next(c for c in report.claims if "4,500 dockworkers" in c.text)
    assert changed.record.status == "altered" and changed.record.version
    assert any(d.kind == "number" and "4,500" in d.claim and "1,800" in d.record for d in changed.record.differences)
    # the record is shown, never counted: no claim is corroborated by its own source
    assert all(not c.origins_supporting for c in report.claims)
    assert sum(c.record is not None and c.record.status == "matches" for c in report.claims) >= len(report.claims) // 2
