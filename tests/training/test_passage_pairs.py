"""Verifier v3's passage pairs (train/build_passages.py): windows, what a passage carries, edits
and stance reversals."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

TRAIN = Path(__file__).resolve().parents[2] / "train"


def _module():
    sys.path.insert(0, str(TRAIN))  # build_passages imports build_news beside it
    try:
        spec = importlib.util.spec_from_file_location("build_passages", TRAIN / "build_passages.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(TRAIN))
    return module


bp = _module()


def test_windows_hold_the_sentence_smallest_first_and_stay_in_the_article():
    assert bp.windows(5, 0) == [(0, 1), (0, 2), (0, 3)]
    assert bp.windows(5, 4) == [(4, 5), (3, 5), (2, 5)]
    middle = bp.windows(5, 2)
    assert middle[0] == (2, 3) and all(a <= 2 < b and b - a <= 3 for a, b in middle)
    assert [b - a for a, b in middle] == sorted(b - a for a, b in middle)


def test_a_passage_carries_a_claim_only_with_its_numbers_and_names():
    claim = "Senator Smith said the state would spend 1,200 dollars on schools."
    ok, share = bp.carried(claim, "The state will spend 1,200 dollars on its schools, Smith said on Monday.")
    assert ok and share >= 0.6
    # a number the passage lacks, or a name it lacks, and the claim is not carried
    assert not bp.carried(claim, "Smith said the state will spend 1,500 dollars on schools.")[0]
    assert not bp.carried(claim, "Jones said the state will spend 1,200 dollars on schools.")[0]
    # titles are not names to look for ("Senator" may be dropped by a retelling)
    assert "Senator" not in bp.names(claim) and "Smith" in bp.names(claim)


def test_edits_change_one_fact_and_never_negate_a_main_verb_had():
    seen = {bp.edit("New York had 1,200 confirmed cases.", [], [], random.Random(i)) for i in range(10)}
    assert all(kind == "number" for kind, _ in seen)  # "had 1,200 cases": no "had not"
    assert ("negation", "Cases had not risen by 40 percent.") in {
        bp.edit("Cases had risen by 40 percent.", [], [], random.Random(i)) for i in range(10)}
    named = {bp.edit("Officials said Brown approved it.", ["Green", "Brown"], [], random.Random(i)) for i in range(20)}
    assert ("name", "Officials said Green approved it.") in named
    assert all(t != "Officials said Brown approved it." for _, t in named)


def test_reversals_turn_the_stance_not_the_topic():
    rng = random.Random(0)
    assert bp.reversal("The plan should work for everyone, not just farmers.", rng) in {
        "The plan should work for no one, not just farmers.", "The plan should work for everyone, solely farmers."}
    assert bp.reversal("The senator failed to pass the bill.", rng) == "The senator managed to pass the bill."
    assert bp.reversal("The vaccine is more effective than the old one.", rng) in {
        "The vaccine is no more effective than the old one.", "The vaccine is more ineffective than the old one."}
    assert bp.reversal("The committee met on Tuesday.", rng) is None


def test_a_name_edit_never_swaps_in_a_word_of_the_same_name():
    sents = ["President Donald Trump spoke in Ohio on Monday.", "Trump said the plant would reopen, Sherrod Brown agreed."]
    linked = bp.linked_names(sents)
    assert {"President", "Donald"} <= linked["Trump"]
    names = sorted({w for s in sents for w in bp.names(s)})
    swapped = set()
    for seed in range(60):
        made = bp.edit("The plant in Ohio will reopen, Trump said.", names, [], random.Random(seed), linked)
        if made and made[0] == "name" and "Trump" not in made[1]:  # Trump was the name swapped
            swapped.add(made[1].split()[-2])
    assert swapped and not swapped & {"Donald", "President"}, swapped


def test_same_meaning_twins_keep_every_fact_and_change_one_reference_or_word():
    rng = random.Random(3)
    kinds = {}
    cases = [
        ("On Monday, Elizabeth Warren said taxes rose by 10 percent.", ["On Monday, Elizabeth Warren said taxes rose by 10 percent."]),
        ("The FBI said it would act.", ["The FBI opened a case in Denver.", "The FBI said it would act."]),
        ("Officials praised the Kirchner plan.", ["Officials praised the Kirchner plan on Monday."]),
    ]
    for _ in range(30):
        for claim, sents in cases:
            made = bp.same_meaning(claim, sents, "he said he", rng)
            assert made is not None
            kind, passage, twin = made
            kinds[kind] = (passage, twin)
            assert (passage, twin) != (" ".join(sents), claim)
            assert bp._facts(twin)[0] == bp._facts(claim)[0]  # numbers untouched
    assert {"surname", "pronoun", "misspelt", "synonym"} <= set(kinds)
    assert kinds["surname"][1] == "On Monday, Warren said taxes rose by 10 percent."
    assert kinds["pronoun"][0] == "The FBI opened a case in Denver. It said it would act."
