"""Issue 23: the same event before support, passages as evidence, claims that stand alone, and
the record never dropped — each rule on inputs we wrote, through the real stages."""

from __future__ import annotations

import json
from datetime import date

import pytest

from corroborator.check.corroborate_stage import same_dated_event
from corroborator.check.verify_stage import passages
from corroborator.claims.extract import _rule_claims
from corroborator.corroborate.confidence import support_confidence, support_features
from corroborator.corroborate.record import is_specific, record_match
from corroborator.domain import Article, Candidate, Claim, ClaimKind, ClaimResult, Evidence, StanceProbs, Verdict
from corroborator.ingest.plain import read_plain
from corroborator.text.parsing import parse
from corroborator.text.sentences import segment_many
from corroborator.verify.checks import MismatchChecker, mismatches, participants


def test_a_date_stamp_running_into_the_first_sentence_dates_the_article(tmp_path):
    path = tmp_path / "drill.txt"
    path.write_text("US, Japan hold drills\n\ndate 2017-04-26 The USS Carl Vinson sailed with two destroyers on "
                    "Wednesday, officials said.\n\nMore ships joined later.\n", encoding="utf-8")
    art = read_plain(path)
    assert art.published == date(2017, 4, 26)
    assert art.text.startswith("The USS Carl Vinson") and "2017-04-26" not in art.text
    from corroborator.ingest.common import inline_stamp

    line = "date 2017-04-26 10:30 The destroyers sailed."
    assert line[inline_stamp(line)[1]:] == "The destroyers sailed."  # "The" is not a time zone


def test_sentences_without_a_space_after_the_full_stop_are_split():
    text = "He earned a black belt.He was twelve at the time. The U.S. Navy said so. Visit Amazon.com today."
    got = [text[a:b] for a, b in next(segment_many([text]))]
    assert got == ["He earned a black belt.", "He was twelve at the time.", "The U.S. Navy said so.", "Visit Amazon.com today."]


def test_participants_are_ships_units_and_aircraft_types():
    got = participants("The USS Carl Vinson joined JS Ashigara; B-52H bombers of the 37th Expeditionary Bomb Squadron flew.")
    assert ("carl vinson", "ship") in got and ("ashigara", "ship") in got
    assert ("b-52", "aircraft") in got and ("37th expeditionary bomb squadron", "unit") in got
    # a name ends where the sentence does; "Strike Group" is not part of the ship's name; not
    # every letter-number code is an aircraft
    got = participants("It sailed with the USS Nimitz. The USS Carl Vinson Strike Group, G-20 leaders, I-95, F-35s.")
    assert got == [("nimitz", "ship"), ("carl vinson", "ship"), ("f-35", "aircraft")]


@pytest.fixture(scope="module")
def checker():
    return MismatchChecker()


def test_other_ships_in_the_same_role_are_never_support(checker):
    """The 2017 report naming the Carl Vinson was "backed" by a 2023 sentence about other ships."""
    claim = "The USS Carl Vinson and the destroyer USS Michael Murphy sailed with Japanese ships."
    other = "The USS Ronald Reagan and the destroyer USS Benfold sailed with Japanese ships."
    same = "The destroyer USS Michael Murphy and the carrier USS Carl Vinson led the group."
    c, o, s = checker.facts([(claim, None), (other, None), (same, None)])
    assert {m.kind for m in mismatches(c, o, other)} == {"name"}
    assert mismatches(c, s, same) == []
    # B-52H and B-52 are one type; a B-1B is another
    c, o, s = checker.facts([("Two B-52H bombers flew over the sea.", None), ("Two B-1B bombers flew over the sea.", None),
                             ("Two B-52 bombers flew over the sea.", None)])
    assert mismatches(c, o, "Two B-1B bombers flew over the sea.") and not mismatches(c, s, "Two B-52 bombers flew over the sea.")


def _claims(text: str) -> list[Claim]:
    return _rule_claims(Article(id="a", text=text), parse(text))


def test_fragments_are_checked_with_what_they_refer_to():
    claims = _claims("The city council banned plastic bags in 2019. No such ban has been adopted in the county, "
                     "and people have already complained about the cost.")
    fragment = next(c for c in claims if c.text.startswith("No such ban"))
    assert fragment.checked_as and "The city council banned plastic bags" in fragment.checked_as
    assert next(c for c in claims if c.text.startswith("The city council")).checked_as is None


def test_recommendations_and_hedged_predictions_are_opinion_not_checked():
    claims = _claims("The ministry should scrap the tax on diesel fuel next year. Prices will likely rise by 5 percent "
                     "in 2026. The ministry raised the tax by 5 percent in 2024.")
    should = [c for c in claims if "should" in c.text]
    assert all(c.opinion for c in should)  # (a recommendation may also be dropped as opinion before)
    assert next(c for c in claims if "will likely" in c.text).opinion
    assert not next(c for c in claims if "raised the tax" in c.text).opinion


def test_two_sentence_passages_around_an_evidence_sentence():
    cand = Candidate(sentence_id=1, article_id="x", sentence="B.", context_before="A.", context_after="C.")
    assert passages(cand) == ["A. B.", "B. C."]
    assert passages(cand.model_copy(update={"context_before": ""})) == ["B. C."]


