"""Verifier on the held-out news pairs of train/build_news.py (stories the verifier never saw).

    python bench/news_pairs_eval.py [--pairs train/work/news/heldout.jsonl] [--model DIR] [--tag v2]

Reported (issue 11 targets): identical sentences (a held-out original sentence beside itself:
must be support), paraphrase pairs (a paraphrase/rewrite sentence against its
original) median p(supports) and share called supports; minimal-edit contradictions: recall of
"refutes" per edit type, and precision over every held-out pair. Precision is given twice: on
the held-out mix as it is (edits outnumber the rest) and balanced (as if refutes were half the
pairs: recall / (recall + false-positive rate on the non-refute pairs)). A pair counts as
called refutes at argmax and, separately, at p(refutes) >= 0.65 (the aggregation's threshold).
Results: bench/results/news-pairs-<date>[-tag].json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
PARAPHRASE = {"paraphrase_generation", "rewrite_generation"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=Path, default=HERE.parent / "train" / "work" / "news" / "heldout.jsonl")
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--max-per-kind", type=int, default=400, help="sample at most N pairs per kind (speed)")
    ap.add_argument("--tag", default="")
    args = ap.parse_args()
    if not args.pairs.is_file():
        sys.exit(f"{args.pairs}: no held-out news pairs (run train/build_news.py)")
    from corroborator.verify import default_verifier
    from corroborator.verify.onnx_verifier import OnnxVerifier

    verifier = OnnxVerifier(args.model) if args.model else default_verifier()
    rows = [json.loads(line) for line in args.pairs.open(encoding="utf-8")]
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_kind[(r["label"], r["kind"])].append(r)
    rng = random.Random(5)
    sample = [r for key in sorted(by_kind) for r in rng.sample(by_kind[key], min(args.max_per_kind, len(by_kind[key])))]
    # a sentence beside itself must be support: the first v2 failed exactly this (DESIGN)
    same = sorted({r["premise"] for r in rows if r["source"] == "news-edit"})
    same = rng.sample(same, min(args.max_per_kind, len(same)))
    t0 = time.perf_counter()
    p = verifier.probabilities([(r["premise"], r["hypothesis"]) for r in sample])
    seconds = time.perf_counter() - t0
    pz = verifier.probabilities([(x, x) for x in same])
    col = {name: i for i, name in enumerate(verifier.labels)}
    sup, ref = p[:, col["supports"]], p[:, col["refutes"]]
    argmax_ref = p.argmax(1) == col["refutes"]
    thr_ref = ref >= 0.65
    is_ref = np.array([r["label"] == "refutes" for r in sample])
    is_edit = np.array([r["source"] == "news-edit" for r in sample])
    para = np.array([r["kind"] in PARAPHRASE for r in sample])

    def precision(called: np.ndarray) -> dict:
        tp = int((called & is_ref).sum())
        fp = int((called & ~is_ref).sum())
        recall = tp / max(1, int(is_ref.sum()))
        fpr = fp / max(1, int((~is_ref).sum()))
        return {"as_is": round(tp / max(1, tp + fp), 4), "balanced": round(recall / max(1e-9, recall + fpr), 4),
                "false_positive_rate": round(fpr, 4)}

    per_kind = {}
    for (label, kind), _ in sorted(by_kind.items()):
        m = np.array([r["label"] == label and r["kind"] == kind for r in sample])
        per_kind[f"{label}/{kind}"] = {
            "n": int(m.sum()), "median_p_supports": round(float(np.median(sup[m])), 4),
            "median_p_refutes": round(float(np.median(ref[m])), 4),
            "called_refutes_argmax": round(float(argmax_ref[m].mean()), 4),
            "called_supports_argmax": round(float((p[m].argmax(1) == col["supports"]).mean()), 4),
        }
    result = {
        "date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "command": "python bench/news_pairs_eval.py " + " ".join(sys.argv[1:]), "verifier": verifier.info.model_dump(),
        "pairs": len(sample), "pairs_per_s": round(len(sample) / seconds, 1),
        "paraphrase": {"n": int(para.sum()), "median_p_supports": round(float(np.median(sup[para])), 4),
                       "share_called_supports": round(float((p[para].argmax(1) == col["supports"]).mean()), 4)},
        "identical_sentences": {"n": len(same), "median_p_supports": round(float(np.median(pz[:, col["supports"]])), 4),
                                "share_called_supports": round(float((pz.argmax(1) == col["supports"]).mean()), 4)},
        "minimal_edits": {"n": int(is_edit.sum()), "recall_argmax": round(float(argmax_ref[is_edit].mean()), 4),
                          "recall_at_0.65": round(float(thr_ref[is_edit].mean()), 4),
                          "precision_argmax": precision(argmax_ref), "precision_at_0.65": precision(thr_ref)},
        "per_kind": per_kind,
    }
    out = HERE / "results" / f"news-pairs-{result['date']}{'-' + args.tag if args.tag else ''}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("paraphrase", "identical_sentences", "minimal_edits")}, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
