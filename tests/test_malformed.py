"""The corpus of malformed inputs (tests/malformed/): every case ends the CLI with exit 2 and one line naming where
and what, writes nothing, and makes the Python reader raise only :class:`~labsim.errors.LabsimError`.

A case is a file ``tests/malformed/KIND/NAME.EXT``. Its header is its leading lines that start with ``#`` (a line
``#---`` ends the header early, for a payload that itself starts with ``#``): the first says what is wrong;
``# expect: A; B`` lists text the error line must hold (where and what); ``# python: skip`` marks a case with no
Python reader (a command-line option). The rest of the file, byte for byte, is the payload: written under the
kind's file name into a scratch folder beside the files of ``tests/malformed/_support``, then run.
"""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from labsim.cli import main
from labsim.errors import LabsimError

CORPUS = Path(__file__).parent / "malformed"
SUPPORT = CORPUS / "_support"


def _scenario(folder: Path, payload: Path) -> None:
    from labsim.io.scenario_file import read_scenario

    read_scenario(payload)


def _profile(folder: Path, payload: Path) -> None:
    from labsim.io.profile_file import read_profile

    read_profile(payload)


def _via_scenario(name: str) -> Callable[[Path, Path], None]:
    def read(folder: Path, payload: Path) -> None:
        from labsim.io.scenario_file import read_scenario

        read_scenario(folder / name)
    return read


def _observed(folder: Path, payload: Path) -> None:
    from labsim.calibration import ObservedSeries

    ObservedSeries.read_csv(payload)


def _study(folder: Path, payload: Path) -> None:
    from labsim.io.study_file import read_study

    read_study(payload)


@dataclass(frozen=True)
class Kind:
    """How a kind of case is run: the payload's file name, the command line, and the Python reader."""

    file: str  # the payload's name; {ext} is the case's suffix
    argv: tuple[str, ...]
    read: Callable[[Path, Path], None] | None


KINDS: dict[str, Kind] = {
    "scenario": Kind("case.toml", ("validate", "case.toml"), _scenario),
    "profile": Kind("profile.toml", ("validate", "profile_scenario.toml"), _profile),
    "population": Kind("population{ext}", ("validate", "population_scenario.toml"),
                       _via_scenario("population_scenario.toml")),
    "patch": Kind("patch.toml", ("validate", "patch_scenario.toml"), _via_scenario("patch_scenario.toml")),
    "observed": Kind("series{ext}", ("calibrate", "observed_scenario.toml", "series{ext}", "--parameter",
                                     "kh=kontanthjaelp_aktivitetsparat->*", "--expected-only", "--out", "fitted.toml"),
                     _observed),
    "study": Kind("study.toml", ("sweep", "study.toml", "--out", "store", "--no-progress"), _study),
    "cli": Kind("", (), None),  # the payload is the command line itself
}


@dataclass(frozen=True)
class Case:
    """One malformed input of the corpus."""

    path: Path
    why: str
    expect: tuple[str, ...]
    python: bool
    payload: bytes

    @property
    def kind(self) -> str:
        return self.path.parent.name


def read_case(path: Path) -> Case:
    """A case file: its header and payload (see the module)."""
    data = path.read_bytes()
    lines = data.split(b"\n")
    header: list[str] = []
    used = 0
    for line in lines:
        if not line.startswith(b"#"):
            break
        used += 1
        if line.rstrip() == b"#---":
            break
        header.append(line[1:].decode("utf-8").strip())
    payload = b"\n".join(lines[used:])
    expect = tuple(part.strip() for line in header if line.startswith("expect:")
                   for part in line.removeprefix("expect:").split(";") if part.strip())
    assert header and header[0], f"{path}: the first line must say what is wrong"
    return Case(path, header[0], expect, "python: skip" not in header, payload)


CASES = sorted(p for kind in KINDS for p in (CORPUS / kind).glob("*") if p.is_file())


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*")}


def _prepare(case: Case, folder: Path) -> tuple[Path | None, list[str]]:
    for support in SUPPORT.iterdir():
        shutil.copy(support, folder / support.name)
    kind = KINDS[case.kind]
    ext = case.path.suffix
    if case.kind == "cli":
        return None, shlex.split(case.payload.decode("utf-8").strip())
    payload = folder / kind.file.format(ext=ext)
    payload.write_bytes(case.payload)
    for name in ("population_scenario.toml",):
        scenario = folder / name
        scenario.write_text(scenario.read_text(encoding="utf-8").replace("POPULATION", f"population{ext}"),
                            encoding="utf-8")
    return payload, [part.format(ext=ext) for part in kind.argv]


