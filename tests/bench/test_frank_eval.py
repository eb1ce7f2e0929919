"""The FRANK-valid benchmark's own arithmetic (bench/frank_eval.py): how a tokenised summary is
restored before the check, balanced accuracy and the threshold chosen on one half."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _module():
    spec = importlib.util.spec_from_file_location("frank_eval", BENCH / "frank_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fe = _module()


def test_tokenised_summaries_are_restored_to_plain_sentences():
    text = ("natalia moon , 23 , moved to the philippines in 2012 . she promotes herself as ` the barbie ' "
            "and says `` it 's hard '' ( really ) .")
    assert fe.detokenise(text) == ("Natalia moon, 23, moved to the philippines in 2012. She promotes herself as "
                                   "'the barbie' and says \"it's hard\" (really).")


def test_balanced_accuracy_weighs_both_classes_alike():
    y = np.array([1, 1, 1, 1, 0])
    assert fe.balanced_accuracy(y, np.ones(5, dtype=int)) == 0.5  # all "factual": right on 4 of 5, still chance
    assert fe.balanced_accuracy(y, y) == 1.0
    assert fe.auroc(y, np.array([0.9, 0.8, 0.7, 0.6, 0.1])) == 1.0
    assert fe.auroc(np.ones(3), np.ones(3)) is None


def test_threshold_separates_the_tuning_half():
    y = np.array([0, 0, 1, 1, 1])
    s = np.array([0.1, 0.3, 0.6, 0.7, 0.9])
    t = fe.best_threshold(y, s)
    assert 0.3 < t <= 0.6 and fe.balanced_accuracy(y, (s >= t).astype(int)) == 1.0
