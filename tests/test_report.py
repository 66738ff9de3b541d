"""The HTML report: every section and figure present, self-contained, under 5 MB; the CLI's report and calibrate."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import labsim
from labsim.cli import main as cli
from labsim.experiments import Comparison, compare
from labsim.plotting import labels
from labsim.policy import Strategy, library
from labsim.report import SECTIONS, read_results, write_report

ROOT = Path(__file__).resolve().parents[1]


class Page(HTMLParser):
    """The ids of the sections, the images' sources and the external references of a page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.images: list[str] = []
        self.external: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "section":
            self.sections.append(str(values["id"]))
        if tag == "img":
            self.images.append(str(values["src"]))
        if tag in ("link", "script") or (tag == "img" and not str(values.get("src", "")).startswith("data:")):
            self.external.append(tag)


def check_page(path: Path) -> Page:
    """Every section present, every figure an embedded PNG, nothing fetched from elsewhere, under 5 MB."""
    assert path.stat().st_size < 5_000_000
    page = Page(path.read_text(encoding="utf-8"))
    assert page.sections == list(SECTIONS)
    assert page.external == []
    for source in page.images:
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    return page


@pytest.fixture(scope="module")
def comparison(small_comparison: Comparison) -> Comparison:
    return small_comparison


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_the_report_of_a_results_folder_has_every_section_and_figure(comparison: Comparison, tmp_path: Path,
                                                                    fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    comparison.write(tmp_path / "results", fmt)
    out = tmp_path / "report.html"
    assert cli(["report", str(tmp_path / "results"), "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    page = check_page(out)
    # targets, fan, stocks, population, one business case, capacity
    assert len(page.images) == 6
    text = out.read_text(encoding="utf-8")
    for words in ("Testby 2022", f"labsim {labsim.__version__}", "seed 5", "4 replications per strategy", "fewer",
                  "a test target", "virksomhedspraktik_private", "SeedSequence(5)"):
        assert words in text, words
    # the effort's evidence and its source, as the manifest carries them, beside the values the runs used
    praktik = library.VirksomhedspraktikPrivate().build()
    for estimate in praktik.evidence.values():
        assert estimate.source.replace("&", "&amp;") in text or estimate.source in text
    assert "<td>1.60</td><td>1.84 (1.00–1.84)</td>" in text  # after-effect: used 1.6, evidence 1.84
    assert "<td>seats</td><td>60</td><td>40</td>" in text and "<td>effect</td><td>1.6</td><td>1.84</td>" in text
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_manifest_states_the_values_used(comparison: Comparison) -> None:
    (praktik,) = [s for s in comparison.manifest()["strategies"] if s["name"] == "praktik"][0]["efforts"]
    assert praktik["knobs"]["effect"] == 1.6 and praktik["defaults"]["effect"] == pytest.approx(1.84)
    assert praktik["knobs"]["seats"] == 60 and praktik["defaults"]["seats"] == 40
    after = {row["phase"]: row for row in praktik["evidence"]}["after"]
    assert after["used"] == 1.6 and after["value"] == pytest.approx(1.84) and after["source"].startswith("DOMAIN.md")


def test_the_report_in_danish_and_from_a_comparison_in_memory(comparison: Comparison, tmp_path: Path) -> None:
    path = write_report(comparison, tmp_path / "rapport.html", lang="da")
    page = check_page(path)
    assert len(page.images) == 6
    text = path.read_text(encoding="utf-8")
    for key in SECTIONS:
        danish = labels.text(f"section:{key}", "da")
        assert danish != labels.text(f"section:{key}", "en") or key == "business-case"
        assert re.search(f"<section id='{key}'>\\s*<h2>{danish}</h2>", text), danish


def test_a_bad_results_folder_is_one_line_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            comparison: Comparison) -> None:
    out = tmp_path / "report.html"
    assert cli(["report", str(tmp_path / "missing"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing: does not exist" in err and not out.exists()
    (tmp_path / "empty").mkdir()
    assert cli(["report", str(tmp_path / "empty"), "--out", str(out)]) == 2
    assert "no comparison.json" in capsys.readouterr().err and not out.exists()
    comparison.write(tmp_path / "partial")
    (tmp_path / "partial" / "business_case.csv").unlink()
    assert cli(["report", str(tmp_path / "partial"), "--out", str(out)]) == 2
    assert "no business_case.csv or business_case.parquet" in capsys.readouterr().err and not out.exists()
    with pytest.raises(labsim.ValidationError, match="results folder"):
        read_results(tmp_path / "missing")
    comparison.write(tmp_path / "broken")
    (tmp_path / "broken" / "comparison.json").write_text("{}", encoding="utf-8")
    assert cli(["report", str(tmp_path / "broken"), "--out", str(out)]) == 2
    assert "lacks ['labsim', 'scenario'" in capsys.readouterr().err and not out.exists()
    comparison.write(tmp_path / "empty_frame")
    (tmp_path / "empty_frame" / "capacity.csv").write_text("", encoding="utf-8")
    assert cli(["report", str(tmp_path / "empty_frame"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "capacity.csv: cannot be read as a frame" in err and err.count("\n") == 1 and not out.exists()
    assert cli(["report", str(tmp_path / "partial"), "--out", str(tmp_path / "no" / "r.html")]) == 2
    assert "the folder" in capsys.readouterr().err


def test_the_hjoerring_comparison_report_stays_under_five_megabytes(tmp_path: Path) -> None:
    """The committee's report of the four Hjørring strategies (2 replications to keep the suite fast)."""
    scenario = labsim.read_scenario(ROOT / "scenarios" / "hjoerring_2022.toml")
    compare(scenario, replications=2).write(tmp_path / "hjoerring", "parquet")
    out = tmp_path / "hjoerring.html"
    assert cli(["report", str(tmp_path / "hjoerring"), "--out", str(out)]) == 0
    page = check_page(out)
    assert len(page.images) == 4 + 3 + _capacity_figures(tmp_path / "hjoerring")  # targets, fan, stocks, population;
    text = out.read_text(encoding="utf-8")                                       # three business cases; capacity
    assert "[HJ §2, p.5]" in text and "Hjørringmodellen" in text


def test_cli_calibrate_fits_and_writes_the_file_and_the_figure(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    out, figure = tmp_path / "fitted.toml", tmp_path / "fit.png"
    code = cli(["calibrate", str(ROOT / "scenarios" / "broenderslev_2021.toml"),
                str(ROOT / "calibration" / "data" / "broenderslev_2021.csv"), "--end", "2019-12",
                "--parameter", "kh=kontanthjaelp_aktivitetsparat->*",
                "--measure", "kontanthjaelp_jobparat+kontanthjaelp_aktivitetsparat", "--expected-only",
                "--out", str(out), "--plot", str(figure)])
    text = capsys.readouterr().out
    assert code == 0 and "1 observed values fitted" in text and "converged True" in text
    assert "[meta.calibration]" in out.read_text(encoding="utf-8")
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_user_errors_are_one_line_and_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    scenario, series = str(ROOT / "scenarios" / "broenderslev_2021.toml"), str(ROOT / "calibration" / "data" /
                                                                              "broenderslev_2021.csv")
    assert cli(["calibrate", scenario, series, "--parameter", "bad"]) == 2
    assert capsys.readouterr().err == ("labsim: error: --parameter 'bad': write NAME=MOVES, e.g. "
                                       "'sick=sygedagpenge->*'.\n")
    assert cli(["calibrate", scenario, series, "--parameter", "x=sick->*", "--expected-only"]) == 2
    assert "names 'sick' as its from state" in capsys.readouterr().err
    assert cli(["calibrate", scenario, series, "--parameter", "kh=kontanthjaelp_aktivitetsparat->*", "--plot",
                "fit.xyz"]) == 2
    assert "--plot fit.xyz: write a .png, .pdf or .svg file; got .xyz" in capsys.readouterr().err
    with pytest.raises(labsim.LabsimError, match="names 'sick'"):
        cli(["calibrate", scenario, series, "--parameter", "x=sick->*", "--debug"])


@pytest.mark.parametrize("command", ["validate", "run", "compare", "sweep", "calibrate", "report"])
def test_every_command_has_help_with_examples(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli([command, "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert "example" in text and f"labsim {command}" in text and "--debug" in text


def test_the_cli_offers_every_language_of_the_labels(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli(["report", "--help"])
    assert "{" + ",".join(labels.Language) + "}" in capsys.readouterr().out
    with pytest.raises(labsim.ValidationError, match="lang must be one of en, da; got 'fr'"):
        labels.text("year", "fr")
    assert labels.text("year", labels.Language.DA) == labels.text("year", "da") == "År"


def _capacity_figures(folder: Path) -> int:
    """The figures the capacity section draws of the results in ``folder``: one per strategy with places or teams,
    one per team, one of the rehabiliteringsteam, one per course."""
    results = read_results(folder)
    capacity, teams = results.frame("capacity"), results.frame("teams")
    kinds = capacity["kind"].astype(str)
    return (capacity.loc[kinds.isin(["effort", "team"]), "strategy"].nunique() + teams["team"].nunique()
            + int((kinds == "rehab").any()) + capacity.loc[kinds == "course", "resource"].nunique())


@pytest.fixture(scope="module")
def jobcenter(model: labsim.TransitionModel) -> Comparison:
    """Two strategies over 2022–2023 in a 4,000-inhabitant municipality whose jobcenter has two teams, a
    rehabiliteringsteam and a course; ``more`` adds caseworkers to the first team."""
    center = labsim.Jobcenter(
        teams=(labsim.CaseworkerTeam(name="aktivitetsparate", states=("kontanthjaelp_aktivitetsparat",),
                                     caseworkers=1),
               labsim.CaseworkerTeam(name="syge", states=("sygedagpenge",), caseworkers=2, caseload=60,
                                     cadence_months=2, first_meeting_by_month=1)),
        rehabiliteringsteam=labsim.RehabTeam(cases_per_meeting=4, preparers=1),
        courses=(labsim.CourseIntake(name="kursus", states=("a_dagpenge",), seats=5, intakes=["2022-03", "2022-09"],
                                     duration_months=3),))
    more = library.HjoerringCaseload(caseworkers=4, start="2022-07", stop=None)
    scenario = labsim.Scenario(name="jobcenter", model=model, profile=labsim.default_profile().scaled(4000),
                               start="2022-01", end="2023-12", jobcenter=center, replications=2, seed=3,
                               strategies={"baseline": Strategy("baseline"), "more": Strategy("more", [more])})
    return compare(scenario)


def test_the_report_draws_each_team_the_rehabiliteringsteam_and_each_course(jobcenter: Comparison,
                                                                             tmp_path: Path) -> None:
    jobcenter.write(tmp_path / "results", "parquet")
    path = write_report(tmp_path / "results", tmp_path / "report.html")
    page = check_page(path)
    # targets (none: a note), fan, stocks, population; one business case; capacity: a figure per strategy, per team,
    # of the rehabiliteringsteam and per course
    assert _capacity_figures(tmp_path / "results") == 2 + 2 + 1 + 1
    assert len(page.images) == 3 + 1 + 6
    text = path.read_text(encoding="utf-8")
    for words in ("Caseworker team aktivitetsparate per month and strategy", "Caseworker team syge per month",
                  "The rehabiliteringsteam per month and strategy", "Course kursus at each intake"):
        assert words in text, words


def test_a_results_folder_from_before_the_teams_and_waits_still_reports(jobcenter: Comparison,
                                                                         tmp_path: Path) -> None:
    import json

    folder = tmp_path / "results"
    jobcenter.write(folder)
    manifest = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
    manifest["written"] = [name for name in manifest["written"] if name not in ("teams.csv", "waits.csv")]
    (folder / "comparison.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "waits.csv").unlink()
    (folder / "teams.csv").unlink()
    results = read_results(folder)
    assert results.frame("teams").empty and results.frame("waits").empty
    page = check_page(write_report(results, tmp_path / "report.html"))
    assert len(page.images) == 3 + 1 + 2 + 1 + 1  # no team figures; the rehabiliteringsteam's open cases only
    jobcenter.write(tmp_path / "listed")  # a folder whose manifest lists waits.csv must have it
    (tmp_path / "listed" / "waits.csv").unlink()
    with pytest.raises(labsim.ValidationError, match="no waits.csv or waits.parquet"):
        read_results(tmp_path / "listed")
