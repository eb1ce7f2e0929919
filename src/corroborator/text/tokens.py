"""Word tokens as SQLite FTS5's unicode61 tokenizer makes them (remove_diacritics 2): lowercase,
diacritics removed, split at every character that is not a letter or digit. The embedded store's
full-text index tokenizes this way inside SQLite; the PostgreSQL store tokenizes with this
function so that both rank the same words the same way."""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"[^\W_]+")


def word_tokens(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _TOKEN.findall(folded)
