"""Stage: retrieve. Candidate evidence sentences for each claim from the store (retriever.py:\nBM25 and dense search, fused)."""
