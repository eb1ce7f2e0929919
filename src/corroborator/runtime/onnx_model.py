"""Loading a packaged transformer model folder (model.onnx, tokenizer.json, meta.json) for
ONNX Runtime: one place for the session options, the tokenizer set-up and the load errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

from corroborator.errors import ModelError


def load_model_dir(model_dir: Path, what: str, default_max_tokens: int, stride: int = 0,
                   threads: int | None = None, labels: bool = True):
    """(meta, tokenizer, session) of a model folder; any load failure is a one-line ModelError.
    The tokenizer truncates at meta["max_tokens"] (long inputs overflow into windows of
    ``stride`` shared tokens) and does not pad: batches are padded by batching.padded_batches.
    ``labels``: meta.json must name the output labels (classifiers; not the embedder)."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    try:
        meta = json.loads((model_dir / "meta.json").read_text())
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if os.environ.get("CORROBORATOR_ORT_SPINNING") == "0":
            # idle intra-op threads otherwise spin for a while after each run: good for one
            # process's latency, CPU taken from everyone else in a server with worker processes
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = ort.InferenceSession(str(model_dir / "model.onnx"), opts, providers=["CPUExecutionProvider"])
        names = list(meta["labels"]) if labels else list(meta.get("labels", []))
    except Exception as exc:  # missing files, bad meta.json, onnxruntime's own load errors
        raise ModelError(f"cannot load {what} model from {model_dir}: {exc}") from None
    tokenizer.enable_truncation(max_length=int(meta.get("max_tokens", default_max_tokens)), stride=stride)
    tokenizer.no_padding()
    meta["labels"] = names
    return meta, tokenizer, session
