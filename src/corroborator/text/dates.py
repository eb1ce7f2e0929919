"""Dates: DATE entities resolved against the publication date, with the precision they give."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from corroborator.text.parsing import ents_in

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_BARE_WEEKDAY = re.compile(r"^\s*(on\s+|early\s+|late\s+)?(mon|tues|wednes|thurs|fri|satur|sun)day\s*$", re.I)


# How precise a date is, finest first; one order for every comparison (events.py, verify/checks.py).
PRECISIONS = ("day", "month", "year")


def coarser(a: str, b: str) -> str:
    """The coarser of two date precisions ("year" over "month" over "day"; unknown as "day")."""
    return max(a, b, key=lambda p: PRECISIONS.index(p) if p in PRECISIONS else 0)


def resolve_date(phrase: str, anchor: date | None) -> date | None:
    """A DATE entity resolved against the article's publication date ("last Friday").

    A bare weekday means the most recent such day up to and including the publication
    day, as news uses it ("on Friday" in a Friday article is that day; dateparser would
    pick the week before)."""
    import dateparser

    m = _BARE_WEEKDAY.match(phrase)
    if m and anchor:
        wanted = _WEEKDAYS.index(m.group(2).lower() + "day")
        return date.fromordinal(anchor.toordinal() - (anchor.weekday() - wanted) % 7)

    if not re.search(r"\d|day|week|month|year|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", phrase, re.I):
        return None
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if anchor:
        settings["RELATIVE_BASE"] = datetime(anchor.year, anchor.month, anchor.day)
    try:
        # English only (as the pipeline is): without a language dateparser tries every locale,
        # recompiling their patterns, about 0.15 s per phrase (2 s per check, profiled).
        parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    except Exception:
        return None
    return parsed.date() if parsed else None


_MONTHS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_DAY_WORDS = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(yesterday|today|tonight|tomorrow)\b", re.I)
_DURATION = re.compile(
    r"^\s*(the\s+)?(past\s+|last\s+|next\s+)?([\d.,]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"several|few|many)?\s*(-|\s)?(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)(\s+long)?\s*$",
    re.I,
)


@dataclass(frozen=True)
class DateMention:
    day: date
    precision: str  # "day" | "month" | "year"
    text: str


def date_mentions(span, anchor: date | None) -> list[DateMention]:
    """DATE entities resolved against the publication date, with the precision they give.
    Durations ("three hours", "two years") and vague spans ("this week") are not dates.
    Without a publication date only dates that name their year are kept: "Friday" or
    "March 3" would otherwise be resolved against today."""
    out = []
    for ent in ents_in(span):
        if ent.label_ != "DATE" or _DURATION.match(ent.text):
            continue
        text = ent.text
        has_day = bool(_DAY_WORDS.search(text)) or bool(
            re.search(rf"\b({_MONTHS})[a-z]*\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+({_MONTHS})|\d{{4}}-\d{{2}}-\d{{2}}", text, re.I)
        )
        has_month = has_day or bool(re.search(rf"\b({_MONTHS})[a-z]*\b|\bmonth\b", text, re.I))
        has_year = bool(re.search(r"\b(1[89]|20)\d\d\b|\byear\b", text, re.I))
        precision = "day" if has_day else "month" if has_month else "year" if has_year else None
        if precision is None or re.search(r"\b(week|decade|century|season)s?\b", text, re.I):
            continue
        if anchor is None and not re.search(r"\b(1[89]|20)\d\d\b", text):
            continue
        resolved = resolve_date(text, anchor)
        if resolved:
            out.append(DateMention(day=resolved, precision=precision, text=text))
    return out
