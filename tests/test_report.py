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
from labsim.policy import library
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
    assert len(page.images) == 4 + 3 + 4  # targets, fan, stocks, population; three business cases; four capacities
    text = out.read_text(encoding="utf-8")
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
