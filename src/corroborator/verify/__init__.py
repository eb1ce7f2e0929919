"""Verifiers: (claim, evidence) -> probabilities of supports / refutes / neutral.

``default_verifier`` returns the trained ONNX model when one ships in the package
(models/verifier/), else the interim baseline, which says so in every report.
"""

from __future__ import annotations

from typing import Protocol

from corroborator.domain import Candidate, Claim, StanceProbs, VerifierInfo


class Verifier(Protocol):
    info: VerifierInfo
    needs_similarity: bool  # whether predict() reads Candidate.dense_similarity

    def predict(self, pairs: list[tuple[Claim, Candidate]]) -> list[StanceProbs]:
        ...


def default_verifier() -> Verifier:
    from corroborator.verify.onnx_verifier import OnnxVerifier, packaged_model_dir

    model_dir = packaged_model_dir()
    if (model_dir / "model.onnx").is_file():
        return OnnxVerifier(model_dir)
    from corroborator.verify.baseline import BaselineVerifier

    return BaselineVerifier()
