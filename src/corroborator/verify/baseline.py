"""The interim verifier: similarity and mismatch heuristics, not a trained NLI model.

It stands in until the trained cross-encoder ships (issue 3) and says so in every report.
Relatedness comes from the MiniLM cosine of claim and evidence plus content-word
overlap; a related pair becomes "refutes" when the two disagree on a number or on
negation, else "supports". It cannot judge paraphrased contradictions or entailment that
needs reasoning.
"""

from __future__ import annotations

import math
import re

from ..nlp import parse_numbers
from ..retrieve import _STOP
from ..types import Candidate, Claim, StanceProbs, VerifierInfo

_WORD = re.compile(r"[a-z0-9]+")
_NEGATION = re.compile(r"\b(not|no|never|none|neither|nor|without|denied|denies|deny|n't)\b|n't\b", re.I)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def _numbers(text: str) -> set[float]:
    return {n for n in parse_numbers(_YEAR.sub(" ", text))}


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class BaselineVerifier:
    info = VerifierInfo(
        name="interim-baseline",
        version="0.1",
        interim=True,
        note=(
            "Interim heuristic verifier (embedding similarity, word overlap, number and negation "
            "mismatch); not a trained NLI model. Verdicts are indicative only."
        ),
    )

    def pair_features(self, claim: Claim, cand: Candidate) -> dict[str, float]:
        cw, ew = _content_words(claim.text), _content_words(cand.sentence)
        overlap = len(cw & ew) / max(1, len(cw))
        sim = cand.dense_similarity if cand.dense_similarity is not None else 0.0
        cn, en = _numbers(claim.text), _numbers(cand.sentence)
        shared = {a for a in cn if any(abs(a - b) <= 0.01 * max(abs(a), 1.0) for b in en)}
        number_conflict = 1.0 if cn and en and not shared else 0.0
        negation_conflict = 1.0 if bool(_NEGATION.search(claim.text)) != bool(_NEGATION.search(cand.sentence)) else 0.0
        return {
            "similarity": sim,
            "overlap": overlap,
            "number_conflict": number_conflict,
            "number_match": 1.0 if shared else 0.0,
            "negation_conflict": negation_conflict,
        }

    def predict(self, pairs: list[tuple[Claim, Candidate]]) -> list[StanceProbs]:
        out = []
        for claim, cand in pairs:
            f = self.pair_features(claim, cand)
            relatedness = 0.6 * f["similarity"] + 0.4 * f["overlap"] + 0.05 * f["number_match"]
            related = _sigmoid(14.0 * (relatedness - 0.62))
            conflict = max(f["number_conflict"] * 0.85, f["negation_conflict"] * 0.7)
            supports = related * (1.0 - conflict)
            refutes = related * conflict
            out.append(StanceProbs(supports=supports, refutes=refutes, neutral=max(0.0, 1.0 - supports - refutes)))
        return out
