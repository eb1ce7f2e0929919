"""The check as an ordered list of stages over one CheckState (state.py). Each stage is a
module with ``run(state, ctx)`` and the CheckState fields it ``READS`` and ``WRITES``; ``ctx``
is the Checker (store, embedder, retriever, verifier, checks, caches). A new stage is one new
module and one line in STAGES; ``check_stages`` (run when a Checker is built, as spaCy's
``analyze_pipes`` checks a pipeline) refuses an order in which a stage reads what no earlier
stage writes."""

from __future__ import annotations

import dataclasses

from corroborator.check import (
    assess_stage,
    claims_stage,
    corroborate_stage,
    record_stage,
    report_stage,
    retrieve_stage,
    verify_stage,
)
from corroborator.check.state import CheckState
from corroborator.errors import CorroboratorError

STAGES = [claims_stage, retrieve_stage, verify_stage, corroborate_stage, record_stage, assess_stage, report_stage]

# what a check starts with (Checker.check fills these before the first stage); ``marks`` starts
# empty, and the stages that mark when they ended (state.mark) declare it among their WRITES
GIVEN = ("article", "progress", "started", "marks")


def stage_name(stage) -> str:
    return getattr(stage, "__name__", repr(stage)).rsplit(".", 1)[-1]


def check_stages(stages) -> None:
    """Every stage declares READS and WRITES naming CheckState fields, and reads only what the
    check starts with or an earlier stage writes; else one error naming the stage and fields."""
    fields = {f.name for f in dataclasses.fields(CheckState)}
    available = set(GIVEN)
    for stage in stages:
        name = stage_name(stage)
        reads, writes = getattr(stage, "READS", None), getattr(stage, "WRITES", None)
        if reads is None or writes is None or not callable(getattr(stage, "run", None)):
            raise CorroboratorError(f"stage {name} must have run(state, ctx), READS and WRITES")
        unknown = sorted((set(reads) | set(writes)) - fields)
        if unknown:
            raise CorroboratorError(f"stage {name} names fields CheckState does not have: {', '.join(unknown)}")
        unmet = sorted(set(reads) - available)
        if unmet:
            raise CorroboratorError(f"stage {name} reads {', '.join(unmet)}, which no earlier stage writes")
        available |= set(writes)


check_stages(STAGES)

__all__ = ["STAGES", "GIVEN", "CheckState", "check_stages", "stage_name"]
