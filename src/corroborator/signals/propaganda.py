"""Propaganda-technique spans (loaded language, name calling, ...) from a token classifier on
ONNX Runtime, shipped as package data (models/propaganda: model.onnx, tokenizer.json, meta.json).

The model (train/train_propaganda.py, MODEL_CARD_PROPAGANDA.md) scores every token of a
sentence (v2: read with its title and neighbours, context_windows) for each channel in
meta.json "labels" with an independent sigmoid, so techniques may overlap. A span is a run of
consecutive tokens at or above the channel's threshold (tuned on the dev articles), grown over
neighbours at or above meta "extend" x the threshold, widened to whole words. Channel
"propaganda" marks any technique; "attribution_source" (v2) marks the source of an
attribution, for sourcing; the others are SemEval-2020 Task 11 technique names. What a report
shows is ``shown``: the technique spans and, for v2, any-technique spans named by their
likeliest technique.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from importlib import resources
from pathlib import Path

import numpy as np

from corroborator.runtime.batching import padded_batches
from corroborator.runtime.onnx_model import load_model_dir

ANY = "propaganda"
# a v2 channel that is not a technique: the source of an attribution, learnt from PolNeAR
# (read by signals/sourcing.py beside its parse rules, never shown as a technique)
SOURCE = "attribution_source"
WINDOW_OVERLAP = 16  # tokens shared by consecutive windows of a long sentence
# Plain-language explanations shown with each flag (technique names as in the corpus).
EXPLAIN = {
    "Loaded_Language": "loaded language: words chosen for their emotional charge",
    "Name_Calling,Labeling": "name calling: a label meant to make the reader fear, hate or admire",
    "Exaggeration,Minimisation": "exaggeration or minimisation: blown up or played down",
    "Doubt": "casts doubt on someone's credibility",
    "Appeal_to_fear-prejudice": "appeal to fear or prejudice",
    "Flag-Waving": "flag-waving: appeals to national or group pride",
    "Repetition": "repetition: the same message said again and again",
    "Causal_Oversimplification": "causal oversimplification: one cause for a complex outcome",
    "Appeal_to_Authority": "appeal to authority: true because someone important says so",
    "Slogans": "slogan: a brief, striking phrase in place of an argument",
    "Black-and-White_Fallacy": "black-and-white: only two options presented where there are more",
    "Whataboutism,Straw_Men,Red_Herring": "whataboutism, straw man or red herring: the point is changed or distorted",
    "Thought-terminating_Cliches": "thought-terminating cliché: a phrase that discourages further thought",
    "Bandwagon,Reductio_ad_hitlerum": "bandwagon or reductio ad Hitlerum: join the crowd, or guilt by association",
}


# v2 models (meta "context": true) read each sentence with its article around it: the second
# segment holds the title, the sentence before and the sentence after, each cut to its own
# token budget (repetition, whataboutism and doubt are relations to the text around).
CONTEXT_BUDGET = {"title": 8, "before": 16, "after": 8}


class Window(NamedTuple):
    """One model input: a window of the sentence (segment 0) and its context (segment 1)."""
    ids: list[int]
    type_ids: list[int]
    offsets: list[tuple[int, int]]
    special_tokens_mask: list[int]


def sentence_contexts(sentences: list[str], title: str = "") -> list[tuple[str, str, str]]:
    """(title, sentence before, sentence after) for each sentence of an article in order."""
    return [(title, sentences[i - 1] if i else "", sentences[i + 1] if i + 1 < len(sentences) else "")
            for i in range(len(sentences))]


def context_windows(tokenizer, texts: list[str], contexts: list[tuple[str, str, str]] | None) -> list[tuple[int, Window]]:
    """(text index, window) for every window of every text: the tokenizer's own windows of the
    sentence (truncation with stride) and, when ``contexts`` is given, the context tokens after
    them as segment 1 ([CLS] sentence [SEP] title | before | after [SEP]). Training builds its
    inputs with this function too, so the model sees at run time exactly what it learnt on."""
    encodings = tokenizer.encode_batch(texts) if texts else []
    sep = tokenizer.token_to_id("[SEP]")
    bar = tokenizer.token_to_id("|")
    pieces: list[list[int]] = []
    if contexts is not None:
        flat = [part for ctx in contexts for part in ctx]
        coded = tokenizer.encode_batch(flat, add_special_tokens=False) if flat else []
        for i in range(len(texts)):
            title, before, after = (coded[3 * i + k].ids for k in range(3))
            ids = (title[: CONTEXT_BUDGET["title"]] + [bar] + before[-CONTEXT_BUDGET["before"]:] + [bar]
                   + after[: CONTEXT_BUDGET["after"]] + [sep])
            pieces.append(ids)
    out = []
    for i, enc in enumerate(encodings):
        for w in (enc, *enc.overflowing):
            extra = pieces[i] if pieces else []
            out.append((i, Window(list(w.ids) + extra, [0] * len(w.ids) + [1] * len(extra),
                                  list(w.offsets) + [(0, 0)] * len(extra),
                                  list(w.special_tokens_mask) + [1] * len(extra))))
    return out


@dataclass(frozen=True)
class TechniqueSpan:
    technique: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class SentenceReading:
    """What the model finds in one sentence: the technique spans a report shows and the
    attribution sources (offsets into the sentence; none from a model without that channel)."""
    techniques: list[TechniqueSpan]
    sources: list[tuple[int, int]]


def packaged_model_dir() -> Path:
    return Path(str(resources.files("corroborator") / "models" / "propaganda"))


class OnnxTechniqueTagger:
    def __init__(self, model_dir: Path, batch_size: int = 32) -> None:
        meta, self.tokenizer, self.session = load_model_dir(model_dir, "propaganda", default_max_tokens=128,
                                                            stride=WINDOW_OVERLAP)
        self.labels: list[str] = meta["labels"]
        self.thresholds = np.array([float(meta.get("thresholds", {}).get(n, 0.5)) for n in self.labels])
        self.meta = meta
        self.batch_size = batch_size
        self.reads_context = bool(meta.get("context"))

    def probabilities(self, texts: list[str], contexts: list[tuple[str, str, str]] | None = None,
                      ) -> list[tuple[list[tuple[int, int]], np.ndarray]]:
        """Per text: token character offsets (special tokens excluded) and their
        (tokens, channels) probabilities. A text longer than max_tokens is read in
        overlapping windows (stride WINDOW_OVERLAP); a token seen twice keeps its higher score.
        ``contexts`` (title, before, after) per text: read by context models only."""
        if self.reads_context and contexts is None:
            contexts = [("", "", "")] * len(texts)
        windows = context_windows(self.tokenizer, texts, contexts if self.reads_context else None)
        per_text: list[dict[tuple[int, int], np.ndarray]] = [{} for _ in texts]
        for idx, feeds in padded_batches([w for _, w in windows], self.batch_size):
            logits = self.session.run(None, feeds)[0]
            probs = 1.0 / (1.0 + np.exp(-logits))
            for row, k in enumerate(idx):
                i, window = windows[k]
                for j, (offset, special) in enumerate(zip(window.offsets, window.special_tokens_mask)):
                    if not special:
                        seen = per_text[i].get(offset)
                        per_text[i][offset] = probs[row, j] if seen is None else np.maximum(seen, probs[row, j])
        out = []
        for tokens in per_text:
            offsets = sorted(tokens)
            out.append((offsets, np.array([tokens[o] for o in offsets]).reshape(len(offsets), len(self.labels))))
        return out

    def decode(self, text: str, offsets: list[tuple[int, int]], probs: np.ndarray,
               thresholds: np.ndarray | None = None, extend: float | None = None) -> list[TechniqueSpan]:
        """Per channel, runs of tokens at or above its threshold; with ``extend`` (meta
        "extend", a fraction of the threshold) a run grows over neighbouring tokens at or above
        extend × threshold (hysteresis: gold spans are whole phrases, and their edges score
        lower than their core)."""
        thresholds = self.thresholds if thresholds is None else thresholds
        extend = float(self.meta.get("extend", 1.0)) if extend is None else extend
        spans = []
        for c, label in enumerate(self.labels):
            on = probs[:, c] >= thresholds[c] if len(offsets) else np.zeros(0, dtype=bool)
            near = probs[:, c] >= thresholds[c] * extend if len(offsets) else on
            j = 0
            while j < len(offsets):
                if not on[j]:
                    j += 1
                    continue
                k = j
                while k + 1 < len(offsets) and near[k + 1]:
                    k += 1
                while j > 0 and near[j - 1] and not (spans and spans[-1].technique == label
                                                     and offsets[j - 1][0] < spans[-1].end):
                    j -= 1
                start, end = _widen(text, offsets[j][0], offsets[k][1])
                spans.append(TechniqueSpan(label, start, end, float(probs[j : k + 1, c].mean())))
                j = k + 1
        return _merge_touching(spans)

    def shown(self, text: str, offsets: list[tuple[int, int]], probs: np.ndarray,
              thresholds: np.ndarray | None = None, extend: float | None = None) -> list[TechniqueSpan]:
        """The spans a report shows: each technique channel's own spans and, for models whose
        meta says "shown_from_any", every span of the any-technique channel named by the
        technique most likely over its tokens (a span the any channel finds but no technique
        channel passes its bar would otherwise never reach the reader: recall first). The
        any channel's own spans and non-technique channels (the attribution source) are left
        out."""
        decoded = self.decode(text, offsets, probs, thresholds, extend)
        named = [sp for sp in decoded if sp.technique in EXPLAIN]
        if not self.meta.get("shown_from_any") or ANY not in self.labels:
            return named
        techniques = [c for c, label in enumerate(self.labels) if label in EXPLAIN]
        for sp in decoded:
            if sp.technique != ANY:
                continue
            inside = [j for j, (a, b) in enumerate(offsets) if a < sp.end and sp.start < b]
            if not inside or not techniques:
                continue
            means = probs[inside][:, techniques].mean(axis=0)
            best = techniques[int(np.argmax(means))]
            if not any(n.start < sp.end and sp.start < n.end for n in named if n.technique == self.labels[best]):
                named.append(TechniqueSpan(self.labels[best], sp.start, sp.end, sp.score))
        return sorted(named, key=lambda sp: (sp.start, sp.technique))

    def read(self, sentences: list[str], title: str = "") -> list[SentenceReading]:
        """Each sentence of an article in order, read once (with its title and neighbours for
        a context model): the spans to show and the attribution sources."""
        if not sentences:
            return []
        out = []
        for text, (offs, p) in zip(sentences, self.probabilities(sentences, sentence_contexts(sentences, title))):
            sources = [(sp.start, sp.end) for sp in self.decode(text, offs, p) if sp.technique == SOURCE]
            out.append(SentenceReading(self.shown(text, offs, p), sources))
        return out



def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend a span to whole words (a subword run may start or end inside one); hyphenated
    words count as one ("peace-loving")."""
    def inside(i: int) -> bool:
        return text[i].isalnum() or text[i] == "-" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()

    while start > 0 and inside(start - 1):
        start -= 1
    while end < len(text) and inside(end):
        end += 1
    return start, end


def _merge_touching(spans: list[TechniqueSpan]) -> list[TechniqueSpan]:
    """Join same-technique spans that overlap after widening (two subword runs of one word)."""
    out: list[TechniqueSpan] = []
    for s in sorted(spans, key=lambda s: (s.technique, s.start)):
        if out and out[-1].technique == s.technique and s.start <= out[-1].end:
            last = out.pop()
            s = TechniqueSpan(s.technique, last.start, max(last.end, s.end), max(last.score, s.score))
        out.append(s)
    return sorted(out, key=lambda s: (s.start, s.technique))


@lru_cache(maxsize=1)
def default_tagger() -> OnnxTechniqueTagger:
    """The packaged tagger, loaded once per process."""
    return OnnxTechniqueTagger(packaged_model_dir())
