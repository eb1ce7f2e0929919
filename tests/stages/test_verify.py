"""Verifiers and verdict aggregation, on pairs we wrote."""

from __future__ import annotations

import json
import shutil
from datetime import date
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from corroborator.corroborate.aggregate import REFUTE_THRESHOLD, aggregate, origins
from corroborator.corroborate.events import (
    claim_time,
    event_match,
    is_earlier,
    name_keys,
    same_story,
)
from corroborator.domain import (
    Candidate,
    Claim,
    ClaimKind,
    Evidence,
    StanceProbs,
    Verdict,
)
from corroborator.retrieve.retriever import bm25_terms
from corroborator.text.names import proper_names
from corroborator.verify import default_verifier
from corroborator.verify.baseline import BaselineVerifier


def _pair(embedder, claim_text: str, evidence: str):
    vecs = embedder.embed([claim_text, evidence])
    claim = Claim(id="c1", text=claim_text, span=(0, len(claim_text)), kind=ClaimKind.EVENT, sentence=claim_text)
    cand = Candidate(sentence_id=1, article_id="a", sentence=evidence, dense_similarity=float(vecs[0] @ vecs[1]))
    return claim, cand


def test_default_is_the_shipped_trained_model():
    v = default_verifier()
    assert not v.info.interim and v.info.name == "corroborator-verifier-minilm"
    meta = json.loads((resources.files("corroborator") / "models" / "verifier" / "meta.json").read_text())
    model = resources.files("corroborator") / "models" / "verifier" / "model.onnx"
    import hashlib

    assert hashlib.sha256(model.read_bytes()).hexdigest() == meta["sha256"]
    assert 0.5 <= meta["temperature"] <= 3.0 and meta["labels"] == ["supports", "refutes", "neutral"]


def test_shipped_model_reads_pairs_we_wrote():
    """Wiring and label order of the shipped model (one pair per label). Its known misses on
    short contradictions ("flew from Guam" vs "from Alaska") are listed in MODEL_CARD.md."""
    v = default_verifier()
    pairs = [
        ("The council approved the budget by a vote of 7-4 on Tuesday.", "The council approved the budget."),
        ("The company said it would not cut any jobs this year.", "The company will cut 400 jobs this year."),
        ("The museum reopened to visitors after a two-year renovation.", "The council approved the budget."),
    ]
    items = [(Claim(id="c", text=c, span=(0, 1), kind=ClaimKind.EVENT, sentence=c),
              Candidate(sentence_id=0, article_id="a", sentence=e)) for e, c in pairs]
    assert [p.stance for p in v.predict(items)] == ["supports", "refutes", "neutral"]


def test_shipped_model_calls_a_sentence_beside_itself_support():
    """The first v2 candidate learned from its minimal-edit pairs that a near-copy of a news
    sentence is a contradiction, and called identical sentences refutes (p(supports) 0.01-0.07
    at cosine 0.99). Unchanged restatements must be support."""
    v = default_verifier()
    sentences = [
        "The walkout by Longshore and Harbor Workers Union Local 412 began on Monday, March 3.",
        "Union president Marisol Okafor said her members would not return without a better offer.",
        "Perishable cargo is being diverted to smaller ports up the coast, according to shipping agents.",
        "The two sides are also at odds over plans to expand automated cranes at Terminal 3.",
        '"Every day the terminals stay closed, cargo owners will look elsewhere," he said.',
        "Two US Air Force B-52H bombers flew from Andersen Air Force Base on Guam.",
    ]
    items = [(Claim(id="c", text=s, span=(0, 1), kind=ClaimKind.EVENT, sentence=s),
              Candidate(sentence_id=0, article_id="a", sentence=s)) for s in sentences]
    assert all(p.stance == "supports" and p.supports >= 0.5 for p in v.predict(items))


def test_baseline_stances(embedder):
    v = BaselineVerifier()
    pairs = [
        _pair(embedder, "The drill lasted about three hours.", "The exercise lasted about three hours, officials said."),
        _pair(embedder, "The exercise lasted more than six hours.", "The exercise lasted about three hours, the official added."),
        _pair(embedder, "About 5,000 dockworkers walked off the job.", "About 1,800 dockworkers walked off the job on Monday."),
        _pair(embedder, "The exercise involved two B-52H bombers.", "The city council approved the transit budget by a vote of 7-4."),
        _pair(embedder, "Two bombers flew with four fighters.", "Two bombers flew with the escort of four fighters over the sea."),
    ]
    probs = v.predict(pairs)
    assert [p.stance for p in probs] == ["supports", "refutes", "refutes", "neutral", "supports"]
    for p in probs:
        assert abs(p.supports + p.refutes + p.neutral - 1.0) < 1e-6


