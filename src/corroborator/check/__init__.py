"""The check as an ordered list of stages over one CheckState (state.py). Each stage is a
module with ``run(state, ctx)``; ``ctx`` is the Checker (store, embedder, retriever, verifier,
checks, caches). A new stage is one new module and one line in STAGES."""

from __future__ import annotations

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

STAGES = [claims_stage, retrieve_stage, verify_stage, corroborate_stage, record_stage, assess_stage, report_stage]

__all__ = ["STAGES", "CheckState"]
