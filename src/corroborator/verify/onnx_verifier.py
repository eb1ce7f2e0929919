"""A cross-encoder verifier on ONNX Runtime, loaded from package data.

The model folder holds model.onnx, tokenizer.json and meta.json, where meta.json gives
the name, version, the label order of the logits (any order of "supports", "refutes",
"neutral"), the maximum sequence length and the calibration temperature. Inputs are the
pair (evidence, claim) encoded as one sequence: evidence first, as the premise.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np

from corroborator.domain import Candidate, Claim, StanceProbs, VerifierInfo
from corroborator.errors import ModelError
from corroborator.runtime.batching import padded_batches
from corroborator.runtime.onnx_model import load_model_dir


def packaged_model_dir() -> Path:
    return Path(str(resources.files("corroborator") / "models" / "verifier"))


class OnnxVerifier:
    needs_similarity = False
    def __init__(self, model_dir: Path, batch_size: int = 32) -> None:
        meta, self.tokenizer, self.session = load_model_dir(model_dir, "verifier", default_max_tokens=256)
        self.labels: list[str] = meta["labels"]
        if sorted(self.labels) != ["neutral", "refutes", "supports"]:
            raise ModelError(f"verifier meta.json labels must be supports/refutes/neutral, got {self.labels}")
        self.temperature = float(meta.get("temperature", 1.0))
        self.batch_size = batch_size
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.info = VerifierInfo(
            name=meta.get("name", "onnx-verifier"), version=str(meta.get("version", "0")), interim=False,
            note=meta.get("note", ""),
        )

    def logits(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        if not pairs:
            return out
        for idx, feeds in padded_batches(self.tokenizer.encode_batch(pairs), self.batch_size):
            feeds = {k: v for k, v in feeds.items() if k in self.input_names}
            out[idx] = self.session.run(None, feeds)[0]
        return out

    def probabilities(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Calibrated probabilities of (premise, hypothesis) pairs, columns in ``self.labels`` order."""
        logits = self.logits(pairs) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return probs / probs.sum(axis=1, keepdims=True)

    def predict(self, pairs: list[tuple[Claim, Candidate]]) -> list[StanceProbs]:
        probs = self.probabilities([(cand.sentence, claim.text) for claim, cand in pairs])
        col = {name: i for i, name in enumerate(self.labels)}
        return [
            StanceProbs(supports=float(p[col["supports"]]), refutes=float(p[col["refutes"]]), neutral=float(p[col["neutral"]]))
            for p in probs
        ]
