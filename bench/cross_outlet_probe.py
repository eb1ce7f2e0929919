"""Does the verifier read another outlet's wording of the same fact as a contradiction?

    python bench/cross_outlet_probe.py [--model DIR] [--tag v2c]

The news-trained v2b candidate did ("The port handled ..." beside "The Port of Kestrel Bay
handled ..." refutes 0.92) while scoring well on its own held-out pairs, so shipping a verifier
is gated on this probe too. It is built from FNC-1 *competition test* bodies and headlines,
which no verifier of ours trained on (v1's mix and train/build_spec.py use the training
bodies only):

- cross-outlet sentences: two different bodies filed under one headline (stance agree or
  discuss), a sentence of one beside the closest sentence of the other when they say the same
  thing by rule (cosine >= 0.85, the same numbers, no capitalised name the premise lacks).
  A verifier should not call these refutes.
- shared quotes: sentences of two different bodies of one story that quote the same words in
  different framing ('X said in a statement that "..."' beside '"...," X said'); should support.
  Added after v2d/v2e split the demo's official quotes across outlets.
- headlines: a headline beside the body sentence closest to it; agree -> should support,
  disagree -> should refute (the body disputes the headline).

Results: bench/results/cross-outlet-<date>[-tag].json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "train"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--max-pairs", type=int, default=600)
    ap.add_argument("--tag", default="")
    args = ap.parse_args()
    root = args.data / "train" / "fnc1" / "FNC"
    if not root.is_dir():
        sys.exit(f"{root}: FNC-1 is absent (see ../shared/data/README.md)")
    import build_spec  # train/build_spec.py: the same rule for "says the same thing"

    from corroborator.runtime.embedder import default_embedder
    from corroborator.verify import default_verifier
    from corroborator.verify.onnx_verifier import OnnxVerifier

    rng = random.Random(3)
    verifier = OnnxVerifier(args.model) if args.model else default_verifier()
    embedder = default_embedder()
    files = [("FNC/competition_test_bodies.csv", "FNC/competition_test_stances.csv")]
    groups = build_spec.story_groups(root.parent, files, "test:")
    cross = build_spec.cross_outlet(groups, embedder, rng, per_story=4)
    rng.shuffle(cross)
    cross = cross[: args.max_pairs]
    qrng = random.Random(4)  # its own draw: the other samples stay what earlier runs saw
    quotes = build_spec.shared_quotes(groups, qrng, per_story=2)
    qrng.shuffle(quotes)
    quotes = quotes[: args.max_pairs // 2]

    bodies = build_spec._bodies(root / "competition_test_bodies.csv")
    with (root / "competition_test_stances.csv").open(encoding="utf-8", errors="replace", newline="") as fh:
        stances = [r for r in csv.DictReader(fh) if r["Stance"] in ("agree", "disagree") and r["Body ID"] in bodies]
    rng.shuffle(stances)
    stances = [r for r in stances if r["Stance"] == "disagree"][: args.max_pairs // 2] + \
        [r for r in stances if r["Stance"] == "agree"][: args.max_pairs // 2]
    import build_news

    headline_pairs = []
    for r, sents in zip(stances, build_news.sentences([bodies[r["Body ID"]][:6000] for r in stances])):
        if not sents:
            continue
        sims = np.asarray(embedder.embed(sents), dtype=np.float32) @ np.asarray(embedder.embed([r["Headline"]]), dtype=np.float32)[0]
        headline_pairs.append((sents[int(sims.argmax())], r["Headline"], r["Stance"]))

    col = {name: i for i, name in enumerate(verifier.labels)}
    pc = verifier.probabilities([(p, h) for _, p, h in cross])
    pq = verifier.probabilities([(p, h) for _, p, h in quotes])
    ph = verifier.probabilities([(p, h) for p, h, _ in headline_pairs])
    agree = np.array([s == "agree" for _, _, s in headline_pairs])

    def share(p: np.ndarray, label: str) -> float:
        return round(float((p.argmax(1) == col[label]).mean()), 4) if len(p) else 0.0

    result = {
        "date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "command": "python bench/cross_outlet_probe.py " + " ".join(sys.argv[1:]), "verifier": verifier.info.model_dump(),
        "cross_outlet_sentences": {"n": len(cross), "stories": len({h for h, _, _ in cross}),
                                   "median_p_supports": round(float(np.median(pc[:, col["supports"]])), 4),
                                   "called_supports": share(pc, "supports"), "called_refutes": share(pc, "refutes"),
                                   "called_neutral": share(pc, "neutral")},
        "shared_quotes": {"n": len(quotes), "median_p_supports": round(float(np.median(pq[:, col["supports"]])), 4),
                          "called_supports": share(pq, "supports"), "called_refutes": share(pq, "refutes"),
                          "called_neutral": share(pq, "neutral")},
        "headline_agree": {"n": int(agree.sum()), "median_p_supports": round(float(np.median(ph[agree, col["supports"]])), 4),
                           "called_supports": share(ph[agree], "supports"), "called_refutes": share(ph[agree], "refutes")},
        "headline_disagree": {"n": int((~agree).sum()), "called_refutes": share(ph[~agree], "refutes"),
                              "called_supports": share(ph[~agree], "supports")},
        "examples_called_refutes": [{"premise": p, "hypothesis": h, "p_refutes": round(float(pc[i, col["refutes"]]), 3)}
                                    for i, (_, p, h) in enumerate(cross) if pc[i].argmax() == col["refutes"]][:10],
    }
    out = HERE / "results" / f"cross-outlet-{result['date']}{'-' + args.tag if args.tag else ''}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("cross_outlet_sentences", "shared_quotes", "headline_agree", "headline_disagree")}, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
