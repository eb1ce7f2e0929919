"""Length-sorted batching for transformer inference: throughput follows padded tokens, so
sequences of similar length go together."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np


def padded_batches(encodings: Sequence, batch_size: int) -> Iterator[tuple[list[int], dict[str, np.ndarray]]]:
    """Yield (input positions, feeds) per batch: input_ids, attention_mask and token_type_ids
    padded to the longest sequence in the batch."""
    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        width = max(len(encodings[i].ids) for i in idx)
        feeds = {n: np.zeros((len(idx), width), dtype=np.int64) for n in ("input_ids", "attention_mask", "token_type_ids")}
        for row, i in enumerate(idx):
            n = len(encodings[i].ids)
            feeds["input_ids"][row, :n] = encodings[i].ids
            feeds["attention_mask"][row, :n] = 1
            feeds["token_type_ids"][row, :n] = encodings[i].type_ids
        yield idx, feeds
