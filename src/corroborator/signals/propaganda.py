"""Propaganda-technique spans (loaded language, name calling, ...) from a token classifier on
ONNX Runtime, shipped as package data (models/propaganda: model.onnx, tokenizer.json, meta.json).

The model (train/train_propaganda.py, MODEL_CARD_PROPAGANDA.md) scores every token of a
sentence for each channel in meta.json "labels" with an independent sigmoid, so techniques
may overlap. A span is a run of consecutive tokens at or above the channel's threshold
(tuned on the dev articles), widened to whole words. Channel "propaganda" marks any
technique; the others are SemEval-2020 Task 11 technique names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from corroborator.runtime.batching import padded_batches
from corroborator.runtime.onnx_model import load_model_dir

ANY = "propaganda"
WINDOW_OVERLAP = 16  # tokens shared by consecutive windows of a long sentence
# Plain-language explanations shown with each flag (technique names as in the corpus).
EXPLAIN = {
    "Loaded_Language": "loaded language: words chosen for their emotional charge",
    "Name_Calling,Labeling": "name calling: a label meant to make the reader fear, hate or admire",
    "Exaggeration,Minimisation": "exaggeration or minimisation: blown up or played down",
    "Doubt": "casts doubt on someone's credibility",
    "Appeal_to_fear-prejudice": "appeal to fear or prejudice",
    "Flag-Waving": "flag-waving: appeals to national or group pride",
}


@dataclass(frozen=True)
class TechniqueSpan:
    technique: str
    start: int
    end: int
    score: float


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

    def probabilities(self, texts: list[str]) -> list[tuple[list[tuple[int, int]], np.ndarray]]:
        """Per text: token character offsets (special tokens excluded) and their
        (tokens, channels) probabilities. A text longer than max_tokens is read in
        overlapping windows (stride WINDOW_OVERLAP); a token seen twice keeps its higher score."""
        encodings = self.tokenizer.encode_batch(texts)
        windows = [(i, w) for i, enc in enumerate(encodings) for w in (enc, *enc.overflowing)]
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
               thresholds: np.ndarray | None = None) -> list[TechniqueSpan]:
        thresholds = self.thresholds if thresholds is None else thresholds
        spans = []
        for c, label in enumerate(self.labels):
            on = probs[:, c] >= thresholds[c] if len(offsets) else np.zeros(0, dtype=bool)
            j = 0
            while j < len(offsets):
                if not on[j]:
                    j += 1
                    continue
                k = j
                while k + 1 < len(offsets) and on[k + 1]:
                    k += 1
                start, end = _widen(text, offsets[j][0], offsets[k][1])
                spans.append(TechniqueSpan(label, start, end, float(probs[j : k + 1, c].mean())))
                j = k + 1
        return _merge_touching(spans)

    def tag(self, texts: list[str]) -> list[list[TechniqueSpan]]:
        if not texts:
            return []
        return [self.decode(t, offs, p) for t, (offs, p) in zip(texts, self.probabilities(texts))]


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
