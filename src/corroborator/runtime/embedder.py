"""Sentence embedders: text -> unit-length float32 vectors."""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        ...


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """The packaged embedder, loaded once per process."""
    from corroborator.runtime.onnx_embedder import OnnxEmbedder

    return OnnxEmbedder.packaged()
