"""The command line as a process: Ctrl-C ends with one line and exit 130, a closed pipe ends quietly, and the
worker processes of a study end with their parent however it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SUPPORT = Path(__file__).parent / "malformed" / "_support"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the worker processes")


def _labsim(*args: str, cwd: Path, **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "labsim", *args], cwd=cwd, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
                            **kwargs)  # type: ignore[call-overload]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _wait_for_workers(process: subprocess.Popen[bytes], count: int) -> list[int]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        children = _children(process.pid)
        if len(children) >= count:
            return children
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    raise AssertionError("the workers never started")


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    for name in ("base.toml", "profile.toml"):
        (tmp_path / name).write_bytes((SUPPORT / name).read_bytes())
    return tmp_path


def _interrupted(folder: Path, delay: float) -> None:
    """Ctrl-C ``delay`` seconds after a parallel comparison's workers appear: exit 130, one line, no worker left."""
    process = _labsim("compare", "base.toml", "--replications", "2000", "--jobs", "2", "--no-progress", "--out",
                      "results", cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers = _wait_for_workers(process, 3)  # two workers and the resource tracker
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.decode().splitlines() == ["labsim: interrupted"]
    time.sleep(1)
    assert not [pid for pid in workers if _alive(pid)]


def test_ctrl_c_ends_a_parallel_run_with_one_line_and_exit_130(folder: Path) -> None:
    _interrupted(folder, 2.0)
    assert sorted(p.name for p in folder.iterdir()) == ["base.toml", "profile.toml"]  # nothing half-written


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.2])
def test_ctrl_c_while_a_worker_still_starts_prints_no_traceback(folder: Path, delay: float) -> None:
    # the signal reaches the second worker while it imports labsim, before it could be told to ignore Ctrl-C
    _interrupted(folder, delay)


def test_a_worker_is_born_with_ctrl_c_blocked_and_then_ignores_it() -> None:
    from concurrent.futures import ProcessPoolExecutor

    from labsim.batch.executors import _QuietSpawnContext, start_worker

    with ProcessPoolExecutor(1, mp_context=_QuietSpawnContext()) as bare:
        assert signal.SIGINT in bare.submit(signal.pthread_sigmask, signal.SIG_BLOCK, []).result()
    with ProcessPoolExecutor(1, mp_context=_QuietSpawnContext(), initializer=start_worker,
                             initargs=(os.getpid(),)) as pool:
        assert signal.SIGINT not in pool.submit(signal.pthread_sigmask, signal.SIG_BLOCK, []).result()
        assert pool.submit(signal.getsignal, signal.SIGINT).result() == signal.SIG_IGN
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])  # the parent's mask is as it was


def test_workers_end_when_their_parent_is_killed(folder: Path) -> None:
    process = _labsim("compare", "base.toml", "--replications", "2000", "--jobs", "2", "--no-progress", cwd=folder,
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = _wait_for_workers(process, 3)
    time.sleep(1)
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and [pid for pid in workers if _alive(pid)]:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]


def test_a_closed_pipe_ends_quietly(folder: Path) -> None:
    read, write = os.pipe()
    process = _labsim("validate", "base.toml", cwd=folder, stdout=write, stderr=subprocess.PIPE)
    os.close(write)
    os.close(read)  # the reader has gone (`labsim … | head -0`) before labsim writes
    _, err = process.communicate(timeout=60)
    assert err == b""
    assert process.returncode == 141
