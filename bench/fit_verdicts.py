"""Fit the support confidence (corroborate/confidence.py) on the development part of the
labelled verdicts, and show what each threshold does on both parts.

    python bench/verdict_set.py score --tag T      # writes bench/work/verdicts/scored-T.jsonl
    python bench/fit_verdicts.py --scored bench/work/verdicts/scored-T.jsonl

Only same-event decisions are fitted (the rest never count); the label is "a reader calls the
passage a confirmation of the claim" (label == supports). Logistic regression (numpy, L2 1.0)
on standardised features; printed as the constants of confidence.py. The threshold shipped is
the lowest at which the development part's precision is >= --precision; held numbers are
reported, never used to choose.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def fit(X: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 5000, lr: float = 1.0) -> np.ndarray:
    X = np.c_[np.ones(len(X)), X]
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-X @ w))
        w -= lr * (X.T @ (p - y) + l2 * np.r_[0, w[1:]]) / len(y)
    return w


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scored", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=HERE / "work" / "verdicts")
    ap.add_argument("--precision", type=float, default=0.95)
    ap.add_argument("--tag", default="", help="suffix of the results file")
    args = ap.parse_args()
    from corroborator.corroborate.confidence import FEATURES, support_confidence, support_features

    labelled = args.work / "to_label.jsonl"  # texts of older scored files (newer ones carry them)
    rows = {json.loads(line)["id"]: json.loads(line) for line in labelled.read_text().splitlines()} if labelled.is_file() else {}
    scored = [json.loads(line) for line in args.scored.read_text().splitlines()]
    # the confidence answers "does this passage confirm the claim", so every same-event decision
    # found again is an example, the record's too (a stored version's passage is a fine one);
    # precision and recall are counted over decisions that can count (not the record)
    scored = [r for r in scored if "supports" in r]
    for r in scored:
        claim, passage = (r["claim"], r["passage"]) if "claim" in r else (rows[r["id"]]["claim"],
                                                                         rows[r["id"]]["evidence_passage"])
        r["features"] = support_features(claim, passage, r["supports"], r["similarity"], r["story_similarity"],
                                         r["premise"])
    labelled = {part: sum(r["label"] == "supports" and not r.get("record_only") for r in scored if r["part"] == part)
                for part in ("dev", "held")}
    same = {part: [r for r in scored if r["part"] == part and r["event_match"] == "same"] for part in ("dev", "held")}
    X = np.array([[r["features"][k] for k in FEATURES] for r in same["dev"]])
    y = np.array([r["label"] == "supports" for r in same["dev"]], dtype=float)
    mean, scale = X.mean(0), X.std(0) + 1e-9
    w = fit((X - mean) / scale, y)
    print("_MEAN =", {k: round(float(v), 3) for k, v in zip(FEATURES, mean)})
    print("_SCALE =", {k: round(float(v), 3) for k, v in zip(FEATURES, scale)})
    print("_WEIGHTS =", {k: round(float(v), 3) for k, v in zip(FEATURES, w[1:])})
    print("_BIAS =", round(float(w[0]), 3))

    def conf(r):
        z = w[0] + sum(w[1 + i] * (r["features"][k] - mean[i]) / scale[i] for i, k in enumerate(FEATURES))
        return 1 / (1 + np.exp(-z))

    table = []
    for t in np.arange(0.3, 0.96, 0.05):
        row = {"threshold": round(float(t), 2)}
        for part in ("dev", "held"):
            said = [r for r in same[part] if conf(r) >= t and not r.get("record_only")]
            tp = sum(r["label"] == "supports" for r in said)
            row[part] = {"said": len(said), "precision": round(tp / len(said), 3) if said else None,
                         "recall": round(tp / labelled[part], 3)}
        table.append(row)
        print(row)
    chosen = next((r["threshold"] for r in table if (r["dev"]["precision"] or 0) >= args.precision), None)
    calibration = []
    p = np.array([conf(r) for r in same["dev"]])
    for lo, hi in ((0, .2), (.2, .4), (.4, .6), (.6, .8), (.8, 1.01)):
        m = (p >= lo) & (p < hi)
        if m.any():
            calibration.append({"bin": [lo, min(hi, 1.0)], "n": int(m.sum()), "predicted": round(float(p[m].mean()), 3),
                                "observed": round(float(y[m].mean()), 3)})
    shipped = [support_confidence(r["features"]) for r in same["dev"]]
    out = {"date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
           "command": "python bench/fit_verdicts.py " + " ".join(sys.argv[1:]),
           "weights": {k: round(float(v), 3) for k, v in zip(FEATURES, w[1:])}, "bias": round(float(w[0]), 3),
           "mean": {k: round(float(v), 3) for k, v in zip(FEATURES, mean)},
           "scale": {k: round(float(v), 3) for k, v in zip(FEATURES, scale)},
           "threshold_for_precision": {"precision": args.precision, "threshold": chosen}, "table": table,
           "calibration_dev": calibration,
           "shipped_vs_fitted_max_difference_dev": round(float(np.max(np.abs(np.array(shipped) - p))), 4)}
    dest = HERE / "results" / f"fit-verdicts-{out['date']}{'-' + args.tag if args.tag else ''}.json"
    dest.write_text(json.dumps(out, indent=2) + "\n")
    print(f"threshold for dev precision >= {args.precision}: {chosen}; calibration {calibration}; wrote {dest}")


if __name__ == "__main__":
    main()
