"""The command line: ``labsim validate | run | compare SCENARIO.toml``, ``labsim sweep STUDY.toml``,
``labsim calibrate SCENARIO.toml SERIES.csv`` and ``labsim report RESULTS_DIR``.

Bad input (a scenario or study with problems, an unknown strategy, a folder that cannot be written, a
store of another study) ends with one line on standard error and exit code 2, and nothing written;
``--debug`` shows the traceback instead. A run of ``run`` or ``compare`` that fails ends the same way,
with the run and its error; in ``sweep`` a failed run is recorded in the store and reported, and the
sweep goes on.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd

from labsim._version import __version__
from labsim.calendar import month_label, parse_month
from labsim.calibration import (
    ExpectedValueCalibrator,
    HazardMultiplier,
    ObservedSeries,
    SimulatedCalibrator,
    write_fitted,
)
from labsim.calibration.fitted import FITTED_MARK
from labsim.errors import LabsimError, LabsimWarning
from labsim.experiments import Comparison, StudyResults, compare, run_study
from labsim.experiments.baseline_check import balance_warning, baseline_method, baseline_warning
from labsim.experiments.compare import FORMATS, comparison_folder
from labsim.experiments.study import FLUSH_RUNS
from labsim.files.output import check_file, write_file
from labsim.io.scenario_file import read_scenario
from labsim.io.study_file import read_study
from labsim.results.money import MONEY_ITEMS
from labsim.simulation import Scenario

__all__ = ["main"]

_EXIT_BAD_INPUT = 2
_EXIT_BUG = 1
_EXIT_INTERRUPTED = 130
_EXIT_CLOSED_PIPE = 141


_EXAMPLES = {
    "labsim": """examples:
  labsim validate scenarios/hjoerring_2022.toml
  labsim compare scenarios/hjoerring_2022.toml --replications 20 --jobs 2 --out results/hjoerring
  labsim report results/hjoerring --out hjoerring.html
  labsim sweep scenarios/studies/hjoerring_effects.toml --out studies/effects --jobs 2
  labsim calibrate scenarios/broenderslev_2021.toml calibration/data/broenderslev_2021.csv \\
      --end 2020-09 --parameter "kh=kontanthjaelp_aktivitetsparat->*" --out fitted.toml""",
    "validate": "example:\n  labsim validate scenarios/broenderslev_2021.toml",
    "run": "examples:\n  labsim run scenarios/broenderslev_2021.toml\n"
           "  labsim run scenarios/hjoerring_2022.toml --strategy continue_2041 --replications 5 --out results/run",
    "compare": "examples:\n  labsim compare scenarios/hjoerring_2022.toml --replications 20 --jobs 2 --out results/hj\n"
               "  labsim compare scenarios/broenderslev_2021.toml --strategies without_strategy,team_alfa",
    "sweep": "examples:\n  labsim sweep scenarios/studies/hjoerring_effects.toml --out studies/effects --jobs 2\n"
             "  labsim sweep scenarios/studies/hjoerring_effects.toml --out studies/effects --resume\n"
             "  labsim sweep scenarios/studies/broenderslev_effects.toml --points 2 --replications 1 --out studies/try",
    "calibrate": """examples:
  labsim calibrate scenarios/broenderslev_2021.toml calibration/data/broenderslev_2021.csv --end 2020-09 \\
      --parameter "kh=kontanthjaelp_aktivitetsparat->*" \\
      --measure kontanthjaelp_jobparat+kontanthjaelp_aktivitetsparat --out fitted.toml --plot fit.png
  labsim calibrate SCENARIO.toml SERIES.csv --parameter "sick=sygedagpenge->*" --expected-only""",
    "report": "examples:\n  labsim compare scenarios/hjoerring_2022.toml --out results/hj\n"
              "  labsim report results/hj --out hjoerring.html --lang da",
}
"""The examples each command's ``--help`` ends with."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a wrong command line ends with one line (what is wrong and where to look), exit code 2."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("labsim").strip()
        self.exit(_EXIT_BAD_INPUT, f"labsim: error: {command + ': ' if command else ''}{_one_line(message)} "
                                   f"(see {self.prog} --help)\n")