def _ev(article_id: str, s: float, r: float, origin: str | None = None, event: str = "same",
        similarity: float = 0.9) -> Evidence:
    probs = StanceProbs(supports=s, refutes=r, neutral=1 - s - r)
    return Evidence(article_id=article_id, outlet=article_id.upper(), published=date(2025, 3, 14), sentence="x",
                    stance=probs.stance, score=max(s, r), probs=probs, retrieval_score=0.1,
                    origin=origin or article_id.upper(), event_match=event, similarity=similarity)


def test_a_contradiction_needs_a_close_restatement():
    """Issue 23: every verifier contradiction on our labelled development verdicts came from a
    sentence below cosine 0.75 (another statement of the topic) and was wrong."""
    assert aggregate([_ev("a", 0.0, 0.95, similarity=0.6)]).verdict == Verdict.NOT_ENOUGH_INFO
    assert aggregate([_ev("a", 0.0, 0.95, similarity=0.85)]).verdict == Verdict.REFUTED


def test_support_needs_the_calibrated_confidence_when_there_is_one():
    weak = _ev("a", 0.9, 0.0).model_copy(update={"confidence": 0.6})
    got = aggregate([weak])
    assert got.verdict == Verdict.NOT_ENOUGH_INFO and got.finding == "similar_reporting"
    strong = weak.model_copy(update={"confidence": 0.95})
    assert aggregate([strong]).verdict == Verdict.SUPPORTED


def test_aggregation_rules():
    assert aggregate([]).verdict == Verdict.NOT_ENOUGH_INFO
    got = aggregate([_ev("a", 0.1, 0.0), _ev("b", 0.9, 0.0)])
    assert got.verdict == Verdict.SUPPORTED and got.confidence == 0.9 and got.evidence[0].article_id == "b"
    assert "B" in got.rationale
    assert aggregate([_ev("a", 0.0, 0.9)]).verdict == Verdict.REFUTED
    got = aggregate([_ev("a", 0.9, 0.0), _ev("b", 0.05, 0.88)])
    assert got.verdict == Verdict.CONFLICTING and got.confidence == 0.88 and "contradicted by B" in got.rationale
    assert aggregate([_ev("a", 0.3, 0.2)]).verdict == Verdict.NOT_ENOUGH_INFO
    # a contradiction needs p(refutes) >= REFUTE_THRESHOLD (0.85 for verifier v4); a support needs 0.5
    assert REFUTE_THRESHOLD == 0.85
    assert aggregate([_ev("a", 0.1, 0.8)]).verdict == Verdict.NOT_ENOUGH_INFO
    assert aggregate([_ev("a", 0.8, 0.0), _ev("b", 0.0, 0.6)]).verdict == Verdict.SUPPORTED


def test_aggregation_counts_origins_not_copies():
    copies = [_ev(name, 0.9, 0.0, origin="WIRE") for name in ("a", "b", "c")]
    got = aggregate(copies + [_ev("d", 0.8, 0.0)])
    assert got.verdict == Verdict.SUPPORTED and "2 independent origin(s)" in got.rationale
    assert origins(got.evidence, "supports") == ["WIRE", "D"]
    # a copy of the supporting story cannot also make it "conflicting"
    assert aggregate([_ev("a", 0.9, 0.0, origin="WIRE"), _ev("b", 0.0, 0.7, origin="WIRE")]).verdict == Verdict.SUPPORTED


def test_evidence_about_another_event_counts_neither_way():
    old = _ev("old", 0.95, 0.0, event="different")
    got = aggregate([old, _ev("x", 0.2, 0.1)])
    assert got.verdict == Verdict.NOT_ENOUGH_INFO and got.possibly_outdated and got.evidence[0] is old
    assert "another event" in got.rationale and origins(got.evidence, "supports") == []
    assert aggregate([_ev("old", 0.0, 0.9, event="different")]).verdict == Verdict.NOT_ENOUGH_INFO
    got = aggregate([old, _ev("new", 0.7, 0.0, event="same")])
    assert got.verdict == Verdict.SUPPORTED and not got.possibly_outdated


