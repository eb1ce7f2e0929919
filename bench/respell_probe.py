"""How often the shipped verifier calls held-out passage pairs refutes, before and after names
spelt differently are written the claim's way (verify/spelling.py), per kind.

    python bench/respell_probe.py [--pairs train/work/passages4/heldout.jsonl]

Writes bench/results/respell-probe-<date>.json."""

import argparse
import os
import platform
import time
import json
import random
from collections import defaultdict
from pathlib import Path
from corroborator.verify.onnx_verifier import OnnxVerifier
from corroborator.verify.spelling import respelled

HERE = Path(__file__).resolve().parent
ap = argparse.ArgumentParser()
ap.add_argument("--pairs", type=Path, default=HERE.parent / "train" / "work" / "passages4" / "heldout.jsonl")
args = ap.parse_args()
v = OnnxVerifier(HERE.parent / "src" / "corroborator" / "models" / "verifier")
by = defaultdict(list)
for l in open(args.pairs):
    r = json.loads(l); by[(r["label"], r["kind"])].append(r)
rng = random.Random(5); rows = []
for k in sorted(by): rows += rng.sample(by[k], min(400, len(by[k])))
P = v.probabilities([(r["premise"], r["hypothesis"]) for r in rows])
f = v.labels.index("refutes")
changed = [(i, respelled(rows[i]["hypothesis"], rows[i]["premise"])) for i in range(len(rows)) if P[i].argmax() == f]
changed = [(i, p) for i, p in changed if p]
Q = v.probabilities([(p, rows[i]["hypothesis"]) for i, p in changed]) if changed else []
newP = P.copy()
for (i, _), q in zip(changed, Q):
    if q[f] < newP[i][f]:
        newP[i] = q
kinds = defaultdict(lambda: [0, 0, 0])
for r, a, b in zip(rows, P, newP):
    k = f'{r["label"]}/{r["kind"]}'
    kinds[k][0] += 1; kinds[k][1] += a.argmax() == f; kinds[k][2] += b.argmax() == f
for k, (n, a, b) in sorted(kinds.items()):
    print(f"{k:40s} n={n:4d} called refutes {a/n:.3f} -> {b/n:.3f}")
print("re-verified pairs:", len(changed))
result = {"date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
          "command": "python bench/respell_probe.py", "verifier": v.info.version, "re_verified": len(changed),
          "called_refutes": {k: {"n": n, "before": round(a / n, 3), "after": round(b / n, 3)}
                             for k, (n, a, b) in sorted(kinds.items())}}
out = HERE / "results" / f"respell-probe-{result['date']}.json"
out.write_text(json.dumps(result, indent=1) + "\n")
print(f"wrote {out}")
