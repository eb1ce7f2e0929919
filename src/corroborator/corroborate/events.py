"""Whether a piece of evidence is about the same event as the claim: by time, then by story.

A bomber flight reported in 2019 is no evidence for one in 2025, however alike the two
sentences read. The claim's time is the latest date it names (resolved against its article's
publication date), else its article's publication date; the evidence's time is the latest
date its sentence names (``evidence_time``), else its article's publication date. Then:

- ``different``: more than DIFFERENT_DAYS apart — the evidence is shown as related context
  and counts neither for nor against the claim;
- ``same``: the evidence's article tells the checked article's story (``same_story``, the
  timeline's joining rule), even weeks apart or undated; without a story test, within
  SAME_DAYS (or inside the year or month a time names);
- ``unknown``: anything else (another story in the same fortnight, or no dates): the
  evidence counts as usual.

Only ``different`` changes what counts; ``same`` vs ``unknown`` tells the reader how sure the
match is. The window is wide on purpose: follow-up reports of one event run for days or
weeks, and a claim's own date can be a precise anchor or a month.

``cluster_events`` groups the stored articles into events (text similarity, shared names and
time) for `corroborator timeline`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Literal

from corroborator.domain import Event, StoredArticle
from corroborator.text.dates import coarser

EventMatch = Literal["same", "different", "unknown"]

SAME_DAYS = 14
DIFFERENT_DAYS = 90


ClaimTime = tuple[date, str]  # (date, precision: "day" | "month" | "year")


def claim_time(claim_dates: list[date], published: date | None, precisions: list[str] | None = None) -> ClaimTime | None:
    """The date a claim is about, with its precision: the latest date it names (a year
    alone stays a year), else its article's publication date."""
    if claim_dates:
        precisions = precisions if precisions and len(precisions) == len(claim_dates) else ["day"] * len(claim_dates)
        i = max(range(len(claim_dates)), key=lambda j: claim_dates[j])
        return claim_dates[i], precisions[i]
    return (published, "day") if published else None


def evidence_time(named: list | None, published: date | None) -> ClaimTime | None:
    """The time an evidence sentence is about: the latest date it names (resolved against
    its article's date, with its precision: nlp.DateMention), else its article's publication
    date. "The first such flight since August 2019", in a 2025 report, is about 2019."""
    if named:
        latest = max(named, key=lambda m: m.day)
        return latest.day, latest.precision
    return (published, "day") if published else None


def _same_period(a: ClaimTime, b: ClaimTime) -> bool:
    """Whether two times fall in the same month or year, at the coarser of their precisions
    (a year alone matches anywhere in that year); two exact days never do here."""
    precision = coarser(a[1], b[1])
    if precision == "year":
        return a[0].year == b[0].year
    if precision == "month":
        return (a[0].year, a[0].month) == (b[0].year, b[0].month)
    return False


def _span(t: ClaimTime) -> tuple[date, date]:
    """The days a time may mean: a day, its month, or its year."""
    day, precision = t
    if precision == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if precision == "month":
        nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return date(day.year, day.month, 1), date.fromordinal(nxt.toordinal() - 1)
    return day, day


def _gap_days(a: ClaimTime, b: ClaimTime) -> int:
    """Days between two times, each read as the span it may mean (a year alone: the whole year)."""
    (a0, a1), (b0, b1) = _span(a), _span(b)
    return max(0, (b0 - a1).days, (a0 - b1).days)


def event_match(when: ClaimTime | None, evidence: date | ClaimTime | None, story: bool | None = None) -> EventMatch:
    """Same, different or unknown event, from the claim's time and the evidence's time (its
    article's date, or ``evidence_time`` of its sentence), and — when ``story`` is given —
    whether the evidence's article tells the same story as the checked one (``same_story``).
    A time given only as a year or month matches anything in that year or month (a report
    may come out weeks after the event it covers).

    Months apart is a different event whatever the story (a 2019 bomber flight reads like a
    2025 one). Otherwise the story decides: the same story (as the timeline would cluster
    it) is the same event even when the dates are weeks apart or missing; another story in
    the same fortnight is ``unknown`` — closeness in time alone does not make it the same
    event. Without ``story``, time alone decides as below."""
    if isinstance(evidence, date):
        evidence = (evidence, "day")
    by_time: EventMatch = "unknown"
    if when is not None and evidence is not None:
        gap = _gap_days(when, evidence)
        if _same_period(when, evidence) or gap <= SAME_DAYS:
            by_time = "same"
        elif gap > DIFFERENT_DAYS:
            by_time = "different"
    if story is None or by_time == "different":
        return by_time
    return "same" if story else "unknown"


