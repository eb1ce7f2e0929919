"""Loaded-language and propaganda-technique spans: the span metric we report, the span
decoding, the shipped model on sentences we wrote, and the HTML highlighting."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from corroborator.domain import Signal
from corroborator.render.html import signals_article_html
from corroborator.signals.propaganda import ANY, EXPLAIN, default_tagger

from ..conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "train"))
sys.path.insert(0, str(ROOT / "bench"))
import ptc  # noqa: E402
from propaganda_eval import evaluate  # noqa: E402

PTC = SHARED_DATA / "articles" / "propaganda"


def test_span_metric_gives_partial_credit_like_semeval_task11():
    # one predicted span covering half of one gold span: P = 1 (all of it is propaganda), R = 0.5
    assert ptc.span_scores([([(0, 5)], [(0, 10)])])["precision"] == 1.0
    assert ptc.span_scores([([(0, 5)], [(0, 10)])])["recall"] == 0.5
    # a prediction twice the gold span: P = 0.5, R = 1; nothing predicted: P = R = F1 = 0
    both = ptc.span_scores([([(0, 20)], [(0, 10)])])
    assert (both["precision"], both["recall"]) == (0.5, 1.0) and round(both["f1"], 4) == 0.6667
    assert ptc.span_scores([([], [(0, 10)])])["f1"] == 0.0
    # overlapping spans of one class are merged before scoring
    assert ptc.merge([(5, 9), (0, 6), (12, 14)]) == [(0, 9), (12, 14)]
    assert ptc.merge([(0, 4), (4, 8)]) == [(0, 4), (4, 8)]  # touching is not overlapping
    # articles are pooled: a perfect article and an empty one average out
    pooled = ptc.span_scores([([(0, 4)], [(0, 4)]), ([(0, 4)], [(10, 14)])])
    assert pooled["precision"] == 0.5 and pooled["recall"] == 0.5


def test_split_is_fixed_by_article_and_disjoint():
    arts = [ptc.PtcArticle(str(100 + i), "x") for i in range(50)]
    parts = ptc.split(arts)
    ids = [{a.id for a in parts[k]} for k in ("train", "dev", "test")]
    assert sum(map(len, ids)) == 50 and not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
    assert len(ids[2]) == 10 and len(ids[1]) == 5
    assert ptc.split(list(reversed(arts)))["test"] == parts["test"]


@pytest.fixture(scope="module")
def tagger():
    return default_tagger()


def test_decoding_joins_token_runs_and_widens_to_words(tagger):
    text = "The unbelievably corrupt regime lied again"
    offsets = [(0, 3), (4, 10), (10, 16), (17, 24), (25, 31), (32, 36), (37, 42)]  # "unbelievably" in two pieces
    probs = np.zeros((len(offsets), len(tagger.labels)))
    col = tagger.labels.index("Loaded_Language")
    probs[2, col] = probs[3, col] = 0.99  # the second half of "unbelievably" and "corrupt"
    spans = tagger.decode(text, offsets, probs, thresholds=np.full(len(tagger.labels), 0.5))
    assert [(s.technique, text[s.start : s.end]) for s in spans] == [("Loaded_Language", "unbelievably corrupt")]
    assert tagger.decode("", [], np.zeros((0, len(tagger.labels)))) == []


def test_model_flags_loaded_language_not_neutral_reporting(tagger):
    loaded = [
        "The corrupt, bloodthirsty regime and its cowardly puppets unleashed yet another barbaric massacre.",
        "These treasonous traitors are destroying our great nation with their disgusting, evil lies.",
        "The hysterical warmongers in Washington are pushing the world to the brink of an apocalyptic catastrophe.",
    ]
    neutral = [
        "The committee will meet on Tuesday at 10 a.m. to review the budget.",
        "The company reported revenue of $2.1 billion for the third quarter.",
        "The train from Lyon arrived in Paris at 14:05, officials said.",
    ]
    flagged = [[s for s in spans if s.technique != ANY] for spans in tagger.tag(loaded + neutral)]
    assert all(flagged[: len(loaded)]), flagged
    assert not any(flagged[len(loaded) :]), flagged
    for text, spans in zip(loaded, flagged):
        for s in spans:
            assert s.technique in EXPLAIN and 0 <= s.start < s.end <= len(text) and 0 < s.score <= 1


def test_signal_highlights_overlap_and_escape_hostile_text():
    text = "Sources close to <b>the palace</b> said the evil regime lied."
    anon = Signal(type="sourcing", subtype="anonymous", span=(0, 16), text=text[:16], explanation="unnamed", claim_id="c1")
    start = text.index("evil")
    loaded = Signal(type="loaded_language", subtype="Loaded_Language", span=(start, start + 11),
                    text=text[start : start + 11], explanation="<emotional>", claim_id="c1")
    inner = Signal(type="hedging", subtype="modal", span=(start + 5, start + 11), text="regime", explanation="x")
    page = signals_article_html(text, [anon, loaded, inner])
    assert "<b>" not in page and "&lt;b&gt;the palace&lt;/b&gt;" in page and "&lt;emotional&gt;" in page
    assert page.count("<mark") == 3  # "Sources close to", "evil ", "regime" (covered by two flags)
    assert "loaded_language · Loaded_Language" in page and "hedging · modal" in page


def test_long_sentences_are_read_to_the_end(tagger):
    filler = "The committee met on Tuesday to discuss the annual budget and the new school calendar. " * 9
    tail = "Meanwhile the corrupt, treacherous elites keep spreading their disgusting, shameless lies."
    spans = tagger.tag([filler + tail])[0]
    assert len(tagger.tokenizer.encode(filler + tail).overflowing) >= 1  # longer than one window
    assert any(s.start >= len(filler) and s.technique != ANY for s in spans)


@pytest.mark.data
@pytest.mark.skipif(not PTC.is_dir(), reason=f"PTC corpus not found at {PTC} (set CORROBORATOR_DATA)")
def test_span_f1_on_kept_back_articles():
    result = evaluate(PTC)
    assert result["articles"] == 61
    scores = result["scores"]
    # README: 0.42 (any technique), 0.37 (Loaded_Language) on these 61 articles
    assert scores[ANY]["f1"] >= 0.35 and scores["Loaded_Language"]["f1"] >= 0.3, scores
