"""CSV files: what is accepted, and the exact words for what is refused."""

from __future__ import annotations

import pytest

from engine.runtime import csvdata
from engine.runtime.csvdata import CsvError, parse_csv


@pytest.mark.parametrize(
    "text",
    [
        "x,y\n1,2\n3,4\n",
        "1,2\n3,4",
        "x,y\r\n1,2\r\n3,4\r\n",
        "x,y\r1,2\r3,4\r",
        "\ufeffx,y\n1,2\n3,4\n",
        "\n\nx,y\n\n1,2\n   \n3,4\n\n",
        "  x , y \n 1 ,\t2\n3 , 4  \n",
        '"x","y"\n"1", "2"\n 3 ,"4"\n',
        '"the ""x"" value",y\n1,2\n3,4\n',
        "x,y\n1,2\n,\n3,4\n, ,\n",
        "id,Y,X,note\n7,2,1,first\n8,4,3,\n",
        "1.0e0,+2.\n.3e1,4.000\n",
    ],
)
def test_accepted_files(text: str) -> None:
    points = parse_csv(text, "points.csv")
    assert (points.xs, points.ys) == ([1.0, 3.0], [2.0, 4.0])
    assert points.label == "points.csv (2 rows)"


def test_negative_and_tiny_numbers() -> None:
    points = parse_csv("x,y\n-1.5,-2e-3\n1e-400,-0\n", "p.csv")
    assert (points.xs, points.ys) == ([-1.5, 0.0], [-0.002, -0.0])


def test_label_uses_the_file_name_only() -> None:
    assert parse_csv("1,2", "C:\\Users\\me\\points.csv").label == "points.csv (1 row)"
    assert parse_csv("1,2", "data/xy.csv").label == "xy.csv (1 row)"
    assert parse_csv("1,2", "  ").label == "uploaded file (1 row)"


EMPTY = "the file is empty; expected two columns of numbers, x and y"
SEPARATOR = "found one column; expected two, x and y, separated by a comma"
BINARY = "the file contains binary data, not text; save the data as CSV (comma-separated values)"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", None, EMPTY),
        ("\ufeff \n\r\n\t\n", None, EMPTY),
        ("x,y\n", None, "the file has a header row but no rows of numbers"),
        ("\ufeffx,y\r\n\r\n", None, "the file has a header row but no rows of numbers"),
        ("1\n2\n", 1, SEPARATOR),
        ("x\n1\n", 1, SEPARATOR),
        ("x;y\n1;2\n", 1, SEPARATOR + ' (the values seem to be separated by ";"; use commas)'),
        ("x\ty\n1\t2\n", 1, SEPARATOR + " (the values seem to be separated by tabs; use commas)"),
        ("x,y\n1,2\nabc,3\n", 3, '"abc" is not a number'),
        ("x,y\r\n1,2\r\n\r\n3,abc\r\n", 4, '"abc" is not a number'),
        ("x,y\r1,2\rabc,3", 3, '"abc" is not a number'),
        ("x,y\n1,nan\n", 2, '"nan" is not allowed; every value must be a finite number'),
        ("1,-Infinity\n", 1, '"-Infinity" is not allowed; every value must be a finite number'),
        ("nan,inf\n", 1, '"nan" is not allowed; every value must be a finite number'),
        ("1,1e999\n", 1, '"1e999" is too large; values must lie between -1e100 and 1e100'),
        ("1,-2e100\n", 1, '"-2e100" is too large; values must lie between -1e100 and 1e100'),
        ("1_000,2\n", 1, '"1_000" is not a number'),
        ("\u0661,2\n", 1, '"\u0661" is not a number'),
        ("0x10,2\n", 1, '"0x10" is not a number'),
        (
            '"1,000",2\n',
            1,
            '"1,000" is not a number (use a dot for decimals and no thousands separators)',
        ),
        (
            "1,2,3\n",
            1,
            'found 3 columns; expected two, x and y (or a header row naming the two to use "x" and "y")',
        ),
        (
            "a,b,c\n1,2,3\n",
            1,
            'found 3 columns; name the two to use "x" and "y" in the header row, or keep only two columns',
        ),
        (
            "x,x,y\n1,2,3\n",
            1,
            'found 3 columns; name the two to use "x" and "y" in the header row, or keep only two columns',
        ),
        ("x,y\n1,2\n3\n", 3, "expected 2 values, found 1"),
        ("x,y\n1,2,\n", 2, "expected 2 values, found 3"),
        ("x,y\n1,\n", 2, "the y value is missing"),
        ('x,y\n"",2\n', 2, "the x value is missing"),
        ("x,y,z\n", None, "the file has a header row but no rows of numbers"),
        ("a,b\n1,2\nx,y\n", 3, '"x" is not a number'),
        ('x,y\n"1,2\n3,4\n', 2, 'a quoted value is not closed (a " is missing)'),
        ('x,y\n"1"2,3\n', 2, "unexpected text after a quoted value; expected a comma"),
        ('x,y\n1"2,3\n', 2, 'a " may only start and end a quoted value'),
        ("x,y\n1,2\x00\x00\n", 2, BINARY),
        ("PK\x03\x04", 1, BINARY),
        (
            "x,y\n\ufffd,1\n",
            2,
            "the file is not UTF-8 text; save the data as CSV with UTF-8 encoding",
        ),
        ("x,y\n1," + "a" * 50 + "\n", 2, '"' + "a" * 39 + '…" is not a number'),
    ],
)
def test_refused_files(text: str, line: int | None, message: str) -> None:
    with pytest.raises(CsvError) as refused:
        parse_csv(text, "points.csv")
    assert (refused.value.line, refused.value.message) == (line, message)
    assert str(refused.value) == (message if line is None else f"line {line}: {message}")


def test_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvdata, "MAX_ROWS", 2)
    with pytest.raises(CsvError) as refused:
        parse_csv("1,2\n3,4\n5,6\n", "big.csv")
    assert str(refused.value) == "the file has 3 rows of numbers; at most 2 fit"


def test_a_refusal_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r'^line 1: "a" is not a number$'):
        parse_csv("a,1", "p.csv")
