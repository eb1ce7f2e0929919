"""corroborator: check a news article against your own news archive, offline."""

__version__ = "0.3.0"
