"""Where runs are made: serially, in local processes, or on any ``concurrent.futures.Executor`` — a Dask
``Client`` included, which is how a study outgrows one machine (DESIGN.md §9).

Whatever the executor, each run depends only on the job and its key, so the results are the same bit for
bit; only the order in which tasks finish differs, and the store sorts that away.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, ProcessPoolExecutor, wait
from typing import Any

from labsim.batch.job import Job, Outcome, RunKey, execute
from labsim.errors import LabsimError, ValidationError

__all__ = ["ExecutorLike", "outcomes", "check_executor", "workers_for", "start_worker"]

ExecutorLike = Executor | Any | str | None
"""``None`` or ``"serial"``; ``"processes"``; a ``concurrent.futures.Executor``; or a Dask ``Client``."""

_PER_WORKER = 2
"""Tasks kept in flight per worker: one running, one queued, so no worker waits between tasks."""
_FOREIGN_WINDOW = 64
"""Tasks kept in flight on an executor whose worker count labsim cannot see."""


_WATCH_SECONDS = 1.0
"""How often a worker looks whether its parent is still alive, where the system cannot tell it at once."""


def start_worker(parent: int) -> None:
    """Set up a worker process of labsim's own pool: it ends when its parent does, however the parent ends (a
    killed study leaves no worker behind); it leaves Ctrl-C to the parent, which stops the study and says so in
    one line; and its progress bars (never shown) lock with a thread lock, not a semaphore the system would
    report as leaked when the worker is stopped."""
    from tqdm import tqdm

    tqdm.set_lock(threading.RLock())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _HAVE_SIGMASK:  # born with Ctrl-C blocked (see _QuietSpawnProcess); ignored now, so a pending one is dropped
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if sys.platform.startswith("linux"):
        try:  # the kernel kills the worker the moment its parent dies
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="labsim-watch-parent", daemon=True).start()


_PR_SET_PDEATHSIG = 1
"""Linux's prctl option: the signal a process gets when its parent dies."""

_HAVE_SIGMASK = hasattr(signal, "pthread_sigmask")


class _QuietSpawnProcess(multiprocessing.context.SpawnProcess):
    """A worker process started with Ctrl-C blocked, as Python starts its own resource tracker.

    A Ctrl-C in the terminal goes to every process of the group. A worker still importing labsim when it
    comes would print a traceback before :func:`start_worker` could tell it to leave Ctrl-C to the parent.
    Blocked from birth, the signal waits until the worker ignores it. The parent blocks it only while it
    starts the process; a Ctrl-C meant for the parent in that moment is delivered right after."""

    def start(self) -> None:
        if not _HAVE_SIGMASK:
            super().start()
            return
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            super().start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _QuietSpawnContext(multiprocessing.context.SpawnContext):
    """The spawn context whose processes start with Ctrl-C blocked."""

    Process = _QuietSpawnProcess


def _watch_parent(parent: int) -> None:
    """End this process once its parent has gone (it is then adopted by another process)."""
    while os.getppid() == parent:
        time.sleep(_WATCH_SECONDS)
    os._exit(1)


def workers_for(n_jobs: int | None) -> int:
    """``n_jobs`` as a worker count: ``None`` → 1, ``-1`` → every core, else at least 1."""
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
        raise ValidationError(f"n_jobs must be a positive integer or -1 (every core); got {n_jobs!r}.")
    return (os.cpu_count() or 1) if n_jobs == -1 else n_jobs


def _resolve(executor: ExecutorLike, n_jobs: int | None) -> tuple[Executor | None, bool, int]:
    """(executor or ``None`` for serial, whether labsim owns it, tasks to keep in flight)."""
    workers = workers_for(n_jobs)
    if executor is None or executor == "serial":
        if executor == "serial" or workers == 1:
            return None, False, 1
        executor = "processes"
    if executor == "processes":
        # spawn: every worker starts clean (no inherited threads or locks) on every platform, as in a notebook.
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_QuietSpawnContext(),
                                   initializer=start_worker, initargs=(os.getpid(),))
        return pool, True, _PER_WORKER * workers
    if isinstance(executor, str):
        raise ValidationError(f"executor must be 'serial', 'processes', a concurrent.futures.Executor or a Dask "
                              f"Client; got {executor!r}.")
    if isinstance(executor, Executor):
        known = getattr(executor, "_max_workers", None)
        return executor, False, _PER_WORKER * known if isinstance(known, int) else _FOREIGN_WINDOW
    if callable(getattr(executor, "get_executor", None)):  # a dask.distributed.Client
        threads = sum(executor.nthreads().values()) if callable(getattr(executor, "nthreads", None)) else 0
        return executor.get_executor(pure=False), False, _PER_WORKER * threads if threads else _FOREIGN_WINDOW
    raise ValidationError(f"executor must be 'serial', 'processes', a concurrent.futures.Executor or a Dask Client; "
                          f"got a {type(executor).__name__}.")


