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


def test_each_stage_touches_only_what_it_declares(demo_core):
    """One real check of the demo article with every attribute read and write recorded per
    stage: a read of an undeclared field, or a write outside WRITES, fails."""
    touched: dict[str, dict[str, set[str]]] = {}
    current: list[str | None] = [None]
    fields = {f.name for f in dataclasses.fields(CheckState)}

    class Recorded(CheckState):
        def __getattribute__(self, name):
            if current[0] and name in fields:
                touched[current[0]]["read"].add(name)
            return object.__getattribute__(self, name)

        def __setattr__(self, name, value):
            if current[0]:
                touched[current[0]]["wrote"].add(name)
            object.__setattr__(self, name, value)

    article = next(a for a in read_paths([DEMO / "check"]) if a.id.startswith("check-001"))
    state = Recorded(article=article)
    checker = demo_core._checker
    for stage in STAGES:
        current[0] = stage_name(stage)
        touched[current[0]] = {"read": set(), "wrote": set()}
        stage.run(state, checker)
    current[0] = None
    assert state.report is not None and state.report.claims
    for stage in STAGES:
        seen = touched[stage_name(stage)]
        declared = set(stage.READS) | set(stage.WRITES)
        assert seen["read"] - {"marks"} <= declared | {"mark"}, (stage_name(stage), seen["read"] - declared)
        assert seen["wrote"] <= set(stage.WRITES) | {"marks"}, (stage_name(stage), seen["wrote"] - set(stage.WRITES))
        # and nothing is declared that the stage never touches (a stale declaration)
        assert set(stage.WRITES) - {"same_origin"} <= seen["wrote"] | seen["read"], stage_name(stage)
    assert set(GIVEN) <= fields
