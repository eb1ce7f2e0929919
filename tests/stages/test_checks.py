"""The quantity, date and name checks beside the verifier, on sentence pairs we wrote."""

from datetime import date

import pytest

from corroborator.domain import Mismatch, StanceProbs
from corroborator.verify.checks import MismatchChecker, adjust, mismatches

CLAIM_DAY = date(2025, 3, 17)
EVIDENCE_DAY = date(2025, 3, 14)

# (claim, evidence, expected mismatch kinds)
CASES = [
    # quantities: the same thing counted differently
    ("The drill lasted more than six hours.", "The drill lasted about three hours.", {"quantity"}),
    ("More than 5,000 dockworkers walked off the job.", "About 1,800 dockworkers walked out.", {"quantity"}),
    ("The fire injured two workers.", "Three workers were injured in the blaze.", {"quantity"}),
    ("Unemployment fell to 4.1 percent.", "Unemployment fell to 4.3% last month.", {"quantity"}),
    ("The port loses $9 million a day.", "The port loses about $2 million a day.", {"quantity"}),
    ("Fewer than 100 residents were evacuated.", "Some 1,200 residents were evacuated.", {"quantity"}),
    # quantities that agree once their qualifiers are read
    ("More than 5,000 dockworkers walked off the job.", "Some 5,200 dockworkers walked out.", set()),
    ("The port loses $9 million a day.", "Tolliver put the cost at $9 million a day.", set()),
    ("About 60 firefighters responded.", "Sixty-two firefighters from five departments responded.", set()),
    ("Nearly 1,200 residents left their homes.", "Officials evacuated 1,150 residents.", set()),
    ("The fire injured two workers.", "Two workers were hurt in the fire.", set()),
    # a known over-reach: one unit counted in two roles (harmless when the model sees no support)
    ("The plant employs 300 workers.", "Two workers were hurt in the fire.", {"quantity"}),
    ("Two bombers flew with four fighters.", "The council voted 7-4 for the budget.", set()),
    # dates
    ("The bombers flew on March 10.", "The bombers flew on Friday.", {"date"}),
    ("The US flew bombers in August 2019.", "The US flew bombers on Aug. 22, 2019.", set()),
    ("North Korea fired two missiles on March 10.", "Pyongyang fired two missiles on Monday.", set()),
    ("The bombers flew over the Sea of Japan in 2025.", "The bombers flew over the Korea Strait in 2019.", {"date"}),
    ("The drill lasted three hours.", "The flight lasted two hours in August 2019.", {"quantity"}),  # durations are not dates
    # names
    ("Defense Minister Kim Yong-hyun said the drill was a success.",
     "Foreign Minister Park Jin said the drill was a success.", {"name"}),
    ("Col. Dana Whitfield said the flight sent a clear message.",
     "Whitfield said flying together sends a clear message.", set()),
    ("The Korean Central News Agency called the drill a provocation.", "KCNA called the drill a provocation.", set()),
    ("According to US Pacific Air Forces, two B-52H bombers flew from Guam.",
     "Two US Air Force B-52H bombers flew from Guam, the Pentagon said.", set()),  # organisations are not compared
    ("Marisol Okafor said the union would not back down.", "The union will not back down, its president said.", set()),
]


@pytest.fixture(scope="module")
def checker():
    return MismatchChecker()


@pytest.mark.parametrize("claim,evidence,expected", CASES, ids=[c[0][:40] + " | " + c[1][:30] for c in CASES])
def test_mismatch_cases(checker, claim, evidence, expected):
    claim_facts, evidence_facts = checker.facts([(claim, CLAIM_DAY), (evidence, EVIDENCE_DAY)])
    found = mismatches(claim_facts, evidence_facts, evidence)
    assert {m.kind for m in found} == expected, [m.explanation for m in found]


def test_quantity_mismatch_explains_both_sides(checker):
    claim_facts, evidence_facts = checker.facts(
        [("More than 5,000 dockworkers walked off the job.", CLAIM_DAY), ("About 1,800 dockworkers walked out.", None)]
    )
    (m,) = mismatches(claim_facts, evidence_facts, "")
    assert m.claim == "5,000 dockworkers" and m.evidence == "1,800 dockworkers"
    assert "5,000" in m.explanation and "1,800" in m.explanation


def test_relative_dates_resolve_against_each_side(checker):
    # "Friday" in a report of Saturday 2025-03-15 and "March 14" in a later article: the same day
    claim_facts, evidence_facts = checker.facts(
        [("The drill took place on March 14.", date(2025, 3, 20)), ("The drill took place on Friday.", date(2025, 3, 15))]
    )
    assert mismatches(claim_facts, evidence_facts, "") == []


def test_weekday_in_a_same_day_report_is_that_day(checker):
    # 2025-03-14 was a Friday: "on Friday" in that day's report is the 14th, not the 7th
    claim_facts, evidence_facts = checker.facts(
        [("The drill took place on Friday, March 14.", date(2025, 3, 17)), ("The drill took place on Friday.", date(2025, 3, 14))]
    )
    assert [d.day for d in evidence_facts.dates] == [date(2025, 3, 14)]
    assert mismatches(claim_facts, evidence_facts, "") == []


def _m(kind: str) -> Mismatch:
    return Mismatch(kind=kind, claim="a", evidence="b", explanation="a vs b")


def test_adjust_moves_support_mass():
    p = StanceProbs(supports=0.8, refutes=0.05, neutral=0.15)
    q = adjust(p, [_m("quantity")], similarity=0.3)
    assert q.supports == 0 and q.refutes == pytest.approx(0.85) and q.neutral == pytest.approx(0.15)
    q = adjust(p, [_m("quantity")], similarity=0.9)  # close paraphrase: most neutral mass refutes too
    assert q.refutes > 0.95 and q.stance == "refutes"
    for kind in ("date", "name"):
        q = adjust(p, [_m(kind)], similarity=0.9)
        assert q.supports == 0 and q.refutes == pytest.approx(0.05) and q.neutral == pytest.approx(0.95)
    for q in (adjust(p, [_m(k)], 0.5) for k in ("quantity", "date", "name")):
        assert q.supports + q.refutes + q.neutral == pytest.approx(1.0)


def test_undated_side_keeps_only_dates_that_name_their_year(checker):
    (facts,) = checker.facts([("The drill took place on Friday, and the launch came on March 10, 2025.", None)])
    assert [d.text for d in facts.dates] == ["March 10, 2025"]


def test_negated_comparatives_bound_the_other_way(checker):
    claim, evidence = checker.facts([("No more than five people were hurt.", None), ("Three people were hurt.", None)])
    assert mismatches(claim, evidence, "") == []
    claim, evidence = checker.facts([("No fewer than 500 people marched.", None), ("About 300 people marched.", None)])
    assert [m.kind for m in mismatches(claim, evidence, "")] == ["quantity"]
