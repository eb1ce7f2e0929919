"""Verifier v2's news pairs (train/build_news.py): rule-made edits and restatements, story split."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from ..conftest import SHARED_DATA


def _module():
    path = Path(__file__).resolve().parents[2] / "train" / "build_news.py"
    spec = importlib.util.spec_from_file_location("build_news", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TEXT = ("On March 3, 2020, Governor Andrew Cuomo said New York had 1,200 confirmed cases. "
        "The CDC reported more than 300 deaths in Washington. "
        "Officials did not expect the vaccine before 2021. "
        "Cases had risen by 40 percent, and the state was ready.")


@pytest.fixture(scope="module")
def parsed():
    from corroborator.text.parsing import parse

    doc = parse(TEXT)
    article_ents: dict[str, list[str]] = {}
    for e in doc.ents:
        article_ents.setdefault(e.label_, []).append(e.text)
    return doc, article_ents


def _edits(parsed, sentence_start: str, seed: int = 1) -> dict[str, str]:
    build_news = _module()
    doc, article_ents = parsed
    dates = " ".join(e.text for e in doc.ents if e.label_ in ("DATE", "TIME"))
    numbers = [m.group(0) for m in build_news.NUMBER.finditer(TEXT)
               if not build_news.YEAR.fullmatch(m.group(0)) and m.group(0) not in dates]
    sent = next(s for s in doc.sents if s.text.startswith(sentence_start))
    return build_news.edits(sent.text, [(e.text, e.label_) for e in sent.ents], article_ents, numbers, random.Random(seed))


def test_each_edit_changes_one_fact_of_the_sentence(parsed):
    first = _edits(parsed, "On March 3")
    # the number swapped is a count from the same article, never the day inside the date
    assert first["number"] == "On March 3, 2020, Governor Andrew Cuomo said New York had 300 confirmed cases."
    assert "Washington" in first["place"] and "New York" not in first["place"]
    # "had 1,200 cases": "had" is not an auxiliary there, so no "had not 1,200"
    assert "negation" not in first
    deaths = _edits(parsed, "The CDC")
    assert deaths["comparative"] == "The CDC reported less than 300 deaths in Washington."
    vaccine = _edits(parsed, "Officials")
    assert vaccine["negation"] == "Officials did expect the vaccine before 2021."
    risen = _edits(parsed, "Cases had risen")
    assert risen["negation"].startswith("Cases had not risen by 40 percent")
    for edits in (first, deaths, vaccine, risen):
        for edited in edits.values():
            assert edited and edited not in TEXT


def test_restatements_the_sentence_entails():
    build_news = _module()
    got = build_news.supported_variants("Officials said 3,500 people were evacuated, according to the fire department.",
                                        random.Random(1))
    assert got == {"shortened": "Officials said 3,500 people were evacuated.",
                   "number-format": "Officials said 3500 people were evacuated, according to the fire department."}
    assert build_news.supported_variants("No change here at all in this sentence today.", random.Random(1)) == {}


def test_story_split_matches_the_risk_benchmark():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from fit_risk import held_out

    ids = [f"politifact{i}" for i in range(200)]
    assert [_module().held_out(i) for i in ids] == [held_out(i) for i in ids]
    assert 60 < sum(map(held_out, ids)) < 140


@pytest.mark.skipif(not (SHARED_DATA / "articles" / "llmfake-politifact").is_dir(),
                    reason=f"shared data not found at {SHARED_DATA} (set CORROBORATOR_DATA)")
def test_generations_that_copy_their_original_are_not_paraphrases():
    stories = _module().read_stories(SHARED_DATA)
    politifact = [s for s in stories.values() if s["dataset"] == "politifact"]
    assert len(politifact) > 100
    for story in politifact:
        for _, text in story["faithful"] + story["manipulated"]:
            assert not text.startswith(story["original"][:200])


def _spec_module():
    import sys

    train = str(Path(__file__).resolve().parents[2] / "train")
    if train not in sys.path:
        sys.path.insert(0, train)  # build_spec imports its sibling build_news
    path = Path(train) / "build_spec.py"
    spec = importlib.util.spec_from_file_location("build_spec", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_specifications_are_less_specific_restatements():
    m = _spec_module()
    sentence = "Governor Andrew Cuomo said the University of Rochester counted 1,237 cases in March 2020, officials said."
    ents = [("Andrew Cuomo", "PERSON"), ("the University of Rochester", "ORG"), ("1,237", "CARDINAL"), ("March 2020", "DATE")]
    found = m.specifications(sentence, ents, random.Random(0))
    assert found["surname"].startswith("Governor Cuomo said")
    assert "the university counted" in found["generic-name"]
    assert "March 2020" not in found["drop-date"] and found["drop-date"].endswith(", officials said.")
    assert "1,200" in found["number-bound"] and "1,237" not in found["number-bound"]
    # every variant keeps the rest of the sentence: less specific, never a different fact
    for variant in found.values():
        assert "cases" in variant


def test_attributed_quotes_are_restated_without_their_attribution():
    m = _spec_module()
    quote_first = '"We have no confirmation of the reports," State Department spokeswoman Jen Psaki told reporters.'
    found = m.attributions(quote_first, random.Random(0))
    assert found["bare-quote"].strip('"') == "We have no confirmation of the reports."
    assert found["moved-attribution"] == ('State Department spokeswoman Jen Psaki told reporters that '
                                         '"we have no confirmation of the reports."')
    speaker_first = 'Col. Dana Whitfield said in a statement that "the allies stand ready to respond to any threat."'
    found = m.attributions(speaker_first, random.Random(0))
    assert found["moved-attribution"].startswith('"The allies stand ready to respond to any threat," Col. Dana Whitfield said')
    assert m.attributions("The council approved the budget on Tuesday.", random.Random(0)) == {}


def test_shared_quotes_pair_two_outlets_framing_one_statement():
    m = _spec_module()
    one = ('The drill ended on Friday. Col. Dana Whitfield said in a statement that "the allies stand ready '
           'to respond to any threat to regional security." The bombers returned to Guam.')
    other = ('"The allies stand ready to respond to any threat to regional security," Whitfield told reporters. '
             'Officials gave no further details about the flight.')
    pairs = m.shared_quotes({"drill": [("a", one), ("b", other)]}, random.Random(0), per_story=8)
    assert pairs and all("stand ready" in p and "stand ready" in h for _, p, h in pairs)
    # the same body filed twice is not two outlets
    assert m.shared_quotes({"drill": [("a", one), ("c", one)]}, random.Random(0), per_story=8) == []