def test_support_confidence_needs_the_claims_details_in_the_passage():
    claim = "Two B-52H bombers flew from Guam on March 14, the air force said."
    full = "The air force said two B-52H bombers flew from Guam on March 14 with fighter escorts."
    partial = "Bombers flew over the sea with fighter escorts, the air force said."
    high = support_confidence(support_features(claim, full, 0.6, 0.85, 0.9, False))
    low = support_confidence(support_features(claim, partial, 0.6, 0.85, 0.9, False))
    assert high > 0.9 > low


def test_same_day_and_a_shared_name_establish_the_event_inside_another_story():
    claim = Claim(id="c1", text="The strike at the Port of Kestrel Bay began on March 3.", span=(0, 10),
                  kind=ClaimKind.EVENT, sentence="The strike at the Port of Kestrel Bay began on March 3.",
                  dates=[date(2025, 3, 3)])
    cand = Candidate(sentence_id=1, article_id="x", sentence="Dockworkers at the Port of Kestrel Bay struck on Monday.")
    day = (date(2025, 3, 3), "day")
    assert same_dated_event(claim, day, day, [object()], cand)
    assert not same_dated_event(claim, day, (date(2025, 3, 4), "day"), [object()], cand)
    other = cand.model_copy(update={"sentence": "Dockworkers at another port struck on Monday."})
    assert not same_dated_event(claim, day, day, [object()], other)


def _result(verdict: Verdict, evidence: list[Evidence], text: str = "x") -> ClaimResult:
    return ClaimResult(id="c1", text=text, span=(0, 1), kind=ClaimKind.EVENT, verdict=verdict, confidence=0.9,
                       rationale="", evidence=evidence)


def _evidence(s: float, similarity: float, confidence: float | None = None, event: str = "same") -> Evidence:
    probs = StanceProbs(supports=s, refutes=0.0, neutral=1 - s)
    return Evidence(article_id="r", outlet="R", published=date(2025, 3, 14), sentence="y", stance=probs.stance,
                    score=s, probs=probs, retrieval_score=0.1, similarity=similarity, event_match=event,
                    confidence=confidence)


def test_added_is_kept_for_specific_statements():
    specific = Claim(id="c", text="Officials counted 24 aircraft.", span=(0, 1), kind=ClaimKind.QUANTITY,
                     sentence="", numbers=[24.0])
    vague = Claim(id="c", text="The exercise was far more pointed than admitted.", span=(0, 1),
                  kind=ClaimKind.BACKGROUND, sentence="")
    assert is_specific(specific) and not is_specific(vague)
    far = _result(Verdict.NOT_ENOUGH_INFO, [_evidence(0.05, 0.3)])
    assert record_match(far, True, 3, specific=True).status == "added"
    assert record_match(far, True, 3, specific=False).status == "not_in_record"


def test_a_supported_claim_is_never_added():
    backed = _result(Verdict.SUPPORTED, [_evidence(0.9, 0.6, confidence=0.95)])
    assert record_match(backed, True, 3).status == "matches"


def test_an_article_of_its_own_origin_stays_the_record(tmp_path, embedder):
    """A manipulated copy that kept the "(AP)" credit of the stored AP original: the original is
    not dropped as a same-origin copy; it is the record (never counted)."""
    from corroborator.check.checker import Checker, open_for_check
    from corroborator.indexing.indexer import Indexer, open_for_index

    original = ("MADRID (AP) — Spain's parliament approved a law on Tuesday that gives workers three days of paid "
                "leave after a death in the family. The measure passed with 190 votes in favour. Labour Minister "
                "Ana Ruiz said the law would take effect in June. Unions welcomed the change. Employers said the "
                "cost would fall on small firms. The opposition voted against it.")
    rewritten = ("MADRID (AP) — Spanish lawmakers passed a measure on Tuesday granting employees ten days of paid "
                 "leave following a family death, officials said. Labour Minister Ana Ruiz said the law would start "
                 "in June, a change critics say will cost 4 billion euros a year. Business groups warned small "
                 "companies would pay the price.")
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "ap-original", "outlet": "AP", "text": original, "published": "2025-03-04"}) + "\n")
    store = open_for_index(tmp_path / "s", embedder)
    try:
        Indexer(store, embedder).run([src])
    finally:
        store.close()
    store = open_for_check(tmp_path / "s", embedder)
    try:
        report = Checker(store, embedder).check(Article(id="copy", outlet="Other Daily", published=date(2025, 3, 4),
                                                        text=rewritten))
    finally:
        store.close()
    shown = [e for c in report.claims for e in c.evidence if e.article_id == "ap-original"]
    assert shown and all(e.same_origin or e.version for e in shown)
    assert all(not c.origins_supporting for c in report.claims)
    assert any(c.record is not None for c in report.claims)


def test_an_undated_article_is_placed_by_the_year_it_names():
    from corroborator.check.corroborate_stage import year_stated
    from corroborator.corroborate.events import event_match

    when = year_stated("In 2017 the allies sailed together. The 2017 drill was larger than one in 2016.")
    assert when == (date(2017, 7, 1), "year") and year_stated("No year here.") is None
    assert event_match(when, (date(2025, 3, 14), "day"), True) == "different"
    # a year alone spans the year: a report of that December and a January follow-up stay one event
    assert event_match((date(2024, 7, 1), "year"), (date(2025, 1, 14), "day"), True) == "same"
