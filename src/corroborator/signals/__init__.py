"""Stage: signals. What the article's own text shows before any evidence: sourcing and hedging\n(sourcing.py) and propaganda techniques (propaganda.py, a token classifier)."""
