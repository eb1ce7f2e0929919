"""Is a claim of a ChatGPT PolitiFact version supported by one original sentence, or only by a
passage? (issue 11: why faithful PolitiFact versions stay "added")

    python bench/passage_probe.py [--model DIR] [--articles 25]

For held-half stories (fit_risk.held_out), faithful (paraphrase/rewrite) and manipulated
versions: each of a version's first 12 sentences is paired with the original's closest
sentence by embedding cosine, and with a window of that sentence and its neighbours; the
share with p(supports) >= 0.5 is reported for each. Results: bench/results/passage-probe-<date>[-tag].json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
FAITHFUL = ("paraphrase_generation", "rewrite_generation")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--articles", type=int, default=25)
    ap.add_argument("--tag", default="")
    args = ap.parse_args()
    folder = args.data / "articles" / "llmfake-politifact"
    if not folder.is_dir():
        sys.exit(f"{folder}: absent (see ../shared/data/README.md)")
    from fit_risk import held_out
    from politifact import read

    from corroborator.runtime.embedder import default_embedder
    from corroborator.text.sentences import segment_many
    from corroborator.verify import default_verifier
    from corroborator.verify.onnx_verifier import OnnxVerifier

    originals, versions = read(folder)
    embedder = default_embedder()
    verifier = OnnxVerifier(args.model) if args.model else default_verifier()
    col = verifier.labels.index("supports")

    def supports(pairs: list[tuple[str, str]]) -> np.ndarray:
        return verifier.probabilities(pairs)[:, col]

    def sentences(text: str) -> list[str]:
        return [text[a:b].strip() for a, b in next(segment_many([text])) if len(text[a:b].split()) >= 5]

    rng = random.Random(1)
    result = {"date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
              "command": "python bench/passage_probe.py " + " ".join(sys.argv[1:]),
              "verifier": verifier.info.model_dump()}
    for name, keep in (("faithful", lambda m: m in FAITHFUL), ("manipulated", lambda m: m not in FAITHFUL + ("open_ended_generation",))):
        pool = [v for v in versions if keep(v["method"]) and held_out(v["news_id"])]
        single, window, pairs2, top3 = [], [], [], []
        for v in rng.sample(pool, min(args.articles, len(pool))):
            orig, claims = sentences(originals[v["news_id"]]), sentences(v["text"])[:12]
            if not orig or not claims:
                continue
            sims = np.asarray(embedder.embed(claims)) @ np.asarray(embedder.embed(orig)).T
            best = sims.argmax(1)
            single += list(supports([(orig[j], c) for c, j in zip(claims, best)]))
            window += list(supports([(" ".join(orig[max(0, j - 1): j + 2]), c) for c, j in zip(claims, best)]))
            # the pipeline's passages (verify.passages): the sentence with the one before, and
            # with the one after; the best of them and the sentence alone
            before = supports([(" ".join(orig[max(0, j - 1): j + 1]), c) for c, j in zip(claims, best)])
            after = supports([(" ".join(orig[j: j + 2]), c) for c, j in zip(claims, best)])
            pairs2 += list(np.maximum(before, after))
            # the best of the three closest sentences, each alone or with a neighbour
            best3 = []
            for c, row in zip(claims, sims):
                cands = [int(j) for j in np.argsort(-row)[:3]]
                prem = [orig[j] for j in cands] + [" ".join(orig[max(0, j - 1): j + 1]) for j in cands] \
                    + [" ".join(orig[j: j + 2]) for j in cands]
                best3.append(float(supports([(p, c) for p in prem]).max()))
            top3 += best3
        s, w, p2, t3 = np.array(single), np.array(window), np.array(pairs2), np.array(top3)
        result[name] = {"sentences": len(s), "supported_by_closest_sentence": round(float((s >= 0.5).mean()), 3),
                        "supported_by_window": round(float((w >= 0.5).mean()), 3),
                        "supported_by_either": round(float((np.maximum(s, w) >= 0.5).mean()), 3),
                        "supported_by_sentence_or_two_sentence_passage": round(float((np.maximum(s, p2) >= 0.5).mean()), 3),
                        "supported_by_best_of_3_closest_passages": round(float((t3 >= 0.5).mean()), 3),
                        "median_best_of_3": round(float(np.median(t3)), 3)}
    out = HERE / "results" / f"passage-probe-{result['date']}{'-' + args.tag if args.tag else ''}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("faithful", "manipulated")}, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