def test_the_corpus_covers_every_kind() -> None:
    counts = {kind: sum(1 for p in CASES if p.parent.name == kind) for kind in KINDS}
    assert all(counts.values()), counts
    assert len(CASES) >= 80, counts


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_malformed_input_exits_2_with_one_line_and_writes_nothing(path: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    case = read_case(path)
    _, argv = _prepare(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    before = _snapshot(tmp_path)
    try:
        code = main(argv)
    except SystemExit as exit:  # argparse ends a wrong command line so, after writing its one line
        code = exit.code
    out, err = capsys.readouterr()
    assert code == 2, (case.why, out, err)
    assert out == "", (case.why, out)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("labsim: error: "), (case.why, err)
    for text in case.expect:
        assert text in lines[0], (case.why, text, lines[0])
    assert _snapshot(tmp_path) == before, case.why


@pytest.mark.parametrize("path", [p for p in CASES if read_case(p).python],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_malformed_input_raises_only_labsim_errors_in_python(path: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    case = read_case(path)
    payload, _ = _prepare(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    reader = KINDS[case.kind].read
    assert reader is not None and payload is not None
    with pytest.raises(LabsimError):
        reader(tmp_path, payload)


# --- resource bounds --------------------------------------------------------------------------------------------

MEMORY_HEADROOM = 400 * 1024 * 1024
"""What a reader may allocate beyond the interpreter with labsim imported: 'a few hundred MB'."""

_BOUNDED = r'''
import resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import test_malformed as corpus
from labsim.errors import LabsimError
import labsim.io.scenario_file, labsim.io.study_file, labsim.calibration, pyarrow.parquet, pandas, scipy.stats
def virtual():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
limit = virtual() + int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
for path in sys.argv[4:]:
    case = corpus.read_case(Path(path))
    folder = Path(sys.argv[3]) / Path(path).parent.name / Path(path).name
    folder.mkdir(parents=True)
    payload, _ = corpus._prepare(case, folder)
    try:
        corpus.KINDS[case.kind].read(folder, payload)
    except LabsimError:
        pass
    except MemoryError:
        sys.exit(f"{path}: a reader needed more than the bound")
print("ok")
'''


def _large_cases(folder: Path) -> list[Path]:
    """Inputs of just under 1 MB that a careless reader would expand: long lists, many keys, many rows, one field."""
    cases = {
        "patch/long_hazard_list.toml": "# a hazard given as a list of 150,000 bands\n[hazards.employed]\nsygedagpenge = ["
                                       + ", ".join(["0.01"] * 150_000) + "]\n",
        "profile/many_age_bands.toml": "# 40,000 age bands\nname = 'x'\ninhabitants = 1000\nat = '2022-01'\n"
                                       "[age_shares]\n" + "".join(f'"{a}-{a}" = 0.00001\n' for a in range(40_000)),
        "population/many_rows.csv": "# 50,000 persons of whom one is 300 years old\nid,age,sex,state\n"
                                    + "".join(f"{i},{300 if i == 49_999 else 30},m,employed\n" for i in range(50_000)),
        "observed/one_long_field.csv": "# one field of 900,000 characters\nmunicipality,period,measure,kind,value,unit,"
                                       "source\nX,2022,kontanthjaelp_jobparat,level,1,fte," + "s" * 900_000 + "\n",
        "scenario/many_strategies.toml": "# 20,000 strategies\nextends = 'base.toml'\n"
                                         + "".join(f"[strategies.s{i}]\n" for i in range(20_000)),
        "study/many_points.toml": "# a sweep of a billion points\n[study]\nscenario = 'study_scenario.toml'\n"
                                  "method = 'lhs'\npoints = 1000000000\n[parameters.'efforts.ips.effect']\nlow = 1\n"
                                  "high = 2\n",
    }
    paths = []
    for name, text in cases.items():
        path = folder / "cases" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        assert path.stat().st_size < 1024 * 1024, name
        paths.append(path)
    return paths


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the process's size from /proc")
def test_no_reader_allocates_more_than_a_few_hundred_mb(tmp_path: Path) -> None:
    import subprocess
    import sys

    paths = [*_large_cases(tmp_path), *(p for p in CASES if read_case(p).python)]
    done = subprocess.run([sys.executable, "-c", _BOUNDED, str(Path(__file__).parent), str(MEMORY_HEADROOM),
                           str(tmp_path / "runs"), *map(str, paths)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]