def test_same_topic_evidence_whose_event_is_not_established_counts_neither_way():
    """Issue 23: reporting of the same topic that reads as support or contradiction but is not
    shown to be about this event (another story, undated) decides nothing and says so."""
    for probs in ((0.9, 0.0), (0.0, 0.9)):
        got = aggregate([_ev("other-drill", *probs, event="unknown")])
        assert got.verdict == Verdict.NOT_ENOUGH_INFO and got.finding == "same_topic"
        assert "event not established" in got.rationale
        assert origins(got.evidence, "supports") == [] and origins(got.evidence, "refutes") == []


def test_same_event_reporting_under_the_threshold_is_similar_reporting_not_confirmed():
    got = aggregate([_ev("close", 0.4, 0.0, event="same")])
    assert got.verdict == Verdict.NOT_ENOUGH_INFO and got.finding == "similar_reporting"
    assert "not confirmed" in got.rationale
    assert aggregate([_ev("far", 0.05, 0.0, event="same", similarity=0.3)]).finding is None


@pytest.mark.parametrize(
    "claim_dates,published,evidence,expected",
    [
        ([], date(2025, 3, 17), date(2025, 3, 14), "same"),
        ([], date(2025, 3, 17), date(2019, 8, 22), "different"),
        ([date(2019, 8, 22)], date(2025, 3, 17), date(2019, 8, 23), "same"),  # a claim about 2019 itself
        ([], date(2025, 3, 17), date(2025, 1, 20), "unknown"),
        ([], None, date(2025, 3, 14), "unknown"),
        ([], date(2025, 3, 17), None, "unknown"),
    ],
)
def test_event_match_by_time(claim_dates, published, evidence, expected):
    assert event_match(claim_time(claim_dates, published), evidence) == expected


@pytest.mark.parametrize(
    "published,evidence,story,expected",
    [
        (date(2025, 3, 17), date(2025, 2, 1), True, "same"),  # a follow-up of the same story, weeks on
        (date(2025, 3, 17), date(2025, 3, 15), False, "unknown"),  # same fortnight, another story
        (date(2025, 3, 17), date(2019, 8, 22), True, "different"),  # alike, but years apart
        (date(2025, 3, 17), None, True, "same"),  # an undated copy of the same story
        (None, date(2025, 3, 14), False, "unknown"),
        (None, date(2025, 3, 14), True, "same"),  # an undated claim in the same story
    ],
)
def test_event_match_by_time_and_story(published, evidence, story, expected):
    assert event_match(claim_time([], published), evidence, story) == expected


def test_evidence_time_is_the_latest_date_its_sentence_names():
    from corroborator.corroborate.events import evidence_time
    from corroborator.text.dates import DateMention

    named = [DateMention(date(2019, 8, 22), "day", "August 22, 2019"), DateMention(date(2019, 8, 1), "month", "August")]
    assert evidence_time(named, date(2025, 3, 14)) == (date(2019, 8, 22), "day")
    assert evidence_time([], date(2025, 3, 14)) == (date(2025, 3, 14), "day") and evidence_time(None, None) is None
    claim = claim_time([], date(2025, 3, 16))
    # a 2025 article's sentence about 2019 is another event, however alike the story
    assert event_match(claim, evidence_time(named, date(2025, 3, 14)), True) == "different"
    # a month named by the evidence matches a day inside it
    assert event_match(claim, (date(2025, 3, 1), "month")) == "same"


def test_same_story_rule_and_name_keys():
    assert same_story(0.8, 0) and not same_story(0.5, 1) and same_story(0.5, 2) and not same_story(0.4, 5)
    keys = name_keys({"col dana whitfield", "kestrel bay port authority", "united states"})
    assert "whitfield" in keys and "authority" not in keys and "states" not in keys


def test_proper_names_without_a_parse():
    names = proper_names("The Pentagon said US and Japanese jets flew over the Sea of Japan on Monday.")
    assert names == {"pentagon", "us", "japanese", "sea of japan"}
    assert proper_names("Officials in Seoul declined to comment.") == {"seoul"}
    # possessives and acronym dots go; a sentence may open with a name; Latin-1 capitals count
    assert proper_names("North Korea's envoy met U.S. officials at the Élysée Palace.") == {
        "north korea", "us", "élysée palace"}


