"""Rebuild a PyTorch checkpoint of the verifier from its shipped int8 ONNX file.

    python train/from_onnx.py [--onnx src/corroborator/models/verifier/model.onnx] [--out train/work/v1.pt]

Verifier v2 starts from the shipped v1 (issue 11), whose PyTorch checkpoint lived only on the
machine that trained it. The ONNX file holds every weight: the dynamically quantised ones as
int8/uint8 with a scale and zero point (per output channel for the MatMuls, per tensor for
the embedding tables), the rest (biases, LayerNorm) as float32. Dequantising, (q - zero) *
scale, gives the weights the shipped model actually computes with. MatMul weights are found
by the name of the node that uses them ("/bert/encoder/layer.0/attention/self/query/
MatMul_quant" -> bert.encoder.layer.0.attention.self.query.weight) and transposed into
torch's Linear layout. The script checks that the rebuilt model's logits match ONNX Runtime's
on a few pairs before writing the checkpoint (optimizer state empty, step 0).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from train_verifier import new_model, tensors, tokenizer

HERE = Path(__file__).resolve().parent
DEFAULT_ONNX = HERE.parent / "src" / "corroborator" / "models" / "verifier" / "model.onnx"


def dequantised_state(path: Path) -> dict[str, np.ndarray]:
    graph = onnx.load(str(path)).graph
    init = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    state: dict[str, np.ndarray] = {}
    for name, value in init.items():
        if value.dtype == np.float32 and not name.endswith(("_scale",)) and not name.startswith("onnx::"):
            state[name] = value
    for name in [n for n in init if n.endswith("_quantized") and not n.startswith("onnx::")]:
        base = name.removesuffix("_quantized")  # embedding tables and the head
        q = init[name].astype(np.float32)
        w = (q - init[base + "_zero_point"].astype(np.float32)) * init[base + "_scale"]
        state[base] = w.T if base == "head.weight" else w
    for node in graph.node:
        if node.op_type != "MatMulInteger" or not node.input[1].startswith("onnx::"):
            continue
        base = node.input[1].removesuffix("_quantized")
        module = node.name.removesuffix("/MatMul_quant").strip("/").replace("/", ".")
        q = init[node.input[1]].astype(np.float32)  # [in, out], per output channel
        w = (q - init[base + "_zero_point"].astype(np.float32)) * init[base + "_scale"]
        state[module + ".weight"] = w.T
    return state


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", type=Path, default=DEFAULT_ONNX)
    ap.add_argument("--out", type=Path, default=HERE / "work" / "v1.pt")
    args = ap.parse_args()
    model = new_model()
    own = model.state_dict()
    loaded = {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in dequantised_state(args.onnx).items()}
    missing = [k for k in own if k not in loaded and not k.endswith("position_ids") and ".pooler." not in k]  # pooler unused: mean pooling
    extra = [k for k in loaded if k not in own]
    if missing or extra:
        raise SystemExit(f"weights do not line up: missing {missing[:5]}, extra {extra[:5]}")
    for k, v in loaded.items():
        if tuple(own[k].shape) != tuple(v.shape):
            raise SystemExit(f"{k}: shape {tuple(v.shape)} vs {tuple(own[k].shape)}")
    model.load_state_dict(loaded, strict=False)
    model.eval()

    import onnxruntime as ort

    pairs = [("The drill involved two B-52 bombers.", "Two bombers took part in the drill."),
             ("The strike began on Monday with 1,800 dockworkers.", "More than 5,000 dockworkers went on strike."),
             ("The minister said the budget would pass.", "The weather in Paris was sunny.")]
    enc = tokenizer().encode_batch(pairs)
    feeds = {k: v.numpy() for k, v in tensors(enc, list(range(len(enc)))).items()}
    ref = ort.InferenceSession(str(args.onnx), providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    with torch.no_grad():
        got = model(**{k: torch.from_numpy(v) for k, v in feeds.items()}).numpy()
    softmax = lambda z: np.exp(z - z.max(1, keepdims=True)) / np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)  # noqa: E731
    gap = float(np.abs(softmax(ref) - softmax(got)).max())
    print("onnx probs", np.round(softmax(ref), 3).tolist())
    print("torch probs", np.round(softmax(got), 3).tolist(), "max gap", round(gap, 4))
    if gap > 0.05:
        raise SystemExit(f"rebuilt model disagrees with the ONNX file (probability gap {gap:.3f})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"model": model.state_dict(), "state": {"step": 0, "epoch": 0, "batch": 0, "log": [], "from": str(args.onnx.name)}},
               args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
