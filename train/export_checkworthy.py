"""Export the check-worthiness classifier to int8 ONNX and choose its thresholds.

    python train/export_checkworthy.py [--ckpt train/work/checkworthy.pt] [--out src/corroborator/models/checkworthy]

Then, with the runtime install (it needs the spaCy model for the rule baseline),
`python bench/checkworthy_eval.py --choose` picks the thresholds on CT24 dev and on the tune
part of our news labels, writes them into meta.json and reports CT24 dev-test and the news test
part (bench/results/checkworthy-<date>.json).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from onnx_export import export_int8, load_trained  # noqa: E402
from train_checkworthy import MAX_TOKENS, new_model  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", type=Path, default=HERE / "work" / "checkworthy.pt")
    ap.add_argument("--out", type=Path, default=HERE.parent / "src" / "corroborator" / "models" / "checkworthy")
    args = ap.parse_args()
    model, saved = load_trained(args.ckpt, new_model)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        export_int8(model, Path(tmp) / "fp32.onnx", args.out / "model.onnx")
    meta = {
        "name": "corroborator-checkworthy-minilm", "version": f"step{saved['state']['step']}",
        "labels": ["not_checkworthy", "checkworthy"], "max_tokens": MAX_TOKENS, "threshold": 0.5,
        "sha256": hashlib.sha256((args.out / "model.onnx").read_bytes()).hexdigest(),
        "exported": time.strftime("%Y-%m-%d"),
        "note": "MiniLM-L6 sentence classifier trained by train/train_checkworthy.py on CheckThat! 2024 "
                "English train; see MODEL_CARD_CHECKWORTHY.md",
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"exported {meta['version']} to {args.out}; next: python bench/checkworthy_eval.py --choose")


if __name__ == "__main__":
    main()
