"""Fit the risk weights (assess.py) on the development stories, with stories held out.

    python bench/llmfake.py --generators all --per-dataset 40      # -> bench/work/llmfake/features.jsonl
    python bench/politifact.py                                     # -> bench/work/politifact/features.jsonl
    python bench/fit_risk.py [--features F ...] [--bias -2.0]

Rows: one checked generated article each, with the risk factors the pipeline computed and
whether the archive covered its story. Label: 1 for fabricated versions (open-ended
generations and the six PolitiFact information manipulations), 0 for faithful ones
(paraphrase, rewrite). Split by story (a stable hash of the news id, half and half): weights
are fitted on the fitting half of every dataset, method and generator together, and scored on
the held half, which nothing here looks at before scoring. Model: logistic regression of the
same form as assess.risk, non-negative weights on the factors assess.WEIGHTS weights (a factor
may only raise risk: what they measure is suspicious content, never its absence), the archive's
factors multiplied by "covered" exactly as assess.risk does, and the bias fixed (--bias):
the bias is the risk of a clean article about an event the archive does not cover, which this
data (every story is archived) cannot inform, so it is set to keep that case low.
Reported: held-half AUROC (fabricated vs faithful) overall, per dataset/generator and per
method with the fitted and the current (assess.py) weights, and a calibration table of the
held half (predicted risk in tenths vs observed share fabricated). Results:
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
from pathlib import Path

import numpy as np
from llmfake import auroc

HERE = Path(__file__).resolve().parent
FAITHFUL = {"paraphrase_generation", "rewrite_generation"}


def held_out(news_id: str) -> bool:
    return int(hashlib.sha256(news_id.encode()).hexdigest(), 16) % 2 == 0


def fit(x: np.ndarray, y: np.ndarray, bias: float, l2: float = 0.001, steps: int = 20000, lr: float = 0.5,
        fixed: dict[int, float] | None = None) -> np.ndarray:
    """Logistic regression with a fixed bias and non-negative weights (projected gradient);
    columns in ``fixed`` keep their given weight."""
    fixed = fixed or {}
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + bias)))
        w -= lr * (x.T @ (p - y) / len(y) + l2 * w)
        np.maximum(w, 0.0, out=w)
        for i, v in fixed.items():
            w[i] = v
    return w


def regate(rows: list[dict], covered_min: float, story_min: float, names_min: float | None = None) -> None:
    """Recompute ``covered`` at other thresholds (record.is_covered) from each row's coverage,
    story similarity and distinctive-name share, and where that changes it, ``added_share`` and
    ``not_in_record_share`` from the per-claim record statuses: a claim without a counterpart is
    "added" (specific) or "not in the record" exactly when the story is covered, so this is what
    the pipeline would have said. Rows whose covered flag does not change keep the pipeline's
    own shares. claim_record entries: [status, cosine, specific, opinion] (older rows: the
    first two or three; without specificity every such claim counts as specific)."""
    for r in rows:
        if "claim_record" not in r or "story_similarity" not in r:
            continue
        covered = r["coverage"] >= covered_min or r["story_similarity"] >= story_min or (
            names_min is not None and r.get("story_names", 0.0) >= names_min)
        if covered == r.get("covered"):
            continue
        r["covered"] = covered
        records = [x for x in r["claim_record"] if not (len(x) > 3 and x[3])]  # opinion is never checked
        n = len(records)

        def share(kind: str) -> float:
            hit = sum(1 for status, _, *rest in records
                      if status == kind or status is None and ((not rest or rest[0]) == (kind == "added")))
            return hit / n if covered and n else 0.0

        r["factors"]["added_share"] = share("added")
        r["factors"]["not_in_record_share"] = share("not_in_record")


def design(rows: list[dict], names: list[str]) -> np.ndarray:
    from corroborator.assess.risk import ARCHIVE_FACTORS

    for r in rows:  # factors derived from a row's fields, for rows written before they existed
        if "story_departure" not in r["factors"] and "story_similarity" in r:
            r["factors"]["story_departure"] = 1.0 - r["story_similarity"]

    return np.array([[r["factors"].get(n, 0.0) * (1.0 if r.get("covered", True) or n not in ARCHIVE_FACTORS else 0.0)
                      for n in names] for r in rows])


def uncovered_scores(rows: list[dict], names: list[str], w: np.ndarray, bias: float, covered_min: float,
                     story_min: float, names_min: float | None = None) -> dict | None:
    """Risk of real articles about events their store does not cover, at the fitted weights."""
    rows = [dict(r, factors=dict(r["factors"])) for r in rows if r.get("claims")]
    if not rows:
        return None
    regate(rows, covered_min, story_min, names_min)
    p = 1 / (1 + np.exp(-(design(rows, names) @ w + bias)))
    return {"n": len(rows), "covered_share": round(float(np.mean([r["covered"] for r in rows])), 4),
            "median_risk": round(float(np.median(p)), 4), "share_risk_le_0.3": round(float((p <= 0.3).mean()), 4)}


def calibration(z: np.ndarray, y: np.ndarray) -> list[dict]:
    p = 1 / (1 + np.exp(-z))
    out = []
    for lo in np.arange(0, 1, 0.1):
        m = (p >= lo) & (p < lo + 0.1 if lo < 0.9 else p <= 1.0)
        if m.any():
            out.append({"risk": f"{lo:.1f}-{lo + 0.1:.1f}", "n": int(m.sum()), "mean_risk": round(float(p[m].mean()), 3),
                        "share_fabricated": round(float(y[m].mean()), 3)})
    return out


def main() -> None:
    from corroborator.assess.risk import BIAS, WEIGHTS

    ap = argparse.ArgumentParser()
    ap.add_argument("--features", type=Path, nargs="+",
                    default=[HERE / "work" / "llmfake" / "features.jsonl", HERE / "work" / "politifact" / "features.jsonl"])
    ap.add_argument("--l2", type=float, default=0.001)
    ap.add_argument("--bias", type=float, default=BIAS)
    ap.add_argument("--factors", nargs="+", default=[n for n, w in WEIGHTS.items() if w],
                    help="factors to fit (default: those assess.py weights)")
    ap.add_argument("--fix", nargs="+", default=[], metavar="NAME=WEIGHT",
                    help="keep these factors at a given weight (ones this data cannot inform, e.g. sourcing)")
    ap.add_argument("--covered-min", type=float, default=None, help="recompute coverage gating at this share (record.COVERED)")
    ap.add_argument("--story-min", type=float, default=None, help="... and this story similarity (record.STORY_COVERED)")
    ap.add_argument("--names-min", type=float, default=None,
                    help="... and this distinctive-name share (record.NAMES_HELD; -1: leave names out)")
    ap.add_argument("--uncovered", type=Path, default=HERE / "work" / "politifact" / "uncovered-dev.jsonl",
                    help="checks of real articles about uncovered events (bench/politifact.py --uncovered dev)")
    ap.add_argument("--tag", default="", help="results file risk-fit-<date>-TAG.json")
    args = ap.parse_args()
    from corroborator.corroborate.record import COVERED, NAMES_HELD, STORY_COVERED

    rows = [json.loads(line) for path in args.features if path.is_file() for line in path.open(encoding="utf-8")]
    rows = [r for r in rows if r.get("claims")]  # nothing to assess without claims
    if not rows:
        sys.exit("no feature rows: run bench/llmfake.py and bench/politifact.py first")
    covered_min = COVERED if args.covered_min is None else args.covered_min
    story_min = STORY_COVERED if args.story_min is None else args.story_min
    names_min = NAMES_HELD if args.names_min is None else (None if args.names_min < 0 else args.names_min)
    regate(rows, covered_min, story_min, names_min)
    uncovered = [json.loads(line) for line in args.uncovered.open(encoding="utf-8")] if args.uncovered.is_file() else []
    names = args.factors
    x = design(rows, names)
    y = np.array([0.0 if r["method"] in FAITHFUL else 1.0 for r in rows])
    test = np.array([held_out(r["news_id"]) for r in rows])
    fixed = {names.index(k): float(v) for k, v in (f.split("=", 1) for f in args.fix)}
    w = fit(x[~test], y[~test], args.bias, l2=args.l2, fixed=fixed)
    fitted = x @ w + args.bias
    current = design(rows, list(WEIGHTS)) @ np.array(list(WEIGHTS.values())) + BIAS
    method = np.array([r["method"] for r in rows])
    group = np.array([f"{r['generator']}/{r['dataset']}" for r in rows])

    def scores(mask: np.ndarray) -> dict:
        pos, neg = mask & (y == 1), mask & (y == 0)
        out = {"n": int(mask.sum()), "stories": len({rows[i]["news_id"] for i in np.flatnonzero(mask)}),
               "auroc_fitted": auroc(list(fitted[pos]), list(fitted[neg])),
               "auroc_current": auroc(list(current[pos]), list(current[neg]))}
        for m in sorted(set(method[pos])):
            sel = mask & (method == m)
            out[f"auroc_fitted_{m}"] = auroc(list(fitted[sel]), list(fitted[neg]))
        faithful_risk = 1 / (1 + np.exp(-fitted[neg]))
        out["faithful_median_risk_fitted"] = round(float(np.median(faithful_risk)), 4) if neg.any() else None
        shares = [rows[i].get("supported_share") for i in np.flatnonzero(neg) if rows[i].get("supported_share") is not None]
        out["faithful_median_supported_share"] = round(float(np.median(shares)), 4) if shares else None
        return out

    result = {
        "date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "command": " ".join(["python bench/fit_risk.py", *sys.argv[1:]]), "features": [str(p) for p in args.features],
        "rows": len(rows), "fit_rows": int((~test).sum()), "held_rows": int(test.sum()), "l2": args.l2,
        "fitted": {"bias": args.bias, "weights": {n: round(float(v), 3) for n, v in zip(names, w)}, "fixed": args.fix},
        "current": {"bias": BIAS, "weights": WEIGHTS},
        "fit": scores(~test), "held": scores(test),
        "held_per_set": {g: scores(test & (group == g)) for g in sorted(set(group))},
        "held_covered_share": round(float(np.mean([r.get("covered", False) for r, t in zip(rows, test) if t])), 4),
        "gating": {"covered_min": covered_min, "story_min": story_min, "names_min": names_min},
        "uncovered_real_articles": uncovered_scores(uncovered, names, w, args.bias, covered_min, story_min, names_min),
        "calibration_held_fitted": calibration(fitted[test], y[test]),
        "calibration_held_current": calibration(current[test], y[test]),
    }
    out = HERE / "results" / f"risk-fit-{result['date']}{'-' + args.tag if args.tag else ''}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("fitted", "gating", "fit", "held", "held_per_set", "uncovered_real_articles",
                                              "calibration_held_fitted")}, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