def test_timeline_does_not_let_common_names_merge_events():
    import numpy as np

    from corroborator.corroborate.events import cluster_events
    from corroborator.domain import StoredArticle

    def art(aid, day, vec, names):
        v = np.array(vec, dtype=np.float32)
        return StoredArticle(article_id=aid, published=day, vector=v / np.linalg.norm(v), names=frozenset(names))

    a, b = [1.0, 0.0], [0.5, 0.866]  # cosine 0.5: joins only with two shared names
    fillers = [art(f"f{i}", date(2010, 1, 1 + i), [0.0, -1.0], {"twitter", "american"}) for i in range(25)]
    named = [art("x", date(2025, 3, 1), a, {"kestrel bay", "marisol okafor"}),
             art("y", date(2025, 3, 2), b, {"kestrel bay", "marisol okafor"})]
    common = [art("p", date(2025, 5, 1), a, {"twitter", "american"}),
              art("q", date(2025, 5, 2), b, {"twitter", "american"})]
    events = {aid: e.id for e in cluster_events(fillers + named + common) for aid in e.articles}
    assert events["x"] == events["y"]  # two distinctive names shared
    assert events["p"] != events["q"]  # names in more than 20 articles of the archive tell nothing


def test_event_match_respects_date_precision():
    # "in 2019" in a 2025-11-20 article: the parser fills in 2019-11-20, but any 2019 report matches
    in_2019 = claim_time([date(2019, 11, 20)], date(2025, 11, 20), ["year"])
    assert event_match(in_2019, date(2019, 3, 10)) == "same"
    assert event_match(in_2019, date(2025, 3, 10)) == "different"
    in_march = claim_time([date(2025, 3, 17)], date(2025, 6, 1), ["month"])
    assert event_match(in_march, date(2025, 3, 2)) == "same"
    assert is_earlier(date(2019, 1, 1), in_2019) and not is_earlier(date(2025, 1, 1), in_2019)


def test_later_retrospective_is_not_outdated_support():
    retro = _ev("retro", 0.9, 0.0, event="different")
    got = aggregate([retro], earlier=lambda e: False)
    assert got.verdict == Verdict.NOT_ENOUGH_INFO and not got.possibly_outdated


def test_bm25_terms_match_the_fts_tokenizer():
    terms = bm25_terms('NEAR(x y) AND "quoted" OR * the -- B-52H bombers\' 1,800 Café')
    assert terms == ["near", "quoted", "52h", "bombers", "1", "800", "cafe"]


def _tiny_cross_encoder(folder: Path, label_order: list[str]) -> None:
    """A real (if tiny) ONNX graph with the verifier's input/output contract."""
    import onnx
    from onnx import TensorProto, helper

    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "s"])
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["b", "s"])
    types = helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, ["b", "s"])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["b", 3])
    # logits = [sum(mask), sum(type_ids), 1] @ W : longer pairs lean to label 0
    weight = helper.make_tensor("W", TensorProto.FLOAT, [3, 3], [0.1, 0.0, 0.0, 0.0, 0.05, 0.0, 0.0, 0.0, 1.0])
    nodes = [
        helper.make_node("Cast", ["attention_mask"], ["m"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["token_type_ids"], ["t"], to=TensorProto.FLOAT),
        helper.make_node("ReduceSum", ["m", "axes"], ["ms"], keepdims=1),
        helper.make_node("ReduceSum", ["t", "axes"], ["ts"], keepdims=1),
        helper.make_node("Mul", ["ms", "zero"], ["z"]),
        helper.make_node("Add", ["z", "one"], ["ones"]),
        helper.make_node("Concat", ["ms", "ts", "ones"], ["f"], axis=1),
        helper.make_node("MatMul", ["f", "W"], ["logits"]),
    ]
    inits = [
        weight,
        helper.make_tensor("axes", TensorProto.INT64, [1], [1]),
        helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0]),
        helper.make_tensor("one", TensorProto.FLOAT, [], [1.0]),
    ]
    graph = helper.make_graph(nodes, "tiny", [ids, mask, types], [logits], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    folder.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(folder / "model.onnx"))
    tok = Path(str(resources.files("corroborator") / "models" / "embedder" / "tokenizer.json"))
    shutil.copy(tok, folder / "tokenizer.json")
    (folder / "meta.json").write_text(json.dumps({"name": "tiny", "version": "t", "labels": label_order, "temperature": 2.0}))


