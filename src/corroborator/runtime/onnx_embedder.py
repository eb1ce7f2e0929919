"""all-MiniLM-L6-v2 sentence embeddings on ONNX Runtime (int8, shipped as package data).

Throughput follows padded tokens, so texts are sorted by length and batched, and the
results put back in input order.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np

from corroborator.errors import ModelError
from corroborator.runtime.batching import padded_batches
from corroborator.runtime.onnx_model import load_model_dir


class OnnxEmbedder:
    def __init__(self, model_dir: Path, batch_size: int = 64, threads: int | None = None) -> None:
        self.meta, self.tokenizer, self.session = load_model_dir(model_dir, "embedding", default_max_tokens=128,
                                                                 threads=threads, labels=False)
        try:
            self.name = self.meta["name"]
            self.dim = int(self.meta["dim"])
        except (KeyError, ValueError) as exc:
            raise ModelError(f"cannot load embedding model from {model_dir}: bad meta.json ({exc})") from None
        self.max_tokens = int(self.meta.get("max_tokens", 128))
        self.batch_size = batch_size

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