def _bounded(kind: type, low: float, high: float | None = None) -> Callable[[str], Any]:
    """An argparse type: a ``kind`` number between ``low`` and ``high``."""
    def convert(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{'a whole number' if kind is int else 'a number'} is wanted; "
                                             f"got {text!r}") from None
        if not math.isfinite(value) or value < low or (high is not None and value > high):
            shown = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            raise argparse.ArgumentTypeError(f"must be {shown}; got {text!r}")
        return value
    return convert


_REPLICATIONS = _bounded(int, 1, 100_000)
_SEED = _bounded(int, 0, 2**63 - 1)


def _JOBS(text: str) -> int:  # noqa: N802 - an argparse type, named like the others
    """``--jobs``: a positive number of worker processes, or -1 for every core."""
    value: int = _bounded(int, -1, 4096)(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be a positive number of worker processes, or -1 for every core; "
                                          "got '0'")
    return value


def _command(commands: Any, name: str, words: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=words, description=words[:1].upper() + words[1:] + ".", epilog=_EXAMPLES[name],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    if name != "report":
        parser.add_argument("--allow-outside", action="store_true", help="read files the scenario or study names "
                            "outside its folder tree (docs/safety.md)")
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="labsim", description="Simulate the Danish labour market as a municipality "
                                     "sees it: check, run, compare, sweep and calibrate scenario files, and report.",
                                     epilog=_EXAMPLES["labsim"], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"labsim {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    check = _command(commands, "validate", "check a scenario file and list every problem")
    check.add_argument("scenario", type=Path)
    _set_option(check)
    for name, words in (("run", "run one strategy (the baseline by default) with replications"),
                        ("compare", "run every strategy with common random numbers and compare them")):
        command = _command(commands, name, words)
        command.add_argument("scenario", type=Path)
        _set_option(command)
        if name == "run":
            command.add_argument("--strategy", help="the strategy to run (default: the scenario's baseline)")
        else:
            command.add_argument("--strategies", help="comma-separated strategies (default: all)")
        command.add_argument("--replications", type=_REPLICATIONS, help="replications (default: the scenario's)")
        command.add_argument("--seed", type=_SEED, help="seed (default: the scenario's)")
        command.add_argument("--jobs", type=_JOBS, default=1, help="local worker processes (-1: every core; default 1)")
        command.add_argument("--out", type=Path, help="write the tidy frames to this results folder (new, empty, or "
                             "a previous result, which is replaced whole)")
        command.add_argument("--format", choices=FORMATS, default=FORMATS[0],
                             help=f"file format: {', '.join(FORMATS)} (default {FORMATS[0]})")
        command.add_argument("--force", action="store_true", help="write --out into a folder that holds other files "
                             "(labsim still replaces only its own)")
        command.add_argument("--no-progress", action="store_true", help="no progress bar")
    sweep = _command(commands, "sweep", "run a study file: strategies × replications × sweep points, into a "
                     "resumable Parquet store")
    sweep.add_argument("study", type=Path)
    sweep.add_argument("--out", type=Path, required=True, help="the store folder (new or empty, or with --resume)")
    sweep.add_argument("--resume", action="store_true", help="continue an interrupted study in --out")
    sweep.add_argument("--jobs", type=_JOBS, default=1, help="local worker processes (-1: every core; default 1)")
    sweep.add_argument("--replications", type=_REPLICATIONS, help="replications (default: the study's)")
    sweep.add_argument("--points", type=_bounded(int, 1, 1_000_000), help="lhs: points; sobol: base rows, a power of 2 (default: the "
                       "study's); a small number tries a study before the full design")
    sweep.add_argument("--strategies", help="comma-separated strategies (default: the study's; the baseline always)")
    sweep.add_argument("--flush-runs", type=_bounded(int, 1), default=FLUSH_RUNS, help=f"commit to the store every N finished "
                       f"runs (default {FLUSH_RUNS}; or at the first finished task after a minute)")
    sweep.add_argument("--no-progress", action="store_true", help="no progress bar")
    calibrate = _command(commands, "calibrate", "fit hazard multipliers of a scenario's baseline to observed series "
                         "and write a fitted parameter file")
    calibrate.add_argument("scenario", type=Path)
    calibrate.add_argument("series", type=Path, help="observed series (CSV: municipality, period, measure, kind, "
                           "value, unit, source)")
    calibrate.add_argument("--parameter", action="append", required=True, metavar="NAME=MOVES",
                           help="a multiplier to fit: a name and the moves it scales, 'from->to' with '*' for every "
                                "state, several joined by ','; repeat for more")
    calibrate.add_argument("--measure", action="append", help="fit only this measure (repeatable; default all)")
    calibrate.add_argument("--municipality", help="the municipality's rows, when the file holds several")
    calibrate.add_argument("--strategy", help="the strategy the series describe (default: the baseline)")
    calibrate.add_argument("--end", help="last month to simulate, e.g. 2020-09 (default: the scenario's end)")
    calibrate.add_argument("--expected-only", action="store_true",
                           help="fit on the expected-value path only (fast; no uncertainty)")
    calibrate.add_argument("--replications", type=_bounded(int, 2, 100_000), default=40,
                           help="stochastic runs per round (default 40)")
    calibrate.add_argument("--rounds", type=_bounded(int, 1, 100), default=3, help="most refinement rounds (default 3)")
    calibrate.add_argument("--seed", type=_SEED, help="seed of the runs (default: the scenario's)")
    calibrate.add_argument("--level", type=_bounded(float, 0.01, 0.999), default=0.9,
                           help="probability of the intervals (default 0.9)")
    calibrate.add_argument("--observation-sd", type=_bounded(float, 0.0, 10.0), default=0.0,
                           help="relative error of the observed values besides rounding (an assumption; default 0)")
    calibrate.add_argument("--out", type=Path, help="write the fitted parameter file (TOML) here")
    calibrate.add_argument("--plot", type=Path, help="write the observed-vs-simulated figure (PNG, PDF or SVG) here")
    calibrate.add_argument("--force", action="store_true", help="replace --out or --plot even when labsim did not "
                           "write the file there")
    calibrate.add_argument("--no-progress", action="store_true", help="no progress bar")
    report = _command(commands, "report", "write a self-contained HTML report of a comparison for a committee")
    report.add_argument("results", type=Path, help="the folder `labsim compare --out` wrote")
    report.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    # labsim.plotting.Language's values, written out: importing labsim.plotting loads matplotlib, which the other
    # commands do not need (tests/test_report.py keeps the two in step)
    report.add_argument("--lang", choices=("en", "da"), default="en", help="language of the figures (default en)")
    report.add_argument("--force", action="store_true", help="replace --out even when it is not a labsim report")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code: 0 fine, 2 bad input, 1 an error of labsim's own (a bug),
    130 interrupted (Ctrl-C), 141 output closed (``labsim … | head``)."""
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        if args.debug:
            raise
    except BrokenPipeError:
        _silence_stdout()
        return _EXIT_CLOSED_PIPE
    except (LabsimError, OSError) as error:
        if args.debug:
            raise
        print(f"labsim: error: {_one_line(str(error))}", file=sys.stderr)
        return _EXIT_BAD_INPUT
    except (Exception, RecursionError, MemoryError) as error:  # noqa: BLE001 - one line, not a traceback
        if args.debug:
            raise
        print(f"labsim: internal error: {type(error).__name__}: {_one_line(str(error))[:300]} (a bug in labsim; "
              f"--debug shows the traceback to report)", file=sys.stderr)
        return _EXIT_BUG
    gc.collect()  # only after Ctrl-C: outside the handler the interrupted frames, and a worker pool's queues, go
    print("labsim: interrupted", file=sys.stderr)
    return _EXIT_INTERRUPTED


def _silence_stdout() -> None:
    """Point standard output at the null device, so Python's flush at exit finds no closed pipe to complain of."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real standard output (a notebook, a test's capture)
        pass