def test_onnx_verifier_loads_a_model_folder_and_maps_labels(tmp_path, embedder):
    pytest.importorskip("onnx")
    from corroborator.verify.onnx_verifier import OnnxVerifier

    _tiny_cross_encoder(tmp_path / "m", ["supports", "neutral", "refutes"])
    v = OnnxVerifier(tmp_path / "m")
    assert v.info.name == "tiny" and not v.info.interim
    short = _pair(embedder, "Two bombers flew.", "Ok.")
    long = _pair(embedder, "Two bombers flew over the sea on Friday with fighters.",
                 "Two US B-52H bombers flew over the Sea of Japan on Friday with twelve fighters, officials said.")
    p_short, p_long = v.predict([short, long])
    assert p_long.supports > p_short.supports  # label 0 ("supports") grows with pair length
    assert abs(p_long.supports + p_long.refutes + p_long.neutral - 1) < 1e-6
    # and the logits follow the declared order, not a fixed one
    _tiny_cross_encoder(tmp_path / "m2", ["refutes", "neutral", "supports"])
    assert OnnxVerifier(tmp_path / "m2").predict([long])[0].refutes == pytest.approx(p_long.supports, rel=1e-5)
    raw = v.logits([("a b c", "d e")])
    assert raw.shape == (1, 3) and np.isfinite(raw).all()


def test_verifier_model_from_the_environment(tmp_path, monkeypatch):
    """$CORROBORATOR_VERIFIER_MODEL puts a candidate model behind the real check path; a folder
    without a model is a clear ModelError, not the shipped model silently."""
    pytest.importorskip("onnx")
    from corroborator.errors import ModelError

    _tiny_cross_encoder(tmp_path / "m", ["supports", "neutral", "refutes"])
    monkeypatch.setenv("CORROBORATOR_VERIFIER_MODEL", str(tmp_path / "m"))
    assert default_verifier().info.name == "tiny"
    monkeypatch.setenv("CORROBORATOR_VERIFIER_MODEL", str(tmp_path / "absent"))
    with pytest.raises(ModelError, match="CORROBORATOR_VERIFIER_MODEL"):
        default_verifier()
    monkeypatch.delenv("CORROBORATOR_VERIFIER_MODEL")
    assert default_verifier().info.name != "tiny"


def test_onnx_verifier_bad_folder_is_model_error(tmp_path):
    from corroborator.errors import ModelError
    from corroborator.verify.onnx_verifier import OnnxVerifier

    (tmp_path / "model.onnx").write_bytes(b"nope")
    with pytest.raises(ModelError):
        OnnxVerifier(tmp_path)


def test_confident_wording_is_vetoed_by_a_contradiction_or_a_mismatch():
    """The support confidence reads words: a close negation or a changed date can reach it; the
    verifier's contradiction or the checks' mismatch then decide (a review found both)."""
    from corroborator.domain import Mismatch

    negated = _ev("a", 0.02, 0.95).model_copy(update={"confidence": 0.96})
    got = aggregate([negated])
    assert got.verdict == Verdict.REFUTED and len(got.evidence) == 1
    other_day = _ev("a", 0.0, 0.1).model_copy(update={"confidence": 0.96, "mismatches": [
        Mismatch(kind="date", claim="March 3", evidence="March 13", explanation="claim dates it 3, evidence 13")]})
    assert aggregate([other_day]).verdict == Verdict.NOT_ENOUGH_INFO


def test_a_name_spelt_differently_is_respelled_before_a_contradiction_is_believed():
    from corroborator.verify.spelling import respelled

    claim = "Kirchner adopted Yair Tawil as her godson, the Daily News reports."
    evidence = "President Cristina Fernandez de Kirchhner adopted Yair Tawil as her godson."
    assert respelled(claim, evidence) == "President Cristina Fernandez de Kirchner adopted Yair Tawil as her godson."
    # another name, not a slip of the pen: left alone
    assert respelled("Warren spoke in Boston.", "Sanders spoke in Boston.") is None
    assert respelled("Joanna Smith won.", "Johanna Smith won.") == "Joanna Smith won."  # one letter
    assert respelled("Jones won the seat.", "James won the seat.") is None  # another person: two letters in five
    assert respelled("no names here", "Kirchner spoke.") is None


def test_the_verify_stage_reads_a_misspelt_name_as_the_claim_writes_it(demo_core):
    from corroborator.check.state import CheckState
    from corroborator.check.verify_stage import _respell_names
    from corroborator.domain import Article

    claim = Claim(id="c1", text="Graham Tolliver said the strike cost $9 million a day.", span=(0, 10),
                  kind=ClaimKind.EVENT, sentence="x")
    cand = Candidate(sentence_id=0, article_id="a", sentence="Graham Toliver said the strike cost $9 million a day.")
    state = CheckState(article=Article(id="a", text="x" * 30), progress=lambda *a: None)
    state.premises = [None]
    state.model_probs = [StanceProbs(supports=0.1, refutes=0.85, neutral=0.05)]  # as if misread as another man
    _respell_names(demo_core._checker, state, [(claim, cand)])
    assert state.model_probs[0].refutes < 0.5  # read again as "Tolliver": no contradiction
