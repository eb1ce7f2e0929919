"""Stage: claims. Which sentences of an article are checkable claims (extract.py), scored by the\ncheck-worthiness model (checkworthy.py)."""
