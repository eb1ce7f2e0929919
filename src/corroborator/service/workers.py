"""Where the server's work runs, so that requests return at once:

- checks on a bounded pool of worker *processes*, each with its own application object (one copy
  of the models per worker, loaded once; memory grows with workers, not with requests), or with
  ``workers=0`` on one thread of the server process (tests, small machines);
- indexing on one writer thread (the store has one writer); it opens the store as the writer
  for the job and closes it after, so a command-line ``index`` can run between jobs;
- reads (search, timeline, stats, signals) on one reader thread of the server process, whose
  store connection never moves between threads.

After an indexing job the store's ``generation`` (service.db) goes up, and a command-line
``index`` changes store.db's files: readers and workers reopen the store before their next
piece of work when either changed (``ServiceDB.archive_version``), so they see the new articles."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from corroborator.app import Corroborator, Settings
from corroborator.domain import Article
from corroborator.errors import CorroboratorError
from corroborator.service.db import ServiceDB

PROGRESS_EVERY = 0.5  # seconds between progress writes of one job


class _Worker:
    """One application object and its view of the store's generation."""

    def __init__(self, store: str, db_address: Path | str) -> None:
        self.core = Corroborator(Settings(store=store))
        self.db = ServiceDB(db_address, archive=store)
        self.generation = self.db.archive_version()

    def fresh(self) -> Corroborator:
        generation = self.db.archive_version()
        if generation != self.generation:
            self.core.reopen()
            self.generation = generation
        return self.core


_WORKER: _Worker | None = None  # the one of this worker process
# the check thread of a server with workers=0: one per thread, never the process global (two
# servers in one process, as in the tests, each have their own store and service.db)
_THREAD = threading.local()


# How often a worker process looks whether the server that started it is still there.
PARENT_POLL = 1.0


def _exit_with(parent: int) -> None:
    """End this worker process once its parent is gone (the server was killed, or exited with a
    check still running: ``shutdown(wait=False)`` does not stop a busy worker). Without this the
    worker (~0.6-0.9 GB) lived on as an orphan and could finish jobs a restarted server had
    already marked failed."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(0)


def _init_worker(store: str, db_address: str) -> None:
    global _WORKER
    if multiprocessing.parent_process() is not None:  # a worker process (not the check thread of workers=0)
        threading.Thread(target=_exit_with, args=(os.getppid(),), name="exit-with-server", daemon=True).start()
        _WORKER = _Worker(store, db_address)
    else:
        _THREAD.worker = _Worker(store, db_address)


class JobTimeout(Exception):
    pass


class LeaseLost(Exception):
    """The job's lease was revoked (a restart failed it): stop, and write nothing."""


def _reporter(db: ServiceDB, job_id: str, lease: str, timeout: float) -> Callable[[str, int, int], None]:
    """Progress into service.db (at most every PROGRESS_EVERY s) and the job's time limit: the
    check calls this between its stages and chunks, so a check past ``timeout`` stops there,
    and so does one whose lease is gone."""
    last = [0.0]
    deadline = time.monotonic() + timeout

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now > deadline:
            raise JobTimeout(f"the check took longer than {timeout:g} s and was stopped")
        if now - last[0] >= PROGRESS_EVERY or done == total:
            last[0] = now
            if not db.progress(job_id, lease, stage, done, total):
                raise LeaseLost(job_id)

    return progress


def run_check(job_id: str, article: dict, timeout: float = 600.0) -> None:
    """A check job, in a worker: the report (JSON and HTML) or a one-line reason it failed."""
    from corroborator.render import html

    worker = getattr(_THREAD, "worker", None) or _WORKER
    db = worker.db
    lease = db.start_job(job_id)
    if lease is None:  # failed by a restart (or taken) before this worker reached it
        return
    try:
        report = worker.fresh().check(Article.model_validate(article), progress=_reporter(db, job_id, lease, timeout))
        db.finish_job(job_id, lease, report.to_json_dict(), html.render(report))
    except LeaseLost:
        return
    except (CorroboratorError, JobTimeout) as exc:
        db.fail_job(job_id, lease, str(exc))
    except Exception as exc:  # a worker never dies of one article
        db.fail_job(job_id, lease, f"internal error: {type(exc).__name__}: {exc}")


class CheckPool:
    def __init__(self, store: str, db_address: Path | str, workers: int, timeout: float = 600.0) -> None:
        self.workers = workers
        self.timeout = timeout
        args = (str(store), str(db_address))
        if workers == 0:
            self.executor: Executor = ThreadPoolExecutor(1, thread_name_prefix="check", initializer=_init_worker,
                                                         initargs=args)
        else:
            # spawn: a fresh interpreter per worker (no forked copies of the server's threads)
            self.executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                                initializer=_init_worker, initargs=args)

    def submit(self, job_id: str, article: Article) -> None:
        self.executor.submit(run_check, job_id, article.model_dump(mode="json"), self.timeout)

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


class Writer:
    """The single indexing thread."""

    def __init__(self, store: str, db: ServiceDB) -> None:
        self.store = store
        self.db = db
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="index")

    def submit(self, job_id: str, items: Callable[[], object], total: int, cleanup: Callable[[], None]) -> None:
        self.executor.submit(self._run, job_id, items, total, cleanup)

    def _run(self, job_id: str, items, total: int, cleanup) -> None:
        db = self.db
        lease = db.start_job(job_id)
        if lease is None:
            cleanup()
            return
        errors: list[str] = []
        try:
            with Corroborator(Settings(store=self.store, wait_for_writer=True)) as core:
                db.progress(job_id, lease, "indexing", 0, total)
                result = core.index(items(), on_error=errors.append,
                                    on_progress=lambda r: db.progress(job_id, lease, "indexing", r.read, max(total, r.read)))
            db.bump("generation")
            db.finish_job(job_id, lease, {"read": result.read, "added": result.added, "duplicates": result.duplicates,
                                   "sentences": result.sentences, "errors": errors[:100], "seconds": round(result.seconds, 2)})
        except CorroboratorError as exc:
            db.fail_job(job_id, lease, str(exc))
        except Exception as exc:
            db.fail_job(job_id, lease, f"internal error: {type(exc).__name__}: {exc}")
        finally:
            cleanup()

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


class Reader:
    """The reader thread: every store read of the server runs here, one at a time."""

    def __init__(self, store: str, db: ServiceDB) -> None:
        self.store = store
        self.db = db
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="read", initializer=self._init)
        self.worker: _Worker | None = None

    def _init(self) -> None:
        self.worker = _Worker(self.store, self.db.address)

    def run(self, fn: Callable[[Corroborator], object]):
        """A future of ``fn(core)`` on the reader thread (asyncio: ``asyncio.wrap_future``)."""
        return self.executor.submit(lambda: fn(self.worker.fresh()))

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
