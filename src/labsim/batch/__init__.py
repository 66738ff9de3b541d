"""Many runs: replications and sweep points over executors — serial, local processes, any
``concurrent.futures.Executor`` or a Dask ``Client`` — with results streamed to a resumable
Parquet store (DESIGN.md §9)."""

from labsim.batch.executors import ExecutorLike, check_executor, outcomes, workers_for
from labsim.batch.job import Job, Outcome, RunKey, execute
from labsim.batch.store import KEY_COLUMNS, Store, plain_frame, read_manifest
from labsim.batch.summary import RUN_COLUMNS, TABLES, RunSummary, frames_of, runs_of, summarise_run

__all__ = [
    "ExecutorLike", "outcomes", "check_executor", "workers_for", "frames_of", "runs_of", "Job", "Outcome", "RunKey", "execute", "Store", "read_manifest", "plain_frame",
    "KEY_COLUMNS", "RUN_COLUMNS", "TABLES", "RunSummary", "summarise_run",
]
