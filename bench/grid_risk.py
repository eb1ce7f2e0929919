"""Choose risk weights by a grid search on the fitting half of LLMFake, under demo constraints.

    python bench/llmfake.py --generators all --per-dataset 40 --work bench/work/llmfake
    python bench/grid_risk.py [--features bench/work/llmfake/features.jsonl]

Searched: the weights of loaded_language_share, support_strength and unmatched_share, and the
cosine below which a claim counts as unmatched (assess.RESTATED); the other weights stay as
assess.py has them. A point is allowed only if the demo's invented-details article
(check-001) scores at least --demo-high and its on-record article (check-002) at most
--demo-low: LLMFake has no articles that mix real reporting with invented details, the case
the tool exists for, so the demo stands in for it. Among allowed points the best AUROC
(open-ended vs paraphrase/rewrite) on the fitting half of the --fit-generators rows wins
(fit_risk.held_out decides the halves: the held-out half is never looked at here; score the
chosen weights on it with bench/fit_risk.py). Ties go to the smaller weights. Results:
bench/results/risk-grid-<date>.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from corroborator.assess import share_unmatched
from fit_risk import held_out
from llmfake import auroc

HERE = Path(__file__).resolve().parent
DEMO_HIGH, DEMO_LOW = "check-001", "check-002"


def demo_rows() -> dict[str, dict]:
    """Factor values and per-claim closest cosines of the demo's check articles, checked
    against a fresh store of the demo corpus."""
    from importlib import resources

    from corroborator.assess import closest_restatements
    from corroborator.embed import default_embedder
    from corroborator.ingest import read_file
    from corroborator.pipeline import Checker, Indexer, open_for_check, open_for_index

    demo = Path(str(resources.files("corroborator") / "demo"))
    embedder = default_embedder()
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_for_index(Path(tmp) / "store", embedder)
        try:
            Indexer(store, embedder).run([demo / "corpus"])
        finally:
            store.close()
        store = open_for_check(Path(tmp) / "store", embedder)
        checker = Checker(store, embedder)
        for path in sorted((demo / "check").iterdir()):
            for article in read_file(path):
                report = checker.check(article)
                out[path.name[:9]] = {
                    "factors": {f.name: f.value for f in report.summary.risk_factors},
                    "claim_best_similarity": closest_restatements(report.claims),
                }
        store.close()
    return out


def values(row: dict, threshold: float) -> dict[str, float]:
    return dict(row["factors"], unmatched_share=share_unmatched(row["claim_best_similarity"], threshold))


def risk(factors: dict[str, float], weights: dict[str, float], bias: float) -> float:
    return 1.0 / (1.0 + math.exp(-(bias + sum(w * factors.get(n, 0.0) for n, w in weights.items()))))


def main() -> None:
    from corroborator.assess import BIAS, WEIGHTS

    ap = argparse.ArgumentParser()
    ap.add_argument("--features", type=Path, default=HERE / "work" / "llmfake" / "features.jsonl")
    ap.add_argument("--fit-generators", nargs="+", default=["chatgpt_3.5_generation"])
    ap.add_argument("--thresholds", nargs="+", type=float, default=[0.65, 0.7, 0.75, 0.8])
    ap.add_argument("--unmatched", nargs="+", type=float, default=[0, 1, 2, 3, 4, 5, 6])
    ap.add_argument("--loaded", nargs="+", type=float, default=[1, 2, 3, 4])
    ap.add_argument("--support", nargs="+", type=float, default=[0, -1, -2, -3])
    ap.add_argument("--demo-high", type=float, default=0.7)
    ap.add_argument("--demo-low", type=float, default=0.2)
    args = ap.parse_args()

    rows = [json.loads(line) for line in args.features.open(encoding="utf-8")]
    if not all("claim_best_similarity" in r for r in rows):
        sys.exit(f"{args.features}: rows lack claim_best_similarity; re-run bench/llmfake.py")
    fit_rows = [r for r in rows if r["generator"] in args.fit_generators and not held_out(r["news_id"])]
    demo = demo_rows()
    points = []
    for t, wu, wl, ws in itertools.product(args.thresholds, args.unmatched, args.loaded, args.support):
        weights = dict(WEIGHTS, unmatched_share=wu, loaded_language_share=wl, support_strength=ws)
        d = {k: round(risk(values(v, t), weights, BIAS), 4) for k, v in demo.items()}
        allowed = d[DEMO_HIGH] >= args.demo_high and d[DEMO_LOW] <= args.demo_low
        scored = [(r["method"] == "open_ended_generation", risk(values(r, t), weights, BIAS)) for r in fit_rows]
        a = auroc([s for y, s in scored if y], [s for y, s in scored if not y])
        points.append({"threshold": t, "unmatched_share": wu, "loaded_language_share": wl, "support_strength": ws,
                       "auroc_fit": a, "demo": d, "allowed": allowed})
    allowed = [p for p in points if p["allowed"]]
    allowed.sort(key=lambda p: (-p["auroc_fit"], abs(p["unmatched_share"]) + abs(p["loaded_language_share"])
                                + abs(p["support_strength"]), -p["threshold"]))
    result = {
        "date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "command": " ".join(["python bench/grid_risk.py", *sys.argv[1:]]), "features": str(args.features),
        "fit_generators": args.fit_generators, "fit_rows": len(fit_rows), "points": len(points), "allowed": len(allowed),
        "best": allowed[0] if allowed else None, "top": allowed[:10],
        "current": next((p for p in points if p["threshold"] == _current_threshold()
                         and p["unmatched_share"] == WEIGHTS.get("unmatched_share", 0)
                         and p["loaded_language_share"] == WEIGHTS["loaded_language_share"]
                         and p["support_strength"] == WEIGHTS["support_strength"]), None),
    }
    out = HERE / "results" / f"risk-grid-{result['date']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("fit_rows", "points", "allowed", "best", "current")}, indent=2))
    print(f"wrote {out}")


def _current_threshold() -> float:
    from corroborator.assess import RESTATED

    return RESTATED


if __name__ == "__main__":
    main()
