"""The check's stages declare what they read and write on CheckState (issue 26, item 5): the
order is checked when a Checker is built, and each declaration is what the stage does."""

from __future__ import annotations

import dataclasses
import types

import pytest

from corroborator.check import GIVEN, STAGES, CheckState, check_stages, stage_name
from corroborator.check import assess_stage, record_stage
from corroborator.check.checker import Checker
from corroborator.errors import CorroboratorError
from corroborator.ingest import read_paths

from ..conftest import DEMO


def test_a_stage_before_what_it_reads_is_refused_when_the_checker_is_built(demo_core):
    wrong = [s for s in STAGES if s is not record_stage]
    wrong.insert(wrong.index(assess_stage) + 1, record_stage)  # assess would read coverage before record writes it
    with pytest.raises(CorroboratorError, match=r"stage assess_stage reads coverage, covered, story_similarity"):
        check_stages(wrong)
    with pytest.raises(CorroboratorError, match="assess_stage reads"):
        Checker(demo_core._checker.store, demo_core.embedder, verifier=demo_core._checker.verifier, stages=wrong)


def test_a_stage_naming_a_field_the_state_lacks_is_refused():
    # a plug-in stage (a module in real use) with a typo in what it writes
    Stage = types.SimpleNamespace(__name__="plugin.typo_stage", READS=("claims",), WRITES=("risk_factor",),
                                  run=lambda state, ctx: None)
    with pytest.raises(CorroboratorError, match="typo_stage names fields CheckState does not have: risk_factor"):
        check_stages([*STAGES, Stage])
    Stage.WRITES = ("risk_factors",)
    check_stages([*STAGES, Stage])  # spelt right, it is accepted


def _shape(value) -> object:
    """What a field holds, to see a change made in place (an append, an item set, an object's
    attribute) that no attribute write shows."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return ("array", value.shape, hash(value.tobytes()))
    if callable(value):
        return ("callable", id(value))
    return repr(value)


def test_each_stage_touches_only_what_it_declares(demo_core):
    """One real check of the demo article with every field each stage reads before writing it
    (its inputs) and every field it sets or changes in place recorded: an input outside READS,
    or a change outside WRITES, fails; so does a declared write the stage never makes."""
    inputs: dict[str, set[str]] = {}
    written: dict[str, set[str]] = {}
    current: list[str | None] = [None]
    fields = {f.name for f in dataclasses.fields(CheckState)}

    class Recorded(CheckState):
        def __getattribute__(self, name):
            stage = current[0]
            if stage and name in fields and name not in written[stage]:
                inputs[stage].add(name)
            return object.__getattribute__(self, name)

        def __setattr__(self, name, value):
            if current[0]:
                written[current[0]].add(name)
            object.__setattr__(self, name, value)

    article = next(a for a in read_paths([DEMO / "check"]) if a.id.startswith("check-001"))
    state = Recorded(article=article)
    checker = demo_core._checker
    for stage in STAGES:
        name = stage_name(stage)
        inputs[name], written[name] = set(), set()
        before = {f: _shape(object.__getattribute__(state, f)) for f in fields}
        current[0] = name
        stage.run(state, checker)
        current[0] = None
        written[name] |= {f for f in fields if _shape(object.__getattribute__(state, f)) != before[f]}
    assert state.report is not None and state.report.claims
    for stage in STAGES:
        name = stage_name(stage)
        # updating what the check starts with (state.mark adds to marks) reads it first
        allowed = set(stage.READS) | (set(stage.WRITES) & set(GIVEN))
        assert inputs[name] <= allowed, (name, "reads undeclared", inputs[name] - allowed)
        assert written[name] <= set(stage.WRITES), (name, "writes undeclared", written[name] - set(stage.WRITES))
        # nothing declared that the stage never writes (same_origin: only when the article has a
        # copy in the archive; the demo article has none)
        assert set(stage.WRITES) - {"same_origin"} <= written[name], (name, set(stage.WRITES) - written[name])
    assert set(GIVEN) <= fields