def check_executor(job: Job, executor: ExecutorLike = None, n_jobs: int | None = None) -> None:
    """Raise what :func:`outcomes` would raise before any work: an executor labsim cannot use, or a job that
    cannot travel to workers. Starts no process."""
    pool, owned, _ = _resolve(executor, n_jobs)
    try:
        if pool is not None:
            _payload(job)
    finally:
        if owned and pool is not None:
            pool.shutdown()


def outcomes(job: Job, tasks: Sequence[tuple[RunKey, ...]], *, executor: ExecutorLike = None,
             n_jobs: int | None = None) -> Iterator[list[Outcome]]:
    """Make ``tasks`` of ``job``, yielding each task's outcomes as it finishes.

    Serial work runs in this process, in order. Otherwise at most two tasks per worker are in flight (64
    on an executor whose workers labsim cannot count), so a study of a million runs does not queue a
    million payloads. A task whose future fails (a result that cannot travel, a lost Dask worker) yields
    every run of it as failed. When a worker process of labsim's own pool dies, the tasks in flight are
    recorded as failed and a new pool takes the rest; a broken executor of the caller's is raised.
    """
    pool, owned, in_flight = _resolve(executor, n_jobs)
    if pool is None:
        return (execute(job, task) for task in tasks)
    try:
        payload = _payload(job)
    except LabsimError:
        if owned:
            pool.shutdown(cancel_futures=True)
        raise
    return _stream(job, payload, tasks, pool, owned, max(1, in_flight), n_jobs)


def _payload(job: Job) -> bytes:
    try:
        return job.payload()
    except Exception as error:  # noqa: BLE001 - the message says what to do
        raise ValidationError(f"the study cannot be sent to workers ({type(error).__name__}: {error}); run it "
                              f"serially (n_jobs=1) or make its parts picklable.") from None


def _stream(job: Job, payload: bytes, tasks: Sequence[tuple[RunKey, ...]], pool: Executor, owned: bool, limit: int,
            n_jobs: int | None) -> Iterator[list[Outcome]]:
    pending: dict[Future[list[Outcome]], tuple[RunKey, ...]] = {}
    queue = iter(tasks)
    try:
        while True:
            for task in queue:
                pending[pool.submit(execute, payload, task)] = task
                if len(pending) >= limit:
                    break
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                task = pending.pop(future)
                try:
                    yield future.result()
                except BrokenExecutor as error:
                    if not owned:
                        raise
                    lost = [task, *pending.values()]
                    pending.clear()
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = _resolve("processes", n_jobs)[0]  # type: ignore[assignment]
                    message = f"a worker process died ({type(error).__name__}: {error})"
                    for keys in lost:
                        yield _failed(job, keys, message)
                    break
                except Exception as error:  # noqa: BLE001 - recorded as the task's failed runs
                    yield _failed(job, task, f"{type(error).__name__}: {error}")
    except KeyboardInterrupt:
        if owned:  # Ctrl-C: the runs in flight are not waited for
            _terminate(pool)
        raise
    finally:
        for future in pending:
            future.cancel()
        if owned:
            pool.shutdown(wait=True, cancel_futures=True)


def _terminate(pool: Executor) -> None:
    """Stop the worker processes of labsim's own pool now (Python 3.14 has ``terminate_workers``; before it, the
    pool's processes are stopped one by one)."""
    stop = getattr(pool, "terminate_workers", None)
    if callable(stop):
        stop()
        return
    for process in list(getattr(pool, "_processes", {}).values()):
        process.terminate()


def _failed(job: Job, keys: tuple[RunKey, ...], message: str) -> list[Outcome]:
    return [Outcome(key, job.seed, job.spawn_key(key.replicate), None, message) for key in keys]
