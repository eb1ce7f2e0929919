"""Verifier throughput, two models side by side (issue 24: within 20 % of v1).

    python bench/verifier_speed.py --model DIR [--rounds 3]

The shipped verifier and --model take turns on the same pairs (FEVER-Symmetric dev and the
held-out passage pairs, the two shapes `check` sends: one sentence, and a passage of 2-3), so
the machine's noise falls on both alike; the median pairs/s of each and their ratio are
reported. Results: bench/results/verifier-speed-<date>[-tag].json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tag", default="")
    args = ap.parse_args()
    from corroborator.verify import default_verifier
    from corroborator.verify.onnx_verifier import OnnxVerifier

    sets = {}
    fever = HERE / "work" / "eval" / "fever-symmetric.jsonl"
    passages = HERE.parent / "train" / "work" / "passages" / "heldout.jsonl"
    for name, path in (("fever-symmetric", fever), ("passages", passages)):
        if not path.is_file():
            sys.exit(f"{path}: absent (bench/convert_eval.py, train/build_passages.py)")
        rows = [json.loads(line) for line in path.open(encoding="utf-8")][:600]
        sets[name] = [(r.get("premise") or r.get("evidence"), r.get("hypothesis") or r.get("claim")) for r in rows]
    models = {"shipped": default_verifier(), "candidate": OnnxVerifier(args.model)}
    for v in models.values():
        v.probabilities(sets["fever-symmetric"][:32])  # warm-up
    rates: dict[str, dict[str, list[float]]] = {m: {s: [] for s in sets} for m in models}
    for _ in range(args.rounds):
        for s, pairs in sets.items():
            for m, v in models.items():
                t0 = time.perf_counter()
                v.probabilities(pairs)
                rates[m][s].append(len(pairs) / (time.perf_counter() - t0))
    result = {"date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
              "command": "python bench/verifier_speed.py " + " ".join(sys.argv[1:]),
              "models": {m: v.info.model_dump() for m, v in models.items()}, "sets": {}}
    for s in sets:
        med = {m: statistics.median(rates[m][s]) for m in models}
        result["sets"][s] = {"pairs": len(sets[s]), **{f"{m}_pairs_per_s": round(med[m], 1) for m in models},
                             "candidate_over_shipped": round(med["candidate"] / med["shipped"], 3)}
    out = HERE / "results" / f"verifier-speed-{result['date']}{'-' + args.tag if args.tag else ''}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["sets"], indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