def _set_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--set", action="append", metavar="PATH=VALUE",
                         help="set a value of the scenario by its path, as a study's sweep does (repeatable): "
                              "--set efforts.ips.effect=1.6 --set profile.inhabitants=60000 (docs/studies.md)")


def _setting(text: str) -> tuple[str, Any]:
    """A ``--set PATH=VALUE`` option: the value read as a TOML value (``1.6``, ``"2024-01"``, ``[0.03, 0.02]``,
    ``true``), or as text when it is not one (``2024-01``)."""
    import tomllib

    path, equals, value = text.partition("=")
    if not equals or not path.strip() or not value.strip():
        raise LabsimError(f"--set {text!r}: write PATH=VALUE, e.g. 'efforts.ips.effect=1.6'.")
    try:
        parsed = tomllib.loads(f"value = {value.strip()}")["value"]
    except tomllib.TOMLDecodeError:
        parsed = value.strip()
    return path.strip(), parsed


def _dispatch(args: argparse.Namespace) -> int:
    """Run the chosen command."""
    if args.command == "sweep":
        return _sweep(args)
    if args.command == "report":
        return _report_command(args)
    if args.command == "calibrate":
        return _calibrate(args)
    scenario = read_scenario(args.scenario, allow_outside=args.allow_outside)
    if args.set:
        scenario = scenario.vary(dict(_setting(text) for text in args.set))  # checked again, the jobcenter too
    if args.command == "validate":
        print(_describe(scenario))
        return 0
    folder = (comparison_folder(args.out, args.format, overwrite=args.force, option="--out").prepare()
              if args.out is not None else None)  # before any run: a folder that cannot take the result fails now
    try:
        if args.command == "run":
            strategies = [args.strategy] if args.strategy else []
            chosen = args.strategy or scenario.baseline
            result = compare(scenario, strategies, replications=args.replications, seed=args.seed,
                             progress=not args.no_progress, n_jobs=args.jobs)
            print(_report(result, only=chosen))
        else:
            names = [s.strip() for s in args.strategies.split(",")] if args.strategies else None
            result = compare(scenario, names, replications=args.replications, seed=args.seed,
                             progress=not args.no_progress, n_jobs=args.jobs)
            print(_report(result, only=None))
        _print_baseline_check(result)
        if folder is not None:
            written = result.write(folder)
            print(f"\nwrote {len(written)} files to {args.out}")
    finally:
        if folder is not None:
            folder.abandon()
    return 0


