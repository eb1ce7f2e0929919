"""Fit the risk weights (assess.py) on LLMFake checks, with news ids held out.

    python bench/llmfake.py --generators all --per-dataset 40 --work bench/work/llmfake   # writes features.jsonl
    python bench/fit_risk.py [--features bench/work/llmfake/features.jsonl]

Rows: one checked generated article each, with the risk factors the pipeline computed.
Label: 1 for open-ended generations (invented details), 0 for paraphrases and rewrites
(faithful to an archived original). Split by news id (a stable hash, half and half), so no
story is on both sides. Model: L2-regularised logistic regression on the factor values
(numpy, full-batch gradient descent), the same form as assess.risk, so the fitted bias and
weights drop straight into assess.py. Reported: held-out AUROC with the current weights
(assess.py, "current") and with the fitted ones, per generator/dataset and overall, plus the
current weights on all ids of each set. Results:
bench/results/risk-fit-<date>.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from llmfake import auroc

HERE = Path(__file__).resolve().parent


def held_out(news_id: str) -> bool:
    return int(hashlib.sha256(news_id.encode()).hexdigest(), 16) % 2 == 0


def fit(x: np.ndarray, y: np.ndarray, fixed: dict[int, float], l2: float = 0.01, steps: int = 20000,
        lr: float = 0.5, bias: float | None = None) -> tuple[float, np.ndarray]:
    """Logistic regression; columns in ``fixed`` keep their given weight (an offset), and a
    given ``bias`` stays fixed too."""
    w, b = np.zeros(x.shape[1]), 0.0 if bias is None else bias
    free = np.array([i not in fixed for i in range(x.shape[1])])
    for i, v in fixed.items():
        w[i] = v
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        grad_w = x.T @ (p - y) / len(y) + l2 * w
        grad_b = float((p - y).mean())
        w[free] -= lr * grad_w[free]
        if bias is None:
            b -= lr * grad_b
    return b, w


def main() -> None:
    from corroborator.assess import BIAS, RESTATED, WEIGHTS, share_unmatched

    ap = argparse.ArgumentParser()
    ap.add_argument("--features", type=Path, default=HERE / "work" / "llmfake" / "features.jsonl")
    ap.add_argument("--l2", type=float, default=0.01)
    ap.add_argument("--fit-generators", nargs="+", default=[], help="fit on these generators' rows only (default: all)")
    ap.add_argument("--bias", type=float, default=None, help="keep the intercept at this value")
    ap.add_argument("--fix", nargs="+", action="extend", default=[], metavar="NAME=WEIGHT",
                    help="keep these factors at a given weight (a factor the benchmark cannot inform)")
    args = ap.parse_args()
    rows = [json.loads(line) for line in args.features.open(encoding="utf-8")]
    for r in rows:  # unmatched_share at the shipped threshold, whatever it was when the checks ran
        if "claim_best_similarity" in r:
            r["factors"]["unmatched_share"] = share_unmatched(r["claim_best_similarity"], RESTATED)
    names = list(WEIGHTS)
    x = np.array([[r["factors"].get(n, 0.0) for n in names] for r in rows])
    y = np.array([1.0 if r["method"] == "open_ended_generation" else 0.0 for r in rows])
    test = np.array([held_out(r["news_id"]) for r in rows])
    fixed = {names.index(k): float(v) for k, v in (f.split("=", 1) for f in args.fix)}
    use = ~test & np.array([not args.fit_generators or r["generator"] in args.fit_generators for r in rows])
    b, w = fit(x[use], y[use], fixed, l2=args.l2, bias=args.bias)
    current = x @ np.array([WEIGHTS[n] for n in names]) + BIAS
    fitted = x @ w + b

    method = np.array([r["method"] for r in rows])

    def scores(mask: np.ndarray) -> dict:
        pos, neg = mask & (y == 1), mask & (y == 0)
        out = {"n": int(mask.sum()), "ids": len({rows[i]["news_id"] for i in np.flatnonzero(mask)}),
               "auroc_current": auroc(list(current[pos]), list(current[neg])),
               "auroc_fitted": auroc(list(fitted[pos]), list(fitted[neg]))}
        for m in ("paraphrase_generation", "rewrite_generation"):
            out[f"auroc_current_vs_{m.split('_')[0]}"] = auroc(list(current[pos]), list(current[mask & (method == m)]))
            out[f"auroc_fitted_vs_{m.split('_')[0]}"] = auroc(list(fitted[pos]), list(fitted[mask & (method == m)]))
        return out

    groups: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(len(rows), dtype=bool))
    for i, r in enumerate(rows):
        groups[f"{r['generator']}/{r['dataset']}"][i] = True
    result = {
        "date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "command": " ".join(["python bench/fit_risk.py", *sys.argv[1:]]), "features": str(args.features), "rows": len(rows),
        "train_rows": int((~test).sum()), "test_rows": int(test.sum()), "l2": args.l2,
        "fitted": {"bias": round(b, 3), "weights": {n: round(float(v), 3) for n, v in zip(names, w)},
                   "fixed": sorted(names[i] for i in fixed)},
        "current": {"bias": BIAS, "weights": WEIGHTS},
        "fit_rows": int(use.sum()), "fit_generators": args.fit_generators or "all",
        "train": scores(use), "test": scores(test),
        "test_chatgpt": scores(test & np.array([r["generator"].startswith("chatgpt") for r in rows])),
        "test_per_set": {k: scores(m & test) for k, m in sorted(groups.items())},
        "all_ids_per_set": {k: scores(m) for k, m in sorted(groups.items())},
    }
    out = HERE / "results" / f"risk-fit-{result['date']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("fitted", "l2", "train", "test", "test_chatgpt", "test_per_set")}, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
