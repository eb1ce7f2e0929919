"""Span precision/recall/F1 of the shipped propaganda tagger on the PTC articles kept back from
training and tuning (the README table).

    python bench/propaganda_eval.py [--data ../shared/data]   # -> bench/results/propaganda-eval-<date>.json

Same split and metric as train/export_propaganda.py (train/ptc.py), but it reads the model
and thresholds as shipped in src/corroborator/models/propaganda, so it checks what users run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "train"))
import ptc  # noqa: E402


def evaluate(folder: Path, part: str = "test", model: Path | None = None) -> dict:
    from corroborator.signals.propaganda import OnnxTechniqueTagger, default_tagger

    tagger = OnnxTechniqueTagger(model) if model else default_tagger()
    articles = ptc.split(ptc.load(folder))[part]
    start = time.perf_counter()
    cached = ptc.line_probabilities(tagger, articles)
    seconds = time.perf_counter() - start
    return {"part": part, "articles": len(articles), "model": tagger.meta.get("version"),
            "lines_per_s": round(sum(map(len, cached)) / seconds, 1),
            "scores": ptc.score(tagger, articles, cached),
            "shown": ptc.shown_scores(tagger, articles, cached)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--tag", default="", help="suffix of the results file")
    ap.add_argument("--tagger", type=Path, default=None, help="model folder (default: the packaged one)")
    args = ap.parse_args()
    result = {"date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
              "command": "python bench/propaganda_eval.py", **evaluate(args.data / "articles" / "propaganda", model=args.tagger)}
    out = HERE / "results" / f"propaganda-eval-{result['date']}{'-' + args.tag if args.tag else ''}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    for label, s in [*result["scores"].items(), ("as shown (all techniques)", result["shown"])]:
        print(f"{label:36s} P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}  char P {s['char_precision']:.3f} "
              f"R {s['char_recall']:.3f} F1 {s['char_f1']:.3f}  ({s['gold_spans']} gold spans)")
    print(f"{result['lines_per_s']} lines/s -> {out}")


if __name__ == "__main__":
    main()
