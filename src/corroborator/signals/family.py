"""Signal families (issue 26): what an article's own text shows, one family per kind of flag,
each registered by name like any other part.

A ``SignalFamily`` bundles everything the rest of the program needs to know about one kind of
flag: how to find it (``detect``), the risk factors it feeds and their weights, its legend
entries (label, colour, severity) and its lines in the report's summary. The built-ins
(sourcing, hedging, loaded_language: one file each) register the way a plug-in does::

    from corroborator.registry import signal_families
    from corroborator.signals.family import Legend, SignalFamily

    signal_families.register("shouting", SignalFamily(
        name="shouting", detect=find_shouting, legend=(Legend("shouting", "written in capitals", "#ddd", 45),)))

and `Settings.signals` names the families a check runs (all registered ones by default). A
third-party package registers through the ``corroborator.signal_families`` entry point group.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from corroborator.domain import Claim, Signal
from corroborator.registry import signal_families

# the built-ins, in the order their flags are listed (a plug-in comes after them)
BUILTIN_ORDER = ("sourcing", "hedging", "loaded_language")


@dataclass(frozen=True)
class Legend:
    """One entry of the HTML legend: the key a flag is coloured by (``SignalFamily.key``), its
    label, its colour, and its severity (lower = more concerning: the colour an overlap shows)."""
    key: str
    label: str
    colour: str
    severity: int


@dataclass
class ArticleText:
    """What every family reads: the article's text, its parse and claims, and the technique
    tagger's reading of its sentences (computed once, on first use, for every family)."""
    text: str
    doc: object
    claims: list[Claim]
    tagger: object = None
    title: str = ""

    @cached_property
    def sentences(self) -> list:
        return [s for s in self.doc.sents if s.text.strip()]

    @cached_property
    def readings(self) -> list:
        """signals.propaganda.SentenceReading per sentence (techniques and attribution sources)."""
        if not self.sentences:
            return []
        from corroborator.signals.propaganda import default_tagger

        return (self.tagger or default_tagger()).read([s.text for s in self.sentences], self.title)

    def sentence_of(self, claim: Claim):
        span = self.doc.char_span(claim.span[0], claim.span[1], alignment_mode="expand")
        return span.sent if span is not None else None


Factor = Callable[[list[Signal], list[Claim]], float]


@dataclass(frozen=True)
class SignalFamily:
    """One kind of flag. ``detect`` returns its Signals (``type`` = ``name``); ``factors``:
    risk factor name -> (value from the article's signals and checked claims, weight);
    ``summary``: (signals, claim ids in order) -> summary lines (text, claim ids)."""
    name: str
    detect: Callable[[ArticleText], list[Signal]]
    legend: tuple[Legend, ...] = ()
    factors: Mapping[str, tuple[Factor, float]] = field(default_factory=dict)
    summary: Callable[[list[Signal], list[str]], list[tuple[str, list[str]]]] | None = None
    key: Callable[[Signal], str] = lambda sig: sig.type  # noqa: E731 - the legend key of a flag
    per_claim: bool = False  # reads each claim's sentence: its flags are listed claim by claim


def family_names(names: list[str] | tuple[str, ...] | None = None) -> list[str]:
    """The families a check runs: ``names`` (each must be registered), else every registered
    family, built-ins first."""
    if names is not None:
        for name in names:
            signal_families.get(name)  # an unknown name fails with the registered ones
        return list(names)
    known = signal_families.names()
    return [n for n in BUILTIN_ORDER if n in known] + [n for n in known if n not in BUILTIN_ORDER]


def families(names: list[str] | tuple[str, ...] | None = None) -> list[SignalFamily]:
    return [signal_families.get(n) for n in family_names(names)]


def article_signals(text: str, doc, claims: list[Claim], tagger=None, title: str | None = None,
                    names: list[str] | tuple[str, ...] | None = None) -> list[Signal]:
    """Every family's signals, as every report and `corroborator signals` show them: those of
    per-claim families claim by claim (in claim order, family order within a claim), then the
    other families' in family order. ``tagger``: the technique model (the application object's;
    the packaged one if None), which reads every sentence once for all families."""
    article = ArticleText(text, doc, claims, tagger, title or "")
    chosen = families(names)
    found = [(i, fam, fam.detect(article)) for i, fam in enumerate(chosen)]
    position = {c.id: n for n, c in enumerate(claims)}
    per_claim = sorted(((position.get(sig.claim_id, len(claims)), i, sig) for i, fam, sigs in found if fam.per_claim
                        for sig in sigs), key=lambda t: (t[0], t[1]))
    return [sig for *_, sig in per_claim] + [sig for _, fam, sigs in found if not fam.per_claim for sig in sigs]


def risk_factors(signals: list[Signal], claims: list[Claim], names=None) -> dict[str, float]:
    """Every family's risk factor values for the checked claims and their signals."""
    return {factor: value(signals, claims) for fam in families(names) for factor, (value, _) in fam.factors.items()}


def risk_weights(names=None) -> dict[str, float]:
    return {factor: weight for fam in families(names) for factor, (_, weight) in fam.factors.items()}


def builtin_risk_weights() -> dict[str, float]:
    """The built-in families' factors and weights, read without the entry points (assess.risk
    builds its WEIGHTS from them at import, when a plug-in's imports may not be done)."""
    return {factor: weight for name in BUILTIN_ORDER
            for factor, (_, weight) in signal_families.builtin(name).factors.items()}


def legend(types: set[str] | None = None) -> list[Legend]:
    """Legend entries of the built-in families and of any other family that flagged one of
    ``types`` (a plug-in's entry shows only on the reports it flagged)."""
    return [entry for fam in families() if fam.name in BUILTIN_ORDER or (types and fam.name in types)
            for entry in fam.legend]


def legend_key(sig: Signal) -> str:
    """The legend key of a flag, by its family (its type when no family claims it)."""
    try:
        return signal_families.get(sig.type).key(sig)
    except Exception:  # a flag of a family this process does not have (an old stored report)
        return sig.type


def summary_lines(signals: list[Signal], order: list[str]) -> list[tuple[str, list[str]]]:
    """Each family's summary lines, from the families that flagged something in ``signals``
    (the report holds only the signals of the families its check ran)."""
    present = {s.type for s in signals}
    return [line for fam in families() if fam.summary and fam.name in present
            for line in fam.summary([s for s in signals if s.type == fam.name], order)]


def count(signals: list[Signal]) -> dict[str, dict[str, int]]:
    """Signals per type and subtype (claims sharing a sentence count once)."""
    seen = set()
    counts: dict[str, dict[str, int]] = {}
    for s in signals:
        key = (s.type, s.subtype, s.span)
        if key in seen:
            continue
        seen.add(key)
        counts.setdefault(s.type, {}).setdefault(s.subtype, 0)
        counts[s.type][s.subtype] += 1
    return counts


def claim_share(signals: list[Signal], claims: int, keep) -> float:
    """Share of ``claims`` with at least one signal ``keep`` accepts."""
    flagged = {s.claim_id for s in signals if s.claim_id and keep(s)}
    return len(flagged) / claims if claims else 0.0
