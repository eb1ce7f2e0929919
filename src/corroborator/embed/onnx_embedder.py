"""all-MiniLM-L6-v2 sentence embeddings on ONNX Runtime (int8, shipped as package data).

Throughput follows padded tokens, so texts are sorted by length and batched, and the
results put back in input order.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import numpy as np

from ..batching import padded_batches
from ..errors import ModelError


class OnnxEmbedder:
    def __init__(self, model_dir: Path, batch_size: int = 64, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_path, tok_path, meta_path = (model_dir / n for n in ("model.onnx", "tokenizer.json", "meta.json"))
        for p in (model_path, tok_path, meta_path):
            if not p.is_file():
                raise ModelError(f"embedding model file missing: {p} (reinstall corroborator)")
        self.meta = json.loads(meta_path.read_text())
        self.name = self.meta["name"]
        self.dim = int(self.meta["dim"])
        self.max_tokens = int(self.meta.get("max_tokens", 128))
        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(tok_path))
        self.tokenizer.enable_truncation(max_length=self.max_tokens)
        self.tokenizer.no_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            self.session = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise ModelError(f"cannot load embedding model {model_path}: {exc}") from None

    @classmethod
    def packaged(cls, **kwargs) -> "OnnxEmbedder":
        root = resources.files("corroborator") / "models" / "embedder"
        return cls(Path(str(root)), **kwargs)

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        for idx, feeds in padded_batches(self.tokenizer.encode_batch(texts), self.batch_size):
            out[idx] = self.session.run(None, feeds)[0]
        return out
