"""Reading CSV files (labsim.calibration.observed.read_table) and series files: encodings, Excel's exports, bounds,
numbers, and errors that name the file, line and column without echoing a whole long value."""

from __future__ import annotations

from pathlib import Path

import pytest

from labsim.calibration import ObservedError, ObservedSeries
from labsim.calibration.observed import FIELD_LIMIT, SHOWN_PROBLEMS, parse_number, read_table

HEADER = "municipality,period,measure,kind,value,unit,source\n"
ROW = "Brønderslev,{period},kontanthjaelp_jobparat,stock,{value},fuldtidspersoner,\"plan p.18, B27\"\n"


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize(("text", "decimal_comma", "number"), [
    ("12", False, 12), ("-3.5", False, -3.5), (" 1e4 ", False, 1e4), (".5", False, 0.5), ("1234,5", True, 1234.5),
    ("1234.5", True, 1234.5), ("1e400", False, float("inf")), ("123456789012345678901", False, 1.2345678901234568e20),
])
def test_numbers_are_plain_decimals(text: str, decimal_comma: bool, number: float) -> None:
    assert parse_number(text, decimal_comma=decimal_comma) == number


@pytest.mark.parametrize("text", ["", "nan", "inf", "-Infinity", "1_000", "0x10", "1,5", "1.234,5", "12 kr", "١٢"])
def test_anything_else_is_no_number(text: str) -> None:
    assert parse_number(text) is None


def test_excels_danish_export_reads_as_the_plain_file(tmp_path: Path) -> None:
    plain = _write(tmp_path / "plain.csv", HEADER + ROW.format(period="2021", value="1234.5"))
    excel_text = "\ufeff" + (HEADER + ROW.format(period="2021", value="1234.5")).replace(",", ";")
    excel = _write(tmp_path / "excel.csv", excel_text.replace("1234.5", "1234,5").replace("\n", "\r\n"))
    tabs = _write(tmp_path / "tabs.csv", (HEADER + ROW.format(period="2021", value="1234.5")).replace(",", "\t"))
    frames = [ObservedSeries.read_csv(path).frame for path in (plain, excel, tabs)]
    assert frames[0]["value"].tolist() == [1234.5]
    assert frames[0]["source"].tolist() == ["plan p.18, B27"]
    for frame in frames[1:]:
        assert frame["value"].tolist() == [1234.5] and frame["municipality"].tolist() == ["Brønderslev"]


def test_lines_keep_their_numbers_past_comments_blank_lines_and_quoted_line_breaks(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", "# a comment\n\na,b,c,\n1,\"two\nlines\",3,\n# more\n4,5,6\n")
    table = read_table(path, "table", ObservedError)
    assert (table.header, table.header_line, table.separator) == (["a", "b", "c"], 3, ",")
    assert list(table.rows) == [(4, ["1", "two\nlines", "3"]), (7, ["4", "5", "6"])]


def test_a_field_over_the_bound_is_named_with_its_line(tmp_path: Path) -> None:
    long = _write(tmp_path / "long.csv", HEADER + ROW.format(period="2021", value="1").replace(
        "Brønderslev", "B" * (FIELD_LIMIT + 1)))
    with pytest.raises(ObservedError, match="line 2, field 1: 10,001 characters; a field holds at most 10,000"):
        ObservedSeries.read_csv(long)
    huge = _write(tmp_path / "huge.csv", HEADER + "x," * 3 + "y" * 200_000 + "\n")
    with pytest.raises(ObservedError, match="line 2: a field of more than 131,072 characters"):
        ObservedSeries.read_csv(huge)


def test_a_file_that_is_no_series_file_is_not_echoed(tmp_path: Path) -> None:
    path = _write(tmp_path / "passwd.csv", "root:x:0:0:root:/root:/bin/bash\n")
    with pytest.raises(ObservedError, match="is not a series file") as caught:
        ObservedSeries.read_csv(path)
    assert "root" not in str(caught.value).replace(str(path), "")


@pytest.mark.parametrize("value", ["inf", "-inf", "1e400", "nan", "", "NaN", "Infinity"])
def test_a_value_must_be_a_finite_number(tmp_path: Path, value: str) -> None:
    path = _write(tmp_path / "series.csv", HEADER + ROW.format(period="2021", value=value))
    with pytest.raises(ObservedError, match=f"series.csv: 1 problem: line 2: value must be a finite number; got "
                                            f"'{value}'"):
        ObservedSeries.read_csv(path)


def test_a_message_lists_the_first_problems_and_counts_the_rest(tmp_path: Path) -> None:
    rows = "".join(ROW.format(period=f"{2000 + i}", value="x") for i in range(100))
    with pytest.raises(ObservedError) as caught:
        ObservedSeries.read_csv(_write(tmp_path / "many.csv", HEADER + rows))
    assert len(caught.value.problems) == 100
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'many.csv'}: 100 problems: line 2: value")
    assert message.count("value must be") == SHOWN_PROBLEMS and message.endswith("and 80 more")


def test_long_values_are_cut_in_messages(tmp_path: Path) -> None:
    path = _write(tmp_path / "series.csv", HEADER + ROW.format(period="2021", value="1").replace("stock", "s" * 9000))
    with pytest.raises(ObservedError) as caught:
        ObservedSeries.read_csv(path)
    assert "(9,000 characters)" in str(caught.value) and len(str(caught.value)) < 300


def test_a_folder_or_a_device_is_not_read(tmp_path: Path) -> None:
    with pytest.raises(ObservedError, match="a folder, not a regular file"):
        ObservedSeries.read_csv(tmp_path)
    if Path("/dev/zero").exists():
        with pytest.raises(ObservedError, match="a device, not a regular file"):
            ObservedSeries.read_csv("/dev/zero")
