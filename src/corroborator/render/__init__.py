"""Report renderers: JSON (the contract), terminal (rich) and self-contained HTML."""

from __future__ import annotations

import json

from corroborator.domain import Report


def to_json(report: Report, indent: int | None = 2) -> str:
    return json.dumps(report.to_json_dict(), indent=indent, ensure_ascii=False)
