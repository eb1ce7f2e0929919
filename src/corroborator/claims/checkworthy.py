"""Check-worthiness: how likely a sentence states a fact worth checking, from a sentence
classifier on ONNX Runtime shipped as package data (models/checkworthy: model.onnx,
tokenizer.json, meta.json).

The model (train/train_checkworthy.py, MODEL_CARD_CHECKWORTHY.md) is all-MiniLM-L6-v2
fine-tuned on CheckThat! 2024 English (debate and speech lines, labelled check-worthy or
not). meta.json "threshold" is the score at or above which a sentence counts as
check-worthy; it was chosen on the CT24 dev split and our labelled news sentences' tune part
(bench/news_sentences.py), never on the parts reported as test.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from corroborator.runtime.batching import padded_batches
from corroborator.runtime.onnx_model import load_model_dir


def packaged_model_dir() -> Path:
    return Path(str(resources.files("corroborator") / "models" / "checkworthy"))


class OnnxCheckworthiness:
    def __init__(self, model_dir: Path, batch_size: int = 64) -> None:
        self.meta, self.tokenizer, self.session = load_model_dir(model_dir, "check-worthiness", default_max_tokens=96)
        self.threshold = float(self.meta.get("threshold", 0.5))
        self.batch_size = batch_size

    def scores(self, texts: list[str]) -> np.ndarray:
        """P(check-worthy) per text (a text past max_tokens is read from its start)."""
        out = np.zeros(len(texts), dtype=np.float32)
        if not texts:
            return out
        for idx, feeds in padded_batches(self.tokenizer.encode_batch(texts), self.batch_size):
            logits = self.session.run(None, feeds)[0].astype(np.float64)
            logits -= logits.max(axis=1, keepdims=True)
            probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
            out[idx] = probs[:, 1]
        return out


@lru_cache(maxsize=1)
def default_checkworthiness() -> OnnxCheckworthiness:
    """The packaged model, loaded once per process."""
    return OnnxCheckworthiness(packaged_model_dir())
