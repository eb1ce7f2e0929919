"""Checking one article: the stages of check/__init__.py in order over one CheckState.

Models (spaCy, embedder, verifier, check-worthiness, tagger) are loaded once per ``Checker``
and reused for every article of a run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from corroborator.check import STAGES, CheckState, check_stages
from corroborator.domain import Article, Report
from corroborator.errors import BadInputError
from corroborator.retrieve.retriever import Retriever
from corroborator.runtime.embedder import Embedder, default_embedder
from corroborator.store import Store, open_store
from corroborator.verify import Verifier, default_verifier
from corroborator.verify.checks import MismatchChecker

# The full spaCy parse needs about 1 GB per 100k characters (spaCy's own estimate).
# Longest article a check takes: checking is linear in length, about 23 s and 0.36 GiB per 1,000
# sentences on 2 CPUs (bench/long_article.py); 500k characters is ~3,800 news sentences, ~1.5 min, ~2 GiB.
MAX_CHECK_CHARS = 500_000


class Checker:
    def __init__(
        self,
        store: Store,
        embedder: Embedder | None = None,
        verifier: Verifier | None = None,
        k: int = 6,
        checks: bool = True,
        checkworthiness=None,
        tagger=None,
        signals: tuple[str, ...] | None = None,
        stages: list | None = None,
    ) -> None:
        from corroborator.claims.checkworthy import default_checkworthiness
        from corroborator.signals.propaganda import default_tagger

        self.stages = list(STAGES if stages is None else stages)
        check_stages(self.stages)  # an order in which a stage reads what none before it writes fails here
        self.store = store
        self.checkworthiness = checkworthiness or default_checkworthiness()
        self.tagger = tagger or default_tagger()
        from corroborator.signals.family import family_names

        self.signal_names = family_names(signals)  # the signal families run (an unknown name fails here)
        self.checks = MismatchChecker() if checks else None
        self.embedder = embedder or default_embedder()
        self.verifier = verifier or default_verifier()
        self.retriever = Retriever(store, self.embedder, k=k)
        stats = store.stats()  # once per run: counting 2M sentences per article would cost ~0.1 s
        self.store_info = {"articles": stats["articles"], "sentences": stats["sentences"],
                           "texts": stats.get("distinct_sentence_vectors", 0)}
        # evidence articles' mean embedding and name keys, kept across the checks of a run
        self.profiles: dict[str, tuple[object, set[str]]] = {}

    def check(self, article: Article, progress: Callable[[str, int, int], None] | None = None) -> Report:
        """The report for one article: the stages in order (check/__init__.py) over one
        CheckState. ``progress(stage, done, total)`` is called as they advance (claims,
        verification in chunks of pairs), for a long article's progress bar."""
        if len(article.text) > MAX_CHECK_CHARS:
            raise BadInputError(
                f"article too long to check ({len(article.text):,} characters > {MAX_CHECK_CHARS:,}); split it"
            )
        state = CheckState(article=article, progress=progress or (lambda stage, done, total: None))
        for stage in self.stages:
            stage.run(state, self)
        return state.report


def open_for_check(address: str | Path, embedder: Embedder) -> Store:
    return open_store(address, create=False, embedder_name=embedder.name, dim=embedder.dim)