def _report_command(args: argparse.Namespace) -> int:
    from labsim.report import read_results, write_report
    from labsim.report.document import REPORT_MARK

    check_file(args.out, mark=REPORT_MARK, overwrite=args.force, option="--out")
    results = read_results(args.results)  # a bad folder fails before anything is written
    path = write_report(results, args.out, lang=args.lang, overwrite=args.force)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    parameters = [_multiplier(text) for text in args.parameter]  # the options first, then the files
    end = parse_month(args.end, field="--end") if args.end is not None else None
    if args.plot is not None and args.plot.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise LabsimError(f"--plot {args.plot}: write a .png, .pdf or .svg file; got {args.plot.suffix or 'no suffix'}.")
    if args.out is not None and args.plot is not None and os.path.abspath(args.out) == os.path.abspath(args.plot):
        raise LabsimError(f"--out and --plot name the same file {args.out}; give each its own.")
    for option, path, mark in (("--out", args.out, FITTED_MARK), ("--plot", args.plot, _FIGURE_MARK)):
        if path is not None:
            check_file(path, mark=mark, overwrite=args.force, option=option)  # before the fit
    scenario = read_scenario(args.scenario, allow_outside=args.allow_outside)
    if end is not None:
        scenario = scenario.replace(end=end, targets=(), observed=())
    observed = ObservedSeries.read_csv(args.series, catalogue=scenario.model.catalogue)
    common = {"strategy": args.strategy, "municipality": args.municipality, "measures": args.measure}
    fit: ExpectedValueCalibrator | SimulatedCalibrator
    if args.expected_only:
        fit = ExpectedValueCalibrator(parameters, **common).fit(observed, scenario)
    else:
        fit = SimulatedCalibrator(parameters, replications=args.replications, rounds=args.rounds, seed=args.seed,
                                  level=args.level, observation_sd=args.observation_sd, progress=not args.no_progress,
                                  **common).fit(observed, scenario)
    print(f"{scenario.name}: {len(fit.series_)} observed values fitted, {len(fit.left_out_)} left out; converged "
          f"{fit.converged_}, loss {fit.loss_:.3g}, {fit.n_iter_} path evaluations")
    if isinstance(fit, SimulatedCalibrator):
        print(f"\nMultipliers with {args.level:.0%} intervals" + (f"; not identified: {', '.join(fit.unidentified_)}"
                                                                  if fit.unidentified_ else ""))
        print(_table(fit.intervals_.round(4)))
    else:
        print("\nMultipliers\n" + "\n".join(f"  {name}: {value:.4g}" for name, value in fit.params_.items()))
    table = fit.diagnostics()
    print("\nObserved beside fitted")
    print(_table(table[["series", "observed", "expected", "simulated", "low", "high", "error"]].round(3)))
    if args.out is not None:
        print(f"\nwrote {write_fitted(fit, args.out, data_name=str(args.series), overwrite=args.force)}")
    if args.plot is not None:
        _write_figure(table, f"{scenario.name}: observed and fitted", args.plot, args.force)
        print(f"wrote {args.plot}")
    return 0


