"""Golden copy of everything the demo produces (issue 13's guard): the JSON reports of the three
demo checks, the timeline and the signals, compared with copies taken before the application
core was rebuilt. Verdicts, labels, texts and evidence order must be identical; numbers may
differ by float noise (1e-3; ONNX Runtime's int8 kernels differ in the last digits across CPUs).
Timings and absolute file paths are left out.

Refresh the copies only on purpose (a behaviour change you mean, described in the commit):
    CORROBORATOR_WRITE_GOLDEN=1 python -m pytest tests/end_to_end/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ..conftest import DEMO, cli

GOLDEN = Path(__file__).parent / "golden"
WRITE = os.environ.get("CORROBORATOR_WRITE_GOLDEN") == "1"
TOLERANCE = 1e-3


def normalise(value, key: str = ""):
    """Timings dropped, file paths reduced to their last part."""
    if isinstance(value, dict):
        return {k: normalise(v, k) for k, v in value.items() if k != "timings_ms"}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if key == "source" and isinstance(value, str):
        return Path(value.split(":")[0]).name + (":" + value.split(":")[1] if ":" in value else "")
    return value


def differences(got, want, where: str = "") -> list[str]:
    if isinstance(want, dict) and isinstance(got, dict):
        out = [f"{where}.{k}: missing" for k in want if k not in got]
        out += [f"{where}.{k}: new field" for k in got if k not in want]
        for k in want:
            if k in got:
                out += differences(got[k], want[k], f"{where}.{k}")
        return out
    if isinstance(want, list) and isinstance(got, list):
        if len(got) != len(want):
            return [f"{where}: {len(got)} items, golden {len(want)}"]
        return [d for i, (g, w) in enumerate(zip(got, want)) for d in differences(g, w, f"{where}[{i}]")]
    if isinstance(want, float) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return [] if abs(got - want) <= TOLERANCE else [f"{where}: {got} != {want}"]
    return [] if got == want else [f"{where}: {got!r} != {want!r}"]


def _outputs(store: Path) -> dict[str, list]:
    def lines(*args: str) -> list:
        proc = cli(*args)
        assert proc.returncode == 0, proc.stderr
        try:  # one (possibly indented) JSON document
            return [normalise(json.loads(proc.stdout))]
        except json.JSONDecodeError:  # JSON Lines
            return [normalise(json.loads(line)) for line in proc.stdout.splitlines() if line.strip()]

    checks = sorted((DEMO / "check").glob("*.md"))
    return {
        "demo-checks.json": lines("check", *map(str, checks), "--store", str(store), "--format", "json"),
        "demo-signals.json": lines("signals", *map(str, checks), "--format", "json"),
        "demo-timeline.json": lines("timeline", "--store", str(store), "--format", "json"),
    }


@pytest.fixture(scope="module")
def outputs(demo_store) -> dict[str, list]:
    return _outputs(demo_store)


@pytest.mark.parametrize("name", ["demo-checks.json", "demo-signals.json", "demo-timeline.json"])
def test_demo_outputs_match_the_golden_copy(outputs, name):
    path = GOLDEN / name
    if WRITE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(outputs[name], indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    found = differences(outputs[name], json.loads(path.read_text()))
    assert not found, f"{len(found)} difference(s) from {path.name}, first: " + "; ".join(found[:8])
