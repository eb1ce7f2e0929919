"""Verifier evaluation on labelled claim-evidence pairs (`corroborator eval pairs`).

Input rows (JSON Lines): {"id", "claim", "evidence": str | [str], "label"} with label
SUPPORTED, REFUTED or NOT_ENOUGH_INFO. With ``labels=2`` only SUPPORTED/REFUTED rows are
scored and the prediction is the larger of the supports and refutes probabilities (the
model's neutral mass is ignored, its confidence renormalised over the two).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corroborator.domain import Candidate, Claim, ClaimKind
from corroborator.errors import BadInputError
from corroborator.runtime.embedder import Embedder
from corroborator.verify import Verifier

LABELS = ["SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"]
ECE_BINS = 15


@dataclass
class Pair:
    id: str
    claim: str
    evidence: str
    label: str


def read_pairs(path: Path) -> list[Pair]:
    """All rows of a pairs file; the first bad row raises an error naming its line."""
    if not path.is_file():
        raise BadInputError(f"{path}: no such file")
    pairs: list[Pair] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise BadInputError(f"{path}: not valid UTF-8") from None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInputError(f"{where}: invalid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise BadInputError(f"{where}: expected a JSON object")
        claim, evidence, label = row.get("claim"), row.get("evidence"), row.get("label")
        if not isinstance(claim, str) or not claim.strip():
            raise BadInputError(f"{where}: 'claim' must be a non-empty string")
        if isinstance(evidence, list) and all(isinstance(e, str) for e in evidence):
            evidence = " ".join(e.strip() for e in evidence if e.strip())
        if not isinstance(evidence, str) or not evidence.strip():
            raise BadInputError(f"{where}: 'evidence' must be a non-empty string or list of strings")
        if label not in LABELS:
            raise BadInputError(f"{where}: 'label' must be one of {', '.join(LABELS)}, got {label!r}")
        pairs.append(Pair(id=str(row.get("id", n)), claim=claim.strip(), evidence=evidence.strip(), label=label))
    if not pairs:
        raise BadInputError(f"{path}: no pairs")
    return pairs


def _prf(confusion: np.ndarray, labels: list[str]) -> dict[str, dict[str, float]]:
    out = {}
    for i, name in enumerate(labels):
        tp = confusion[i, i]
        predicted, actual = confusion[:, i].sum(), confusion[i, :].sum()
        p = tp / predicted if predicted else 0.0
        r = tp / actual if actual else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[name] = {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
                     "support": int(actual)}
    return out


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = ECE_BINS) -> float:
    """Equal-width-bin ECE (Guo et al., ICML 2017): sum over bins of |accuracy - confidence|
    weighted by the share of predictions in the bin."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        mask = (confidence > lo) & (confidence <= hi) if lo > 0 else (confidence >= lo) & (confidence <= hi)
        if mask.any():
            ece += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(ece)


def _predict(pairs: list[Pair], verifier: Verifier, embedder: Embedder, batch: int, checks: bool) -> tuple[np.ndarray, float]:
    """(supports, refutes, neutral) per pair and the seconds the predictions took (models
    warmed up first: loading is not throughput)."""
    warm = Claim(id="w", text="warm up", span=(0, 7), kind=ClaimKind.BACKGROUND, sentence="warm up")
    verifier.predict([(warm, Candidate(sentence_id=0, article_id="w", sentence="warm up", dense_similarity=1.0))])
    embedder.embed(["warm up"])
    checker = None
    if checks:
        from corroborator.verify.checks import MismatchChecker

        checker = MismatchChecker()
        checker.facts([("warm up", None)])
    start = time.perf_counter()
    probs = np.zeros((len(pairs), 3))
    for i in range(0, len(pairs), batch):
        chunk = pairs[i : i + batch]
        # In `check` the similarity comes with retrieval; here it is computed only for the
        # verifiers and checks that read it, so the throughput is the verifier's own.
        similarity = [None] * len(chunk)
        if verifier.needs_similarity or checker:
            vecs = embedder.embed([p.claim for p in chunk] + [p.evidence for p in chunk])
            similarity = [float(vecs[j] @ vecs[len(chunk) + j]) for j in range(len(chunk))]
        items = []
        for j, p in enumerate(chunk):
            claim = Claim(id=p.id, text=p.claim, span=(0, len(p.claim)), kind=ClaimKind.BACKGROUND, sentence=p.claim)
            cand = Candidate(sentence_id=j, article_id=p.id, sentence=p.evidence, dense_similarity=similarity[j])
            items.append((claim, cand))
        predicted = verifier.predict(items)
        if checker:
            predicted = checker.apply(items, predicted, None).probs
        for j, sp in enumerate(predicted):
            probs[i + j] = (sp.supports, sp.refutes, sp.neutral)
    return probs, time.perf_counter() - start


def evaluate(
    pairs: list[Pair], verifier: Verifier, embedder: Embedder, labels: int = 3, batch: int = 256, checks: bool = False
) -> dict:
    if labels == 2:
        pairs = [p for p in pairs if p.label != "NOT_ENOUGH_INFO"]
        if not pairs:
            raise BadInputError("no SUPPORTED or REFUTED rows to score with --labels 2")
    names = LABELS[:labels]
    probs, seconds = _predict(pairs, verifier, embedder, batch, checks)
    if labels == 2:
        two = probs[:, :2]
        two = two / np.clip(two.sum(axis=1, keepdims=True), 1e-12, None)
        pred = two.argmax(axis=1)
        conf = two.max(axis=1)
    else:
        pred = probs.argmax(axis=1)
        conf = probs.max(axis=1)
    gold = np.array([LABELS.index(p.label) for p in pairs])
    confusion = np.zeros((labels, labels), dtype=int)
    for g, q in zip(gold, pred):
        confusion[g, q] += 1
    per_label = _prf(confusion, names)
    correct = (pred == gold).astype(float)
    return {
        "n": len(pairs),
        "labels": labels,
        "accuracy": round(float(correct.mean()), 4),
        "macro_f1": round(float(np.mean([v["f1"] for v in per_label.values()])), 4),
        # the mean of per-label recalls: on imbalanced sets (Climate-FEVER is 72 % SUPPORTED
        # two-way) accuracy rewards a model that leans to the majority label
        "balanced_accuracy": round(float(np.mean([v["recall"] for v in per_label.values() if v["support"]])), 4),
        "per_label": per_label,
        "confusion": {"rows_gold_cols_pred": names, "matrix": confusion.tolist()},
        "ece": round(expected_calibration_error(conf, correct), 4),
        "pairs_per_s": round(len(pairs) / seconds, 1) if seconds else None,
        "verifier": {"name": verifier.info.name, "version": verifier.info.version},
        "checks": checks,
    }