def same_story(similarity: float, shared_names: int) -> bool:
    """The timeline's joining rule (cluster_events) applied to two articles."""
    return similarity >= EVENT_SIMILARITY or (similarity >= NAMED_SIMILARITY and shared_names >= SHARED_NAMES)


def story_match(vector, keys: set[str], their_vector, their_keys: set[str]) -> tuple[bool, float, list[str]]:
    """Whether two articles (unit mean embeddings, name keys) tell one story by
    ``same_story``, with the similarity rounded down to two decimals (so a note never shows
    0.449 as the 0.45 bar) and the shared names, longest first."""
    import math

    sim = float(vector @ their_vector)
    shared = sorted(keys & their_keys, key=lambda k: (-len(k), k))
    return same_story(sim, len(shared)), math.floor(sim * 100) / 100, shared


def name_weights(keys: set[str], df: dict[str, int], texts: int) -> dict[str, float]:
    """How distinctive each name key is in the archive: the idf of its rarest word over the
    archive's distinct sentence texts (a name the archive never mentions weighs most). Names
    whose rarest word is in more than COMMON_NAME_SHARE of the texts (at least COMMON_NAME_MIN:
    "Trump", "Korea", "Washington") are left out: every story of their topic names them."""
    import math

    from corroborator.text.tokens import word_tokens

    common = max(COMMON_NAME_MIN, COMMON_NAME_SHARE * texts)
    out = {}
    for key in keys:
        tokens = word_tokens(key)
        rarest = min((df.get(t, 0) for t in tokens), default=None)
        if rarest is not None and rarest <= common:
            out[key] = math.log((texts + 1) / (rarest + 1))
    return out


def distinctive_share(weights: dict[str, float], their_keys: set[str]) -> float:
    """Share of the checked article's name weight (name_weights) that another article names:
    ~1 when an archived article tells this story about the same people and places, near 0 when
    the two share only names every story mentions. On the fitting half of the PolitiFact
    development stories (article-level idf): fabricated versions whose claims matched nothing
    of their original sat at a median of 0.55, real articles of stories the archive lacks at
    0.10 (AUROC 0.93)."""
    total = sum(weights.values())
    return sum(w for k, w in weights.items() if k in their_keys) / total if total else 0.0


def _shown(t: ClaimTime) -> str:
    return str(t[0].year) if t[1] == "year" else t[0].strftime("%Y-%m") if t[1] == "month" else t[0].isoformat()


def event_note(when: ClaimTime | None, evidence: ClaimTime | None, similarity: float | None,
               shared: list[str], sentence_dated: bool = False) -> str:
    """One line on why the event match came out as it did."""
    if when is None or evidence is None:
        parts = ["claim and evidence undated" if when is None and evidence is None
                 else "claim undated" if when is None else "evidence undated"]
    elif sentence_dated:
        parts = [f"the evidence sentence is about {_shown(evidence)}, the claim about {_shown(when)}"]
    else:
        gap = abs((when[0] - evidence[0]).days)
        parts = [f"{gap} day{'s' if gap != 1 else ''} from the claim's date" if when[1] == "day"
                 else f"claim dated {_shown(when)}"]
    if similarity is not None:
        parts.append(f"story similarity {similarity:.2f}")
    if shared:
        parts.append("shared names: " + ", ".join(shared[:4]))
    return "; ".join(parts)


def is_earlier(evidence_published: date | None, when: ClaimTime | None) -> bool:
    """Whether the evidence predates the claim's time (for "possibly outdated")."""
    return bool(evidence_published and when and evidence_published < when[0])


# --- events across the corpus (timeline) -------------------------------------------------

# A dated article joins an event when its mean sentence embedding is this close to the
# event's centroid, or NAMED_SIMILARITY close and sharing SHARED_NAMES names with it, and its
# date is at most MAX_GAP_DAYS from the event's latest article (follow-ups chain on). Demo:
# same-topic pairs sit at 0.58-0.99, the state commentary on the drill at 0.46-0.53 sharing
# "Seoul", "Tokyo", "United States" with the wire reports; different topics 0.19-0.47 with
# at most one shared name (a wire's credit line is boilerplate, not read for names).
EVENT_SIMILARITY = 0.55
NAMED_SIMILARITY = 0.45
SHARED_NAMES = 2
MAX_GAP_DAYS = 7
COMMON_NAME_SHARE = 0.01
COMMON_NAME_MIN = 20


# Last words that name a kind of body, not one body ("Port Authority", "Defense Ministry").
_GENERIC_LAST = frozenset(
    "authority agency association base board bureau center centre chiefs city college committee company "
    "corporation council county court department district force forces group guard hospital institute "
    "kingdom league local ministry nations office party police province republic reserve school service "
    "staff state states times union university".split()
)


