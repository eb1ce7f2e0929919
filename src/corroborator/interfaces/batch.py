"""`corroborator batch index|check` on a Ray cluster: the same work as `index` and `check`,
spread over actors that each load the models once.

- index: the driver reads the sources (bad records are reported one by one and never stop the
  run), drops articles the store already holds (so a re-run resumes), and sends batches to
  *preparer* actors (segment, fingerprint, embed: indexing.prepare, no store needed); the
  prepared batches come back to the driver, the store's one writer (indexing.commit: origins,
  dedupe, insert). With PostgreSQL the database would take many writers; one is enough while
  embedding dominates.
- check: *checker* actors each hold a read-only application object on the store; reports are
  written as JSON Lines as they finish; article ids already in the output file are skipped
  (resume).

Actors ask for half a CPU each, so a cluster's CPUs are never all held by actors and Ray's own
tasks can still run. Ray is the optional ``cluster`` extra."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corroborator.app import Corroborator, Settings
from corroborator.domain import Article
from corroborator.errors import BadInputError, CorroboratorError

ACTOR_CPUS = 0.5
BATCH = 64  # articles per prepare call: the indexer's batch


@dataclass
class BatchResult:
    read: int = 0
    done: int = 0  # articles added (index) or checked (check)
    skipped: int = 0  # already stored / already in the output
    errors: list[str] = field(default_factory=list)


def connect(address: str | None) -> None:
    """Join the cluster at ``address`` ("auto": the one this machine belongs to), or start a
    local one when None; nothing when this process is connected already."""
    try:
        import ray
    except ImportError:
        raise CorroboratorError("batch runs need Ray: pip install 'corroborator[cluster]'") from None
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if ray.is_initialized():
        return
    if address:
        ray.init(address=address, logging_level="WARNING", log_to_driver=False)
    else:
        ray.init(include_dashboard=False, logging_level="WARNING", log_to_driver=False)


def _actor_count(workers: int | None) -> int:
    import ray

    return workers or max(1, int(ray.cluster_resources().get("CPU", 1)))


def _preparer_class():
    import ray

    @ray.remote(num_cpus=ACTOR_CPUS)
    class Preparer:
        def __init__(self) -> None:
            from corroborator.runtime.embedder import default_embedder

            self.embedder = default_embedder()

        def prepare(self, articles: list[Article]):
            from corroborator.indexing.indexer import prepare

            return prepare(articles, self.embedder)

    return Preparer


def _checker_class():
    import ray

    @ray.remote(num_cpus=ACTOR_CPUS)
    class Checker:
        def __init__(self, store: str) -> None:
            self.core = Corroborator(Settings(store=store))
            self.core.require_archive()

        def check(self, article: Article) -> tuple[str, str | None, str | None]:
            """(article id, report JSON line, or the one-line reason it could not be checked)."""
            try:
                report = self.core.check(article)
            except CorroboratorError as exc:
                return article.id, None, f"{article.source or article.id}: {exc}"
            return article.id, json.dumps(report.to_json_dict(), ensure_ascii=False), None

    return Checker


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def batch_index(items: Iterable[Article | BadInputError], store: str, workers: int | None = None,
                on_progress: Callable[[BatchResult], None] | None = None) -> BatchResult:
    from ray.util import ActorPool

    result = BatchResult()
    pool = ActorPool([_preparer_class().remote() for _ in range(_actor_count(workers))])
    with Corroborator(Settings(store=store, wait_for_writer=True)) as core:

        def fresh_batches() -> Iterator[list[Article]]:
            for batch in _batches(items, BATCH):
                articles = []
                for item in batch:
                    if isinstance(item, BadInputError):
                        result.errors.append(str(item))
                        continue
                    result.read += 1
                    articles.append(item)
                stored = core.stored_content([a.content_hash for a in articles])
                result.skipped += sum(a.content_hash in stored for a in articles)
                fresh = [a for a in articles if a.content_hash not in stored]
                if fresh:
                    yield fresh
                elif on_progress:
                    on_progress(result)

        # in input order, so origins are decided as a single process would (earlier articles first)
        with core.bulk_load():
            for prepared in pool.map(lambda actor, batch: actor.prepare.remote(batch), fresh_batches()):
                result.done += core.commit(prepared)
                if on_progress:
                    on_progress(result)
    return result


def batch_check(items: Iterable[Article | BadInputError], store: str, out: Path, workers: int | None = None,
                on_progress: Callable[[BatchResult], None] | None = None) -> BatchResult:
    from ray.util import ActorPool

    result = BatchResult()
    done_ids = _ids_in(out)
    articles = []
    for item in items:
        if isinstance(item, BadInputError):
            result.errors.append(str(item))
        elif item.id in done_ids:
            result.read += 1
            result.skipped += 1
        else:
            result.read += 1
            articles.append(item)
    if not articles:
        return result
    pool = ActorPool([_checker_class().remote(store) for _ in range(min(_actor_count(workers), len(articles)))])
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as fh:
        for _, line, error in pool.map_unordered(lambda actor, article: actor.check.remote(article), articles):
            if error:
                result.errors.append(error)
            else:
                fh.write(line + "\n")
                fh.flush()
                result.done += 1
            if on_progress:
                on_progress(result)
    return result


def _ids_in(out: Path) -> set[str]:
    """Ids of the reports already in an output file (a cut-off last line is ignored)."""
    ids: set[str] = set()
    if not out.exists():
        return ids
    with out.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                ids.add(json.loads(line)["article"]["id"])
            except (ValueError, KeyError, TypeError):
                continue
    return ids
