"""Sentence embedders: text -> unit-length float32 vectors."""

from __future__ import annotations

from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        ...


def default_embedder() -> Embedder:
    from .onnx_embedder import OnnxEmbedder

    return OnnxEmbedder.packaged()
