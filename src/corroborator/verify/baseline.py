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

from corroborator.domain import Candidate, Claim, StanceProbs, VerifierInfo
from corroborator.retrieve.retriever import STOP_WORDS
from corroborator.text.numbers import quantities
from corroborator.text.parsing import parse_light

_WORD = re.compile(r"[a-z0-9]+")
_NEGATION = re.compile(r"\b(not|no|never|neither|nor|denied|denies|deny)\b|n't\b", re.I)


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS and len(w) > 2}


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class BaselineVerifier:
    needs_similarity = True
    info = VerifierInfo(
        name="interim-baseline",
        version="0.1",
        interim=True,
        note=(
            "Interim heuristic verifier (embedding similarity, word overlap, number and negation "
            "mismatch); not a trained NLI model. Verdicts are indicative only."
        ),
    )

    def pair_features(
        self, claim: Claim, cand: Candidate, cq: list[tuple[float, str]], eq: list[tuple[float, str]]
    ) -> dict[str, float]:
        """Features of one pair; cq/eq are the (value, unit) quantities of claim and evidence."""
        cw, ew = _content_words(claim.text), _content_words(cand.sentence)
        overlap = len(cw & ew) / max(1, len(cw))
        sim = cand.dense_similarity if cand.dense_similarity is not None else 0.0
        # Quantities are compared only when they count the same thing (same unit noun).
        same_unit = [(a, b) for a, ua in cq for b, ub in eq if ua == ub]
        shared = [(a, b) for a, b in same_unit if abs(a - b) <= 0.01 * max(abs(a), 1.0)]
        number_conflict = 1.0 if same_unit and not shared else 0.0
        negation_conflict = 1.0 if bool(_NEGATION.search(claim.text)) != bool(_NEGATION.search(cand.sentence)) else 0.0
        return {
            "similarity": sim,
            "overlap": overlap,
            "number_conflict": number_conflict,
            "number_match": 1.0 if shared else 0.0,
            "unit_match": 1.0 if same_unit else 0.0,
            "negation_conflict": negation_conflict,
        }

    def predict(self, pairs: list[tuple[Claim, Candidate]]) -> list[StanceProbs]:
        texts = sorted({c.text for c, _ in pairs} | {e.sentence for _, e in pairs})
        qty = dict(zip(texts, (quantities(doc) for doc in parse_light(texts))))
        out = []
        for claim, cand in pairs:
            f = self.pair_features(claim, cand, qty[claim.text], qty[cand.sentence])
            rel = 0.6 * f["similarity"] + 0.4 * f["overlap"]
            if f["number_conflict"]:
                # The same thing counted differently: a conflict even at moderate topical
                # similarity, because the shared unit already ties the two sentences together.
                refutes = 0.9 * _sigmoid(14.0 * (rel - 0.45))
                supports = 0.05 * _sigmoid(14.0 * (rel - 0.62))
            elif f["negation_conflict"]:
                refutes = 0.7 * _sigmoid(14.0 * (rel - 0.62))
                supports = 0.3 * _sigmoid(14.0 * (rel - 0.62))
            else:
                supports = _sigmoid(14.0 * (rel + 0.08 * f["number_match"] - 0.62))
                refutes = 0.0
            out.append(StanceProbs(supports=supports, refutes=refutes, neutral=max(0.0, 1.0 - supports - refutes)))
        return out
