"""The embedded store: SQLite + FTS5 + an hnswlib ANN index in one folder (store.py).
Registered for plain paths and sqlite:///... addresses in corroborator.store."""
