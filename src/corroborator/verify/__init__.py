"""Verifiers: (claim, evidence) -> probabilities of supports / refutes / neutral.

``default_verifier`` returns the trained ONNX model when one ships in the package
(models/verifier/), else the interim baseline, which says so in every report.
``$CORROBORATOR_VERIFIER_MODEL`` names another model folder (same files: model.onnx,
tokenizer.json, meta.json): how a candidate is measured through the real ``check`` path.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from corroborator.domain import Candidate, Claim, StanceProbs, VerifierInfo


class Verifier(Protocol):
    info: VerifierInfo
    needs_similarity: bool  # whether predict() reads Candidate.dense_similarity

    def predict(self, pairs: list[tuple[Claim, Candidate]]) -> list[StanceProbs]:
        ...


def default_verifier() -> Verifier:
    from corroborator.verify.onnx_verifier import OnnxVerifier, packaged_model_dir

    override = os.environ.get("CORROBORATOR_VERIFIER_MODEL")
    if override:
        from corroborator.errors import ModelError

        if not (Path(override) / "model.onnx").is_file():
            raise ModelError(f"CORROBORATOR_VERIFIER_MODEL={override}: no model.onnx in that folder")
        return OnnxVerifier(Path(override))
    model_dir = packaged_model_dir()
    if (model_dir / "model.onnx").is_file():
        return OnnxVerifier(model_dir)
    from corroborator.verify.baseline import BaselineVerifier

    return BaselineVerifier()


# --- the verifiers by name (corroborator.registry.verifiers; Settings.verifier) -----------------


def _onnx(settings=None) -> Verifier:
    from corroborator.errors import ModelError
    from corroborator.verify.onnx_verifier import OnnxVerifier, packaged_model_dir

    folder = Path(os.environ.get("CORROBORATOR_VERIFIER_MODEL") or packaged_model_dir())
    if not (folder / "model.onnx").is_file():
        raise ModelError(f"no verifier model in {folder} (model.onnx)")
    return OnnxVerifier(folder)


def _baseline(settings=None) -> Verifier:
    from corroborator.verify.baseline import BaselineVerifier

    return BaselineVerifier()


def _register() -> None:
    from corroborator.registry import verifiers

    verifiers.register("auto", lambda settings=None: default_verifier())  # the trained model if one ships
    verifiers.register("onnx", _onnx)
    verifiers.register("baseline", _baseline)
    verifiers.register("openai-chat", _openai_chat)  # off by default: a chat model the user runs (verify/openai_chat.py)


def _openai_chat(settings=None) -> Verifier:
    from corroborator.verify.openai_chat import from_environment

    return from_environment(settings)


_register()
