"""Names in a sentence: cheap capitalised runs for a whole store (proper_names) and whole
named entities from a parse (names_of_span)."""

from __future__ import annotations

import re
from functools import lru_cache

from corroborator.text.parsing import ents_in

_CAPITAL = "A-ZÀ-ÖØ-Þ"  # ASCII and Latin-1 capitals ("Élysée")
_CAPITALISED_RUN = re.compile(
    rf"[{_CAPITAL}][\w'’.\-]*(?:\s+(?:of\s+|the\s+|de\s+)?[{_CAPITAL}][\w'’.\-]*)*"
)
_POSSESSIVE = re.compile(r"['’]s$")
_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | _CALENDAR


def _is_common(word: str, common: frozenset[str]) -> bool:
    # an acronym ("US", "NATO") is a name even when it spells a function word
    return not (len(word) > 1 and word.isupper()) and word.lower() in common


def proper_names(sentence: str) -> set[str]:
    """Names in a sentence without a parse: runs of capitalised words, lowercased, with
    function words, months and weekdays trimmed from their ends; a sentence's first word
    counts only inside a longer run ("The Pentagon" -> "pentagon", "North Korea" -> "north
    korea", "Officials" -> nothing);
    possessives and the dots of acronyms go ("North Korea's" -> "north korea", "U.S." -> "us").
    Cheap enough for a whole store (the timeline's shared-name test)."""
    return set(names_as_written(sentence))


def names_as_written(sentence: str) -> dict[str, str]:
    """``proper_names`` with each name as the sentence writes it ({"north korea": "North
    Korea"}): for showing names, while matching uses the lowercase keys."""
    common = _common_words()
    first = next((i for i, ch in enumerate(sentence) if ch.isalnum()), 0)
    names: dict[str, str] = {}
    for m in _CAPITALISED_RUN.finditer(sentence):
        # "North Korea's" -> "north korea"; "U.S." -> "us", like "US"
        words = [_POSSESSIVE.sub("", w).replace(".", "").strip("'’-") for w in m.group().split()]
        words = [w for w in words if w]
        if m.start() <= first and len(words) == 1:  # "Officials said": any first word is capitalised
            continue
        while words and _is_common(words[0], common):
            words = words[1:]
        while words and _is_common(words[-1], common):
            words = words[:-1]
        written = " ".join(words)
        name = written.lower()
        if len(name) >= 2 and not name.isdigit():
            names.setdefault(name, written)
    return names


_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT"}


def _is_name_token(tok) -> bool:
    return tok.is_title and not _is_common(tok.text, _common_words()) or tok.is_upper and len(tok.text) > 1 and tok.is_alpha


def names_of_span(span) -> list[str]:
    """Names in a parsed span, whole: each named entity extended over the capitalised words
    that follow it (the model often stops early: "the 37th Expeditionary Bomb Squadron" comes
    out as "37th"), plus runs of two or more capitalised words it missed, with an ordinal in
    front kept ("37th Expeditionary Bomb Squadron")."""
    names, covered = [], set()
    for ent in ents_in(span):
        if ent.label_ not in _NAME_LABELS and ent.label_ != "ORDINAL":
            continue
        end = ent.end
        while end < span.end and _is_name_token(span.doc[end]):
            end += 1
        if ent.label_ == "ORDINAL" and end - ent.end < 2:
            continue  # an ordinal alone ("the 37th time") is no name
        names.append(span.doc[ent.start:end].text)
        covered.update(range(ent.start, end))
    i = span.start
    while i < span.end:
        j = i
        while j < span.end and j not in covered and _is_name_token(span.doc[j]) and j > span.sent.start:
            j += 1
        if j - i >= 2:
            names.append(span.doc[i:j].text)
        i = max(j, i + 1)
    return names
