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
    flagged = [tagger.read([sentence])[0].techniques for sentence in loaded + neutral]  # each alone
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
    spans = tagger.read([filler + tail])[0].techniques
    assert len(tagger.tokenizer.encode(filler + tail).overflowing) >= 1  # longer than one window
    assert any(s.start >= len(filler) for s in spans)


@pytest.mark.data
@pytest.mark.skipif(not PTC.is_dir(), reason=f"PTC corpus not found at {PTC} (set CORROBORATOR_DATA)")
def test_span_f1_on_kept_back_articles():
    result = evaluate(PTC)
    assert result["articles"] == 61
    scores, shown = result["scores"], result["shown"]
    # README: any technique 0.41; what a report shows, all techniques: span F1 0.42, recall 0.58,
    # character F1 0.40 on these 61 articles (v1: 0.40 / 0.36 / 0.30)
    assert scores[ANY]["f1"] >= 0.38, scores[ANY]
    assert shown["f1"] >= 0.40 and shown["recall"] >= 0.5 and shown["char_f1"] >= 0.37, shown


def test_character_metric_counts_each_character_once():
    # half of a gold span found: char precision 1, recall 0.5; overlapping predictions count once
    s = ptc.char_scores([([(0, 5), (2, 5)], [(0, 10)])])
    assert (s["char_precision"], s["char_recall"]) == (1.0, 0.5)
    assert ptc.char_scores([([], [(0, 10)])])["char_f1"] == 0.0


def test_context_windows_put_the_sentence_first_and_its_context_after(tagger):
    from corroborator.signals.propaganda import CONTEXT_BUDGET, context_windows, sentence_contexts

    sentences = ["The regime lied.", "It lied again.", "Officials met."]
    contexts = sentence_contexts(sentences, "A title")
    assert contexts[0] == ("A title", "", "It lied again.") and contexts[1][1:] == ("The regime lied.", "Officials met.")
    tok = tagger.tokenizer
    plain = dict(context_windows(tok, sentences, None))
    framed = dict(context_windows(tok, sentences, contexts))
    sep = tok.token_to_id("[SEP]")
    for i, window in framed.items():
        n = len(plain[i].ids)
        # the sentence's own tokens, offsets and segment 0 are unchanged; the context is segment 1 and ends in [SEP]
        assert window.ids[:n] == plain[i].ids and window.offsets[:n] == plain[i].offsets
        assert set(window.type_ids[:n]) == {0} and set(window.type_ids[n:]) == {1} and window.ids[-1] == sep
        assert all(m == 1 for m in window.special_tokens_mask[n:])  # never decoded as a span
        assert len(window.ids) - n <= sum(CONTEXT_BUDGET.values()) + 3
    title_ids = tok.encode("A title", add_special_tokens=False).ids
    assert framed[0].ids[len(plain[0].ids):][: len(title_ids)] == title_ids


def test_hysteresis_grows_a_span_over_its_weaker_edges(tagger):
    text = "a truly shameless lie"
    offsets = [(0, 1), (2, 7), (8, 17), (18, 21)]
    probs = np.zeros((4, len(tagger.labels)))
    col = tagger.labels.index("Loaded_Language")
    probs[:, col] = [0.05, 0.3, 0.9, 0.35]
    bars = np.full(len(tagger.labels), 0.5)
    core = tagger.decode(text, offsets, probs, bars, extend=1.0)
    grown = tagger.decode(text, offsets, probs, bars, extend=0.5)
    assert [text[s.start:s.end] for s in core] == ["shameless"]
    assert [text[s.start:s.end] for s in grown] == ["truly shameless lie"]  # 0.3 and 0.35 >= 0.25, not 0.05


def test_any_technique_spans_are_shown_under_their_likeliest_technique(tagger):
    text = "They are traitors to the nation"
    offsets = [(0, 4), (5, 8), (9, 17), (18, 20), (21, 24), (25, 31)]
    probs = np.zeros((6, len(tagger.labels)))
    probs[2, tagger.labels.index(ANY)] = 0.9  # found by the any channel only
    probs[2, tagger.labels.index("Name_Calling,Labeling")] = 0.3  # below its own bar
    probs[2, tagger.labels.index("Loaded_Language")] = 0.1
    bars = np.full(len(tagger.labels), 0.5)
    saved = tagger.meta.get("shown_from_any")
    try:
        tagger.meta["shown_from_any"] = False
        assert tagger.shown(text, offsets, probs, bars, 1.0) == []
        tagger.meta["shown_from_any"] = True
        shown = tagger.shown(text, offsets, probs, bars, 1.0)
    finally:
        tagger.meta["shown_from_any"] = saved
    assert [(s.technique, text[s.start:s.end]) for s in shown] == [("Name_Calling,Labeling", "traitors")]


def test_a_technique_inside_a_quotation_is_the_speakers_and_weighs_half():
    from corroborator.signals.techniques import QUOTED, TECHNIQUE_STRENGTH, _quoted, loaded_language

    text = 'The union said: "We had no choice. The greedy bosses left us none." The strike began Monday.'
    start = text.index("greedy bosses")
    assert _quoted(text, start, start + len("greedy bosses"))  # the quotation's second sentence
    after = text.index("strike")
    assert not _quoted(text, after, after + 6)
    curly = "He called it “a shameless lie” on Friday, then left."
    s = curly.index("shameless")
    assert _quoted(curly, s, s + 9) and not _quoted(curly, curly.index("Friday"), curly.index("Friday") + 6)
    # a stray mark cannot reach past its paragraph, and the outlet's own words after a quotation are its own
    stray = 'The 12" guns fired.\n\nThe vile regime lied, "officials" said.'
    assert not _quoted(stray, stray.index("vile"), stray.index("vile") + 4)
    outlet = '"We will fight," the spokesman said of the treacherous regime. He left.'
    assert not _quoted(outlet, outlet.index("treacherous"), outlet.index("treacherous") + 11)

    # the strength of a quoted flag is halved: the same span, read in and out of a quotation
    from corroborator.domain import Claim
    from corroborator.signals.family import ArticleText
    from corroborator.signals.propaganda import SentenceReading, TechniqueSpan
    from corroborator.text.parsing import parse

    def strength(sentence: str, word: str) -> float:
        doc = parse(sentence)
        claim = Claim(id="c1", text=sentence, span=(0, len(sentence)), kind="event", sentence=sentence)
        article = ArticleText(sentence, doc, [claim])
        a = sentence.index(word)
        article.readings = [SentenceReading([TechniqueSpan("Name_Calling,Labeling", a, a + len(word), 0.8)], [])]
        (flag,) = loaded_language(article)
        return flag.strength

    own = strength("The traitors in the capital lied again on Friday.", "traitors")
    quoted = strength('He said "the traitors in the capital lied again" on Friday.', "traitors")
    assert own == round(TECHNIQUE_STRENGTH["Name_Calling,Labeling"] * 0.8, 2)
    assert quoted == round(own * QUOTED, 2)