def name_keys(names: frozenset[str] | set[str]) -> set[str]:
    """Names and their last words of four letters or more, so "Col. Dana Whitfield" and
    "Dana Whitfield", or "Councilmember Derek Fenwick" and "Derek Fenwick", meet (not the
    generic last words of organisations' names)."""
    keys = set(names)
    for name in names:
        words = name.split()
        if len(words) > 1 and len(words[-1]) >= 4 and words[-1] not in _GENERIC_LAST:
            keys.add(words[-1])
    return keys


def _event_keys(ev: dict) -> set[str]:
    """The names an event is known by: those in at least a quarter of its articles (all of a
    lone article's), so a big event's long tail of passing mentions does not match everything."""
    need = (len(ev["members"]) + 3) // 4
    return {k for k, c in ev["key_counts"].items() if c >= need}


def cluster_events(articles: list[StoredArticle]) -> list[Event]:
    """Greedy single pass in date order: each dated article joins the most similar open
    event (see EVENT_SIMILARITY above), else starts one. Undated articles are left out (they
    cannot be placed). Names in more than COMMON_NAME_SHARE of the articles (at least
    COMMON_NAME_MIN of them: "Twitter", "American", "New York" in a big archive) do not
    count as shared."""
    import numpy as np

    dated = sorted((a for a in articles if a.published is not None and a.vector is not None),
                   key=lambda a: (a.published, a.article_id))
    keys_of = {a.article_id: name_keys(a.names) for a in dated}
    spread = Counter(k for keys in keys_of.values() for k in keys)
    common = {k for k, c in spread.items() if c > max(COMMON_NAME_MIN, COMMON_NAME_SHARE * len(dated))}
    events: list[dict] = []
    open_events: list[dict] = []  # events still within MAX_GAP_DAYS of the current date
    for art in dated:
        open_events = [ev for ev in open_events if (art.published - ev["last"]).days <= MAX_GAP_DAYS]
        keys = keys_of[art.article_id] - common
        best, best_sim = None, -1.0
        for ev in open_events:
            centroid = ev["sum"] / np.linalg.norm(ev["sum"])
            sim = float(centroid @ art.vector)
            if sim > best_sim and same_story(sim, len(keys & _event_keys(ev))):
                best, best_sim = ev, sim
        if best is None:
            best = {"members": [], "sum": np.zeros_like(art.vector), "last": art.published, "key_counts": Counter()}
            events.append(best)
            open_events.append(best)
        best["members"].append(art)
        best["sum"] = best["sum"] + art.vector
        best["last"] = max(best["last"], art.published)
        best["key_counts"].update(keys)
    out = []
    for n, ev in enumerate(sorted(events, key=lambda e: (e["members"][0].published, e["members"][0].article_id)), 1):
        members = ev["members"]
        counts = Counter(name for m in members for name in m.names)
        forms: dict[str, Counter] = {}
        for m in members:
            for key, form in m.written.items():
                forms.setdefault(key, Counter())[form] += 1
        shared = [forms[name].most_common(1)[0][0] if name in forms else name
                  for name, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                  if c >= max(2, (len(members) + 1) // 2)]  # shown as the articles write them
        out.append(Event(
            id=f"e{n}",
            first=members[0].published,
            last=ev["last"],
            title=next((m.title for m in members if m.title), members[0].article_id),
            articles=[m.article_id for m in members],
            outlets=sorted({m.outlet or "(unknown)" for m in members}),
            origins=sorted({m.origin for m in members}),
            sentences=sum(m.sentences for m in members),
            claims=len(frozenset().union(*(m.statements for m in members))),
            names=shared[:6],
        ))
    return out


def article_names(sentences: list[tuple[str, int]]) -> dict:
    """The names alone (store.stored_articles' ``describe``), for the check-time story test:
    half the cost of describe_article; a credit line's names could only matter if the checked
    article's claims named the same editor."""
    from corroborator.text.names import proper_names

    names: set[str] = set()
    for text, _ in sentences:
        names |= proper_names(text)
    return {"names": frozenset(names)}


def describe_article(sentences: list[tuple[str, int]]) -> dict:
    """What the timeline reads from a stored article's sentences (store.stored_articles'
    ``describe``): its checkable statements (by stored text, so copies of a sentence are one
    statement) and the proper names they mention (not a credit line's "Editing by ...")."""
    from corroborator.claims.extract import is_checkable_text

    from corroborator.text.names import names_as_written

    checkable = [(text, vid) for text, vid in sentences if is_checkable_text(text)]
    written: dict[str, Counter] = {}
    for text, _ in checkable:
        for key, form in names_as_written(text).items():
            written.setdefault(key, Counter())[form] += 1
    return {"statements": frozenset(vid for _, vid in checkable),
            "names": frozenset(written), "written": {k: c.most_common(1)[0][0] for k, c in written.items()}}