_FIGURE_MARK = b"labsim figure"
"""What a figure the CLI writes holds in its metadata: how labsim knows it may replace it."""


def _write_figure(table: pd.DataFrame, title: str, path: Path, force: bool) -> None:
    """The observed-vs-simulated figure, written as a file labsim marks as its own."""
    import matplotlib

    matplotlib.use("Agg")
    from labsim.plotting import plot_fit

    figure = plot_fit(table, title=title)
    suffix = path.suffix.lower().lstrip(".")
    key = "Software" if suffix == "png" else "Creator"
    write_file(path, lambda tmp: figure.savefig(tmp, format=suffix, dpi=100,
                                                metadata={key: f"{_FIGURE_MARK.decode()} (labsim {__version__})"}),
               mark=_FIGURE_MARK, overwrite=force, option="--plot")


def _multiplier(text: str) -> HazardMultiplier:
    """A ``--parameter NAME=MOVES`` option as a multiplier; a malformed one is an error naming it."""
    name, sep, moves = text.partition("=")
    if not sep or not name.strip() or not moves.strip():
        raise LabsimError(f"--parameter {text!r}: write NAME=MOVES, e.g. 'sick=sygedagpenge->*'.")
    return HazardMultiplier(name.strip(), [m.strip() for m in moves.split(",")])


def _sweep(args: argparse.Namespace) -> int:
    overrides: dict[str, Any] = {name: value for name, value in (("replications", args.replications),
                                                                  ("points", args.points)) if value is not None}
    if args.strategies is not None:
        overrides["strategies"] = [s.strip() for s in args.strategies.split(",") if s.strip()]
    study = read_study(args.study, allow_outside=args.allow_outside, **overrides)
    results = run_study(study, store=args.out, resume=args.resume, n_jobs=args.jobs, progress=not args.no_progress,
                        flush_runs=args.flush_runs)
    print(_sweep_report(results))
    return 0


