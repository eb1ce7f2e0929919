"""The verifier's training mix (train/build_mix.py) on the real shared data."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from ..conftest import SHARED_DATA

pytestmark = pytest.mark.skipif(
    not (SHARED_DATA / "train").is_dir(), reason=f"shared data not found at {SHARED_DATA} (set CORROBORATOR_DATA)"
)


def _build_module():
    path = Path(__file__).resolve().parents[2] / "train" / "build_mix.py"
    spec = importlib.util.spec_from_file_location("build_mix", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mix_labels_splits_and_no_duplicates(tmp_path):
    summary = _build_module().build(SHARED_DATA, tmp_path, per_source=3000)
    assert set(summary["sources"]) == {"fever", "fnc_arc", "nli", "curriculum"}
    rows = {split: [json.loads(line) for line in (tmp_path / f"{split}.jsonl").open()] for split in ("train", "val")}
    assert rows["val"] and len(rows["train"]) == summary["train"]
    allowed = {"supports", "refutes", "neutral", "not_supports"}
    assert all(r["label"] in allowed and r["premise"] and r["hypothesis"] for r in rows["train"] + rows["val"])
    keys = [(r["premise"].lower(), r["hypothesis"].lower()) for r in rows["train"] + rows["val"]]
    assert len(keys) == len(set(keys))
    for name, info in summary["sources"].items():
        labels = info["labels"]
        assert labels.get("supports", 0) <= 1.15 * max(v for k, v in labels.items() if k != "supports"), name
    # two-way sets never receive an invented three-way label
    assert summary["sources"]["curriculum"]["labels"].get("not_supports", 0) > 0
