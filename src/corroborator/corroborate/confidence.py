"""How sure the system is that one piece of same-event evidence backs its claim: a calibrated
probability, and the bar for a contradiction (issue 23, item 4: precision first).

The verifier's p(supports) alone is a poor guide on real news: on the development part of our
labelled verdicts (bench/labels/verdicts.jsonl, `python bench/verdict_set.py`), p >= 0.5 on
same-event evidence was right 66 % of the time and no threshold reached 95 % precision above
7 % recall. What a careful reader checks is whether *every* detail of the claim is in the
passage, so the confidence is a logistic model (fitted on the development part by
``bench/fit_verdicts.py``; the held third was never used) over the verifier's logit and what
the passage shares with the claim: the share of the claim's content words it contains,
whether it names every number and capitalised name of the claim, the embedding cosine, the
story similarity of its article, and whether a two-sentence passage was read.

Contradictions need a close restatement: on the same labels every REFUTED the verifier
produced (p(refutes) >= 0.65, 24 decisions) was wrong, and every one sat below cosine 0.75 from
the claim (another statement of the topic, not this one said differently). A contradiction
now needs the same event, a cosine of CONTRADICTION_COSINE and p(refutes) >= REFUTE_THRESHOLD
(or a quantity mismatch the checks found).
"""

from __future__ import annotations

import math
import re

# Content words: what a passage must contain for a reader to say it states the claim.
_STOP = frozenset(
    "the a an of to in and or for on at by with from as is are was were be been being has have had that this "
    "it its their they he she his her we our not but said says say will would also which who whom than then".split()
)
_WORD = re.compile(r"[a-z0-9]+")
# numbers standing alone ("24", "1,200", "4.5"; not the 52 of "B-52H" or the 3 of "COVID-19")
_NUMBER = re.compile(r"(?<![\w.,-])(?:\d[\d,.]*\d|\d)(?![\w-]|[.,]\d)")
_CAPITAL = re.compile(r"\b[A-Z][a-z]{2,}\b")

FEATURES = ("verifier_logit", "content_recall", "specifics_present", "similarity", "story_similarity", "passage")
# Fitted by bench/fit_verdicts.py on the development part (same-event decisions), features
# standardised as below; see docs/DESIGN.md "Issue 23" for the table it gives.
_MEAN = {"verifier_logit": -2.213, "content_recall": 0.389, "specifics_present": 0.488, "similarity": 0.637,
         "story_similarity": 0.759, "passage": 0.453}
_SCALE = {"verifier_logit": 2.875, "content_recall": 0.283, "specifics_present": 0.5, "similarity": 0.157,
          "story_similarity": 0.131, "passage": 0.498}
_WEIGHTS = {"verifier_logit": 0.46, "content_recall": 1.162, "specifics_present": 0.223, "similarity": 0.741,
            "story_similarity": 0.281, "passage": -0.371}
_BIAS = -1.725

# SUPPORTED needs this confidence: the lowest (on a 0.05 grid) at which the development part's
# precision is >= 0.95. Refitted for verifier v4 (bench/fit_verdicts.py --scored
# bench/work/verdicts/scored-v4.jsonl --tag v4): 16 of 16 at 0.9, 21 of 23 at 0.85. With v1 it
# was 0.95 (12 of 12; 15 of 16 at 0.9, the miss another operation's press release written from
# the same template): v4's logit carries more (weight 0.24 -> 0.46).
SUPPORT_CONFIDENCE = 0.9
# Below it, same-event evidence this sure is "similar reporting, not confirmed".
SIMILAR_CONFIDENCE = 0.3
CONTRADICTION_COSINE = 0.8


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2]


def specifics(text: str) -> set[str]:
    """Numbers and capitalised names (not the first word) a claim commits to."""
    return set(_NUMBER.findall(text)) | set(_CAPITAL.findall(text)[1:])


def _mentions(lowered: str, specific: str) -> bool:
    """The passage names this number or name as a whole word ("12" is not in "2012")."""
    return re.search(rf"(?<![\w.,]){re.escape(specific.lower())}(?![\w]|[.,]\d)", lowered) is not None


def support_features(claim: str, passage: str, supports: float, similarity: float | None,
                     story_similarity: float | None, read_as_passage: bool) -> dict[str, float]:
    s = min(max(supports, 1e-4), 1 - 1e-4)
    words = _content_words(claim)
    there = set(_content_words(passage))
    lowered = passage.lower()
    return {
        "verifier_logit": math.log(s / (1 - s)),
        "content_recall": sum(w in there for w in words) / len(words) if words else 0.0,
        "specifics_present": float(all(_mentions(lowered, x) for x in specifics(claim))),
        "similarity": similarity or 0.0,
        "story_similarity": story_similarity or 0.0,
        "passage": float(read_as_passage),
    }


def evidence_confidence(claim: str, ev) -> float:
    """support_confidence of one Evidence for its claim (read on its shown context)."""
    return support_confidence(support_features(claim, ev.context or ev.sentence, ev.probs.supports, ev.similarity,
                                               ev.story_similarity, ev.premise is not None))


def support_confidence(features: dict[str, float]) -> float:
    """Calibrated probability that a reader would call the passage a confirmation of the claim
    (given that it is about the same event)."""
    z = _BIAS + sum(_WEIGHTS[k] * (features[k] - _MEAN[k]) / _SCALE[k] for k in FEATURES)
    return 1.0 / (1.0 + math.exp(-z))