def _sweep_report(results: StudyResults) -> str:
    manifest = results.manifest
    runs = results.runs
    failed = int((runs["status"] == "failed").sum())
    parts = [f"{manifest['study']}: {len(runs)} runs of scenario {manifest['scenario']!r} "
             f"({len(manifest['strategies'])} strategies × {manifest['replications']} replications × "
             f"{manifest['points']} points, {manifest['method']}), seed {manifest['seed']}; {failed} failed",
             f"store: {results.store.path if results.store is not None else '(memory)'}"]
    if failed:
        first = results.failures.iloc[0]
        parts.append(f"first failure: {first['strategy']} point {first['point']} replicate {first['replicate']}: "
                     f"{first['error']}")
    targets = results.frame("targets")
    if not targets.empty:
        met = targets.groupby(["strategy", "target"], observed=True)["met"].mean().unstack("target")
        parts += ["", "Share of runs meeting each target (over every point and replicate)",
                  met.map("{:.0%}".format).reset_index().to_string(index=False)]
        if manifest["parameters"]:
            for strategy in manifest["strategies"]:
                for target in manifest["targets"]:
                    parts += ["", f"Target {target!r}, strategy {strategy!r}", *_sensitivity(results, target, strategy)]
    return "\n".join(parts)


def _sensitivity(results: StudyResults, target: str, strategy: str) -> list[str]:
    """Sobol indices (with a Sobol design) and the PRIM box where the target fails; a note when they cannot
    be had (failed runs, a target met everywhere)."""
    lines = []
    try:
        if results.manifest["method"] == "sobol":
            indices = results.sobol(target, strategy)
            lines.append(indices[["parameter", "first_order", "total_order"]].round(3).to_string(index=False))
        found = results.discover(target, strategy)
    except LabsimError as error:
        return lines + [f"(no summary: {_one_line(str(error))})"]
    if found.base_rate == 0:
        return lines + ["met in every run"]
    if found.base_rate == 1:
        return lines + ["fails in every run"]
    box = found.box[found.box["restricted"]]
    if box.empty:
        return lines + [f"fails in {found.base_rate:.0%} of runs; no parameter range concentrates the failures "
                        f"(they come with the replicates, not the sweep)"]
    return lines + [f"fails in {found.base_rate:.0%} of runs; box with coverage {found.coverage:.0%}, density "
                    f"{found.density:.0%}:", _table(box[["parameter", "low", "high", "full_low", "full_high"]])]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _describe(scenario: Scenario) -> str:
    return "\n".join([
        f"{scenario.name}: valid — {scenario.title or scenario.name}",
        f"  {month_label(scenario.start)} to {month_label(scenario.end)} ({scenario.months} months), "
        f"{scenario.replications} replications, seed {scenario.seed}",
        f"  strategies: {', '.join(scenario.strategies)} (baseline {scenario.baseline})",
        f"  targets: {len(scenario.targets)}, observed series: {len(scenario.observed)}",
        f"  jobcenter: {_jobcenter(scenario)}",
    ])


def _jobcenter(scenario: Scenario) -> str:
    """The scenario's capacity in one line: its teams, rehabiliteringsteam and courses."""
    jobcenter = scenario.jobcenter
    teams = ", ".join(f"{t.name} ({t.caseworkers:g} caseworkers at a norm of {t.caseload:g})" for t in jobcenter.teams)
    rehab = jobcenter.rehabiliteringsteam
    courses = ", ".join(f"{c.name} ({c.seats} seats)" for c in jobcenter.courses)
    return "; ".join([f"teams {teams or 'none'}",
                      "no rehabiliteringsteam" if rehab is None else
                      f"rehabiliteringsteam ({rehab.cases_per_meeting} cases a meeting, {rehab.preparers} preparers)",
                      f"courses {courses or 'none'}"])


def _table(frame: pd.DataFrame) -> str:
    return frame.to_string(index=False) if not frame.empty else "  (none)"


