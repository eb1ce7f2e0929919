"""Stage: signals. What the article's own text shows before any evidence, one signal family
per kind of flag (family.py): sourcing (sourcing.py), hedging (hedging.py) and propaganda
techniques (techniques.py, from the token tagger in propaganda.py). Importing the package
registers the three built-ins, the way a plug-in registers its own."""

from corroborator.signals import hedging, sourcing, techniques  # noqa: F401 - they register on import
from corroborator.signals.family import article_signals, count

__all__ = ["article_signals", "count"]
