"""Indexing an archive: prepare (pure, parallel) and commit (the single writer) (indexer.py)."""
