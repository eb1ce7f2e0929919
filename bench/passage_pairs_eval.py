"""Verifier on the held-out passage pairs of train/build_passages.py (stories no model trained on).

    python bench/passage_pairs_eval.py [--pairs train/work/passages/heldout.jsonl] [--model DIR] [--tag v3]

Issue 24's targets, per kind (at most --max-per-kind pairs each, sampled with a fixed seed):
paraphrase passages (supports/single, single-in-passage, multi) median p(supports) >= 0.85;
one-fact edits and stance reversals (refutes/edit-*, reversal) refute recall >= 0.80 at
precision >= 0.90, precision over every held-out pair sampled, argmax; other-story passages
(neutral/other-story) called supports <= 3 %. A reliability table (confidence of the most
probable label against accuracy, ECE) for one-sentence and longer premises. Results: bench/results/passage-pairs-<date>[-tag].json.
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=Path, default=HERE.parent / "train" / "work" / "passages" / "heldout.jsonl")
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--max-per-kind", type=int, default=400)
    ap.add_argument("--tag", default="")
    args = ap.parse_args()
    if not args.pairs.is_file():
        sys.exit(f"{args.pairs}: absent (run train/build_passages.py first)")
    from corroborator.verify import default_verifier
    from corroborator.verify.onnx_verifier import OnnxVerifier

    verifier = OnnxVerifier(args.model) if args.model else default_verifier()
    by_kind: dict[tuple, list[dict]] = defaultdict(list)
    for line in args.pairs.open(encoding="utf-8"):
        r = json.loads(line)
        by_kind[(r["label"], r["kind"])].append(r)
    rng = random.Random(5)
    rows = []
    for key in sorted(by_kind):
        rows += rng.sample(by_kind[key], min(args.max_per_kind, len(by_kind[key])))
    t0 = time.perf_counter()
    probs = verifier.probabilities([(r["premise"], r["hypothesis"]) for r in rows])
    seconds = time.perf_counter() - t0
    labels = verifier.labels
    s, f = labels.index("supports"), labels.index("refutes")
    pred = [labels[i] for i in probs.argmax(1)]
    kinds = {}
    for key in sorted(by_kind):
        idx = [i for i, r in enumerate(rows) if (r["label"], r["kind"]) == key]
        kinds[f"{key[0]}/{key[1]}"] = {
            "n": len(idx), "median_p_supports": round(float(np.median(probs[idx, s])), 3),
            "called_supports": round(sum(pred[i] == "supports" for i in idx) / len(idx), 3),
            "called_refutes": round(sum(pred[i] == "refutes" for i in idx) / len(idx), 3)}
    refute_kinds = [i for i, r in enumerate(rows) if r["label"] == "refutes"]
    said = [i for i, p in enumerate(pred) if p == "refutes"]
    tp = sum(rows[i]["label"] == "refutes" for i in said)
    paraphrase = [i for i, r in enumerate(rows) if r["label"] == "supports" and r["kind"] != "identity-in-passage"]
    other = [i for i, r in enumerate(rows) if r["kind"] == "other-story"]
    result = {"date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
              "command": "python bench/passage_pairs_eval.py " + " ".join(sys.argv[1:]),
              "verifier": verifier.info.model_dump(), "pairs": len(rows), "pairs_per_s": round(len(rows) / seconds, 1),
              "targets": {
                  "paraphrase_median_p_supports": round(float(np.median(probs[paraphrase, s])), 3) if paraphrase else None,
                  "refute_recall": round(tp / len(refute_kinds), 3) if refute_kinds else None,
                  "refute_precision": round(tp / len(said), 3) if said else None,
                  "other_story_called_supports": round(sum(pred[i] == "supports" for i in other) / len(other), 3) if other else None},
              "kinds": kinds}
    # reliability: the most probable label's probability against how often it is right, for
    # one-sentence and longer premises (is one temperature enough for both?)
    from corroborator.text.sentences import segment_many

    lengths = [len(spans) for spans in segment_many([r["premise"] for r in rows])]
    conf, right = probs.max(1), np.array([pred[i] == rows[i]["label"] for i in range(len(rows))])
    result["reliability"] = {}
    for name, keep in (("all", lambda n: True), ("one_sentence", lambda n: n <= 1), ("two_or_more", lambda n: n >= 2)):
        idx = np.array([i for i, n in enumerate(lengths) if keep(n)])
        if not len(idx):
            continue
        bins, ece = [], 0.0
        for lo, hi in ((0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)):
            sel = idx[(conf[idx] >= lo) & (conf[idx] < hi)]
            if len(sel):
                bins.append({"bin": f"{lo:.1f}-{min(hi, 1.0):.1f}", "n": int(len(sel)),
                             "mean_confidence": round(float(conf[sel].mean()), 3), "accuracy": round(float(right[sel].mean()), 3)})
                ece += len(sel) / len(idx) * abs(float(conf[sel].mean()) - float(right[sel].mean()))
        result["reliability"][name] = {"n": int(len(idx)), "accuracy": round(float(right[idx].mean()), 3),
                                       "ece": round(ece, 3), "bins": bins}
    out = HERE / "results" / f"passage-pairs-{result['date']}{'-' + args.tag if args.tag else ''}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["targets"], indent=1))
    print(json.dumps({k: (v["accuracy"], v["ece"]) for k, v in result["reliability"].items()}))
    print(json.dumps(kinds, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
