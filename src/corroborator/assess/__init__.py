"""Stage: assess. The article's risk from its claims' verdicts, the record and its signals\n(risk.py)."""
