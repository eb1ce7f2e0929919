"""`corroborator eval pairs`: metrics, label modes and bad rows."""

from __future__ import annotations

import json

import numpy as np
import pytest

from corroborator.errors import BadInputError
from corroborator.evaluate import _prf, expected_calibration_error, read_pairs

from ..conftest import cli

ROWS = [
    {"id": "1", "claim": "The drill lasted about three hours.",
     "evidence": "The exercise lasted about three hours, officials said.", "label": "SUPPORTED"},
    {"id": "2", "claim": "The exercise lasted more than six hours.",
     "evidence": ["The exercise lasted about three hours,", "the official added."], "label": "REFUTED"},
    {"id": "3", "claim": "The exercise involved two B-52H bombers.",
     "evidence": "The city council approved the transit budget by a vote of 7-4.", "label": "NOT_ENOUGH_INFO"},
    {"id": "4", "claim": "About 5,000 dockworkers walked off the job.",
     "evidence": "About 1,800 dockworkers walked off the job on Monday.", "label": "REFUTED"},
]


def test_metrics_by_hand():
    confusion = np.array([[3, 1], [2, 4]])  # gold rows, predicted columns
    m = _prf(confusion, ["A", "B"])
    assert m["A"] == {"precision": 0.6, "recall": 0.75, "f1": pytest.approx(0.6667, abs=1e-4), "support": 4}
    conf = np.array([0.9, 0.9, 0.6, 0.6])
    correct = np.array([1.0, 0.0, 1.0, 1.0])
    # bins: 0.9 -> acc 0.5 (gap 0.4, weight 0.5); 0.6 -> acc 1.0 (gap 0.4, weight 0.5)
    assert expected_calibration_error(conf, correct) == pytest.approx(0.4)


def test_cli_eval_pairs_json_and_two_labels(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n")
    proc = cli("eval", "pairs", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert set(res) >= {"accuracy", "macro_f1", "per_label", "confusion", "ece", "pairs_per_s", "n"}
    assert res["n"] == 4 and sum(map(sum, res["confusion"]["matrix"])) == 4 and res["checks"] is False
    # the model alone reads "three hours" vs "more than six hours" as related, not contradictory;
    # with the quantity checks (as `check` runs them) every row is right
    checked = json.loads(cli("eval", "pairs", str(path), "--json", "--checks").stdout)
    assert checked["checks"] is True and checked["accuracy"] == 1.0 and checked["balanced_accuracy"] == 1.0
    assert checked["confusion"]["matrix"] == [[1, 0, 0], [0, 2, 0], [0, 0, 1]]
    recalls = [v["recall"] for v in res["per_label"].values() if v["support"]]
    assert res["balanced_accuracy"] == pytest.approx(sum(recalls) / len(recalls), abs=1e-4)
    two = json.loads(cli("eval", "pairs", str(path), "--json", "--labels", "2").stdout)
    assert two["n"] == 3 and set(two["per_label"]) == {"SUPPORTED", "REFUTED"}
    text = cli("eval", "pairs", str(path))
    assert text.returncode == 0 and "macro-F1" in text.stdout
    named = cli("eval", "pairs", str(path), "--json", "--verifier", "baseline")
    assert named.returncode == 0 and json.loads(named.stdout)["verifier"]["name"] != res["verifier"]["name"]
    unknown = cli("eval", "pairs", str(path), "--verifier", "nope")
    assert unknown.returncode == 2 and "unknown verifier 'nope'" in unknown.stderr


def test_bad_rows_name_their_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n" + json.dumps({**ROWS[1], "label": "MAYBE"}) + "\n")
    with pytest.raises(BadInputError, match=r"bad.jsonl:2: 'label'"):
        read_pairs(path)
    proc = cli("eval", "pairs", str(path))
    assert proc.returncode == 2 and "bad.jsonl:2" in proc.stderr and "Traceback" not in proc.stderr
    assert cli("eval", "pairs", str(path), "--labels", "4").returncode == 2
