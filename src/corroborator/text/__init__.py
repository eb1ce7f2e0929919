"""Text processing on spaCy's en_core_web_sm: loading and parsing (parsing.py), sentence
segmentation (sentences.py), names (names.py), numbers and quantities (numbers.py), dates
(dates.py), and what one sentence commits to (facts.py)."""

from __future__ import annotations