def _report(result: Comparison, only: str | None) -> str:
    scenario = result.scenario
    parts = [f"{scenario.title or scenario.name}: {result.replications} replications per strategy, seed {result.seed}"]
    targets = result.target_summary()
    if only is not None:
        targets = targets[targets["strategy"] == only]
    if not targets.empty:
        shown = targets[["strategy", "target", "measure", "probability", "median", "low", "high", "source"]].copy()
        shown["probability"] = shown["probability"].map("{:.0%}".format)
        for column in ("median", "low", "high"):
            shown[column] = shown[column].map(_number)
        parts += ["", "Targets: probability of meeting each, median and 90 % interval", _table(shown)]
    observed = result.observed_summary()
    if only is not None and not observed.empty:
        observed = observed[observed["strategy"] == only]
    if not observed.empty:
        shown = observed[["strategy", "series", "period", "observed", "simulated", "low", "high", "relative_error"]].copy()
        for column in ("simulated", "low", "high"):
            shown[column] = shown[column].map(_number)
        shown["relative_error"] = shown["relative_error"].map(lambda e: "before the run" if e != e else f"{e:+.1%}")
        parts += ["", "Observed beside simulated (median, 90 % interval)", _table(shown)]
    money = result.money[result.money["item"].isin([str(item) for item in MONEY_ITEMS])]
    if only is not None:
        money = money[money["strategy"] == only]
    yearly = (money.groupby(["strategy", "period", "item"], observed=True)["dkk"].mean() / 1e6).unstack("item")
    yearly = yearly.reset_index()
    yearly["period"] = yearly["period"].astype(str)
    parts += ["", "Municipal money, mio. DKK per year (mean over replications): net_cost = benefits − refund + "
              "effort_cost",
              _table(yearly.round(1))]
    if only is None and len(result.strategies) > 1:
        case = result.business_case()
        shown = case[["strategy", "period", "net_cost_dkk", "saving_dkk", "saving_low", "saving_high",
                      "cumulative_saving_dkk", "payback_year"]].copy()
        shown["period"] = shown["period"].astype(str)
        for column in ("net_cost_dkk", "saving_dkk", "saving_low", "saving_high", "cumulative_saving_dkk"):
            shown[column] = (shown[column] / 1e6).round(1)
        shown.columns = ["strategy", "year", "net_cost", "saving", "saving_low", "saving_high", "cumulative", "payback"]
        parts += ["", f"Business case against {result.baseline!r}, mio. DKK (saving = baseline net_cost − strategy "
                  "net_cost; paired 90 % interval)", _table(shown)]
        diff = result.differences("public_support")
        shown = diff[["strategy", "period", "baseline", "value", "difference", "low", "high"]].copy()
        shown["period"] = shown["period"].astype(str)
        parts += ["", "Fuldtidspersoner on public support against the baseline (paired 90 % interval)",
                  _table(shown.round(1))]
    return "\n".join(parts)


def _print_baseline_check(result: Comparison) -> None:
    """The baseline check in a few lines, and its warning as one line on standard error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LabsimWarning)  # said below as one line, not as Python's warning
        check = result.baseline_check()
    print(_baseline_check(check, result.baseline))
    print(baseline_method(result.scenario.baseline_record()))
    for message in (baseline_warning(check, result.scenario.name),
                    balance_warning(result.scenario.rate_balance(), result.scenario.name)):
        if message:
            print(f"labsim: warning: {message}", file=sys.stderr)


def _baseline_check(check: pd.DataFrame, baseline: str) -> str:
    """The baseline check as a small table: each group's crude and age-standardised change, and what is wrong."""
    first, last = check["first_year"].iloc[0], check["last_year"].iloc[0]
    shown = pd.DataFrame({
        "group": check["group"],
        "crude": check["crude_change"].map(_change),
        "standardised": check["standardised_change"].map(_change),
        "warning": [", ".join(kind for kind in ("drift", "transient") if row[kind]) or "–"
                    for _, row in check.iterrows()],
    })
    return "\n".join(["", f"Baseline check, {baseline!r} replicate 0: rates per person aged 16 to folkepension age, "
                           f"change {first} to {last} (standardised: at {first}'s ages)", _table(shown)])


def _change(value: float) -> str:
    return "–" if value != value else f"{value:+.1%}"


def _number(value: float) -> str:
    if value != value:  # NaN: before the run
        return "–"
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.0f}"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
