"""CSV files: what is accepted, the exact words for what is refused, and hostile files.

The same parser reads an author's CSV at build time and a reader's upload in Pyodide, so
anything a browser can hand it must end in data or in a CsvError naming the line.
"""

from __future__ import annotations

import json
import math
import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.runtime import csvdata
from engine.runtime.contract import MAX_CSV_CHARACTERS, MAX_ROWS
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
        '"x","y"\n" 1 ",2\n"3","4"\n',
        '"the ""x"" value",y\n1,2\n3,4\n',
        "x,y\n1,2\n,\n3,4\n, ,\n",
        "id,Y,X,note\n7,2,1,first\n8,4,3,\n",
        "y,x\n2,1\n4,3\n",
        "Y,X\n2,1\n,\n4,3\n",
        "1.0e0,+2.\n.3e1,4.000\n",
        "\ufeffx,y\r\n1,2\r\n\r\n\r\n3,4",
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
HEADER_ONLY = "the file has a header row but no rows of numbers; add rows of x,y values"
SEPARATOR = "found one column; expected two, x and y, separated by a comma"
BINARY = "the file contains binary data, not text; save the data as CSV (comma-separated values)"
NOT_UTF8 = "the file is not UTF-8 text; save the data as CSV with UTF-8 encoding"
UTF16 = "the file is UTF-16 text; save the data as CSV with UTF-8 encoding"
NOT_A_NUMBER = "is not a number; write numbers such as 2, -0.5 or 1e3"
NOT_FINITE = "is not allowed; every value must be a finite number (fill it in or delete the row)"
TOO_LARGE = "is too large; values must lie between -1e100 and 1e100"
UNEVEN = "give every row as many values as the first"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", None, EMPTY),
        ("\ufeff", None, EMPTY),
        ("\ufeff \n\r\n\t\n", None, EMPTY),
        (",,,\n , \n", None, EMPTY),
        ("x,y\n", 1, HEADER_ONLY),
        ("\n\nx,y\n\n", 3, HEADER_ONLY),
        ("\ufeffx,y\r\n\r\n", 1, HEADER_ONLY),
        ("x,y,z\n", 1, HEADER_ONLY),
        ("1\n2\n", 1, SEPARATOR),
        ("x\n1\n", 1, SEPARATOR),
        ("x;y\n1;2\n", 1, SEPARATOR + ' (the values seem to be separated by ";"; use commas)'),
        ("x\ty\n1\t2\n", 1, SEPARATOR + " (the values seem to be separated by tabs; use commas)"),
        ("x,y\n1,2\nabc,3\n", 3, f'"abc" {NOT_A_NUMBER}'),
        ("x,y\r\n1,2\r\n\r\n3,abc\r\n", 4, f'"abc" {NOT_A_NUMBER}'),
        ("x,y\r1,2\rabc,3", 3, f'"abc" {NOT_A_NUMBER}'),
        ("x,y\n1,nan\n", 2, f'"nan" {NOT_FINITE}'),
        ("x,y\n1,NaN\n", 2, f'"NaN" {NOT_FINITE}'),
        ("1,-Infinity\n", 1, f'"-Infinity" {NOT_FINITE}'),
        ("x,y\n1,inf\n", 2, f'"inf" {NOT_FINITE}'),
        ("x,y\n-inf,1\n", 2, f'"-inf" {NOT_FINITE}'),
        ('x,y\n"nan",1\n', 2, f'"nan" {NOT_FINITE}'),
        ("nan,inf\n", 1, f'"nan" {NOT_FINITE}'),
        ("1,1e999\n", 1, f'"1e999" {TOO_LARGE}'),
        ("x,y\n1,2\n3,1e999\n", 3, f'"1e999" {TOO_LARGE}'),
        ("1,-2e100\n", 1, f'"-2e100" {TOO_LARGE}'),
        ("1_000,2\n", 1, f'"1_000" {NOT_A_NUMBER}'),
        ("\u0661,2\n", 1, f'"\u0661" {NOT_A_NUMBER}'),
        ("0x10,2\n", 1, f'"0x10" {NOT_A_NUMBER}'),
        ("x,y\n1,2\n1 2,3\n", 3, f'"1 2" {NOT_A_NUMBER}'),
        (
            '"1,000",2\n',
            1,
            '"1,000" is not a number; use a dot for decimals and no thousands separators',
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
        ("x,y\n1,2\n3\n", 3, f"expected 2 values, found 1; {UNEVEN}"),
        ("x,y\n1,2,\n", 2, f"expected 2 values, found 3; {UNEVEN}"),
        ("x,y,note\n1,2,a\n3,4\n", 3, f"expected 3 values, found 2; {UNEVEN}"),
        ("x,y\n1,\n", 2, "the y value is missing; fill it in or delete the row"),
        ('x,y\n"",2\n', 2, "the x value is missing; fill it in or delete the row"),
        ("a,b\n1,2\nx,y\n", 3, f'"x" {NOT_A_NUMBER}'),
        ('x,y\n"1,2\n3,4\n', 2, 'a quoted value is not closed (a " is missing)'),
        ('x,y\n"1"2,3\n', 2, "unexpected text after a quoted value; expected a comma"),
        ('x,y\n1"2,3\n', 2, 'a " may only start and end a quoted value'),
        ("x,y\n1,2\x00\x00\n", 2, BINARY),
        ("PK\x03\x04", 1, BINARY),
        ("x,y\n1,2\n3,4\x1b[0m\n", 3, BINARY),
        ("x,y\r\n1,2\r\n\x7f,1\r\n", 3, BINARY),
        ("x,y\n\ufffd,1\n", 2, NOT_UTF8),
        ("x,y\n1," + "a" * 50 + "\n", 2, '"' + "a" * 39 + f'…" {NOT_A_NUMBER}'),
    ],
)
def test_refused_files(text: str, line: int | None, message: str) -> None:
    with pytest.raises(CsvError) as refused:
        parse_csv(text, "points.csv")
    assert (refused.value.line, refused.value.message) == (line, message)
    assert str(refused.value) == (message if line is None else f"line {line}: {message}")


def test_a_refusal_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r'^line 1: "a" is not a number; write numbers'):
        parse_csv("a,1", "p.csv")


# Hostile files, as a browser would hand them over.

UTF16_TEXT = "x,y\r\n1,2\r\n3,4\r\n"


@pytest.mark.parametrize(
    "encoded",
    [
        UTF16_TEXT.encode("utf-16"),  # with a byte order mark (little-endian here)
        UTF16_TEXT.encode("utf-16-le"),
        UTF16_TEXT.encode("utf-16-be"),
        "\ufeff".encode("utf-16-be") + UTF16_TEXT.encode("utf-16-be"),
    ],
    ids=["bom", "le", "be", "be-bom"],
)
def test_utf16_read_as_utf8_is_named(encoded: bytes) -> None:
    """The browser decodes an upload as UTF-8: UTF-16 arrives full of NULs (and its byte
    order mark as replacement characters); it gets its own message, not "binary"."""
    for text in (encoded.decode("utf-8", "replace"), encoded.decode("latin-1")):
        with pytest.raises(CsvError) as refused:
            parse_csv(text, "points.csv")
        assert (refused.value.line, refused.value.message) == (1, UTF16)


def test_utf16_decoded_properly_is_fine() -> None:
    points = parse_csv(UTF16_TEXT.encode("utf-16").decode("utf-16"), "points.csv")
    assert (points.xs, points.ys) == ([1.0, 3.0], [2.0, 4.0])


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_are_refused_as_binary(seed: int) -> None:
    data = random.Random(seed).randbytes(4096)
    for text in (data.decode("latin-1"), data.decode("utf-8", "replace")):
        with pytest.raises(CsvError) as refused:
            parse_csv(text, "random.bin")
        assert refused.value.line is not None and refused.value.line >= 1
        assert refused.value.message in (BINARY, NOT_UTF8, UTF16)


def test_latin1_text_is_read_or_refused_by_cell() -> None:
    """Latin-1 without control characters is just text: the cell at fault is named."""
    with pytest.raises(CsvError) as refused:
        parse_csv("x,y\n1,2\ncaf\xe9,3\n", "latin.csv")
    assert (refused.value.line, refused.value.message) == (3, f'"caf\xe9" {NOT_A_NUMBER}')


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("x" * 1_000_000, 1, SEPARATOR),
        ("x,y\n1," + "2" * 1_000_000, 2, f'"{"2" * 39}…" {TOO_LARGE}'),
        ("x,y\n1," + "a" * 1_000_000, 2, f'"{"a" * 39}…" {NOT_A_NUMBER}'),
        (
            "1," * 500_000 + "\n",
            1,
            "found 500001 columns; expected two, x and y "
            '(or a header row naming the two to use "x" and "y")',
        ),
        (
            'x,y\n"' + '""' * 500_000 + '",1\n',
            2,
            json.dumps('"' * 39 + "…", ensure_ascii=False) + f" {NOT_A_NUMBER}",
        ),
        ('x,y\n"' + "1" * 1_000_000 + "\n", 2, 'a quoted value is not closed (a " is missing)'),
    ],
    ids=["one-column", "huge-number", "huge-word", "many-columns", "quotes", "unclosed"],
)
def test_a_line_of_a_megabyte(text: str, line: int, message: str) -> None:
    started = time.perf_counter()
    with pytest.raises(CsvError) as refused:
        parse_csv(text, "long.csv")
    assert (refused.value.line, refused.value.message) == (line, message)
    assert time.perf_counter() - started < 2


def test_one_column() -> None:
    with pytest.raises(CsvError) as refused:
        parse_csv("\n\ny\n1\n2\n", "one.csv")
    assert (refused.value.line, refused.value.message) == (3, SEPARATOR)


def test_columns_named_x_and_y_are_used_in_any_order() -> None:
    points = parse_csv("time,Y,note,X\n0,2,a,1\n1,4,,3\n", "wide.csv")
    assert (points.xs, points.ys) == ([1.0, 3.0], [2.0, 4.0])
    big = parse_csv("y,x\n" + "".join(f"{2 * i},{i}\n" for i in range(10_000)), "yx.csv")
    assert big.xs[-1] == 9999.0 and big.ys[-1] == 19998.0


def test_a_bad_row_deep_in_a_long_file_is_named() -> None:
    """The fast path hands the line-by-line reader the row it cannot read."""
    rows = [f"{i},{i}" for i in range(200_000)]
    for at, bad, message in [
        (150_000, "1,nan", f'"nan" {NOT_FINITE}'),
        (199_999, "1e200,1", f'"1e200" {TOO_LARGE}'),
        (123_456, '"1",2', None),  # quoted: fine
        (54_321, " , ", None),  # bare commas: skipped
    ]:
        edited = rows.copy()
        edited[at] = bad
        text = "x,y\n" + "\n".join(edited) + "\n"
        if message is None:
            assert len(parse_csv(text, "long.csv").xs) == 200_000 - (bad == " , ")
            continue
        with pytest.raises(CsvError) as refused:
            parse_csv(text, "long.csv")
        assert (refused.value.line, refused.value.message) == (at + 2, message)


def a_million_rows(rows: int = MAX_ROWS) -> str:
    """`rows` rows of two numbers with 17 significant digits, as a spreadsheet would write."""
    rng = random.Random(1)
    return "x,y\r\n" + "".join(
        f"{rng.uniform(-1e3, 1e3)!r},{rng.uniform(-1e3, 1e3)!r}\r\n" for _ in range(rows)
    )


def test_a_million_rows_are_read_quickly() -> None:
    text = a_million_rows()
    started = time.process_time()
    points = parse_csv(text, "big.csv")
    seconds = time.process_time() - started
    assert len(points.xs) == MAX_ROWS and points.label == "big.csv (1000000 rows)"
    first = text.split("\r\n")[1].split(",")
    assert (points.xs[0], points.ys[0]) == (float(first[0]), float(first[1]))
    assert all(math.isfinite(v) for v in points.ys)
    assert seconds < 3, f"parsing 1,000,000 rows took {seconds:.2f} s of CPU"


def test_fifty_megabytes_of_a_million_rows_are_accepted() -> None:
    text = "x,y\n" + f"{'-12.5':>24},{'1e3':>24}\n" * MAX_ROWS  # 50 characters a row
    assert len(text) >= 50_000_000
    points = parse_csv(text, "fifty.csv")
    assert len(points.xs) == MAX_ROWS and (points.xs[-1], points.ys[-1]) == (-12.5, 1000.0)


def test_one_row_too_many_is_refused_at_its_line() -> None:
    text = "x,y\n" + "1,2\n" * (MAX_ROWS + 5)
    with pytest.raises(CsvError) as refused:
        parse_csv(text, "big.csv")
    assert refused.value.line == MAX_ROWS + 2
    assert refused.value.message == (
        "the file has more than 1000000 rows of numbers; keep at most 1000000 "
        "(every other row, say)"
    )


def test_too_many_rows_slow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvdata, "MAX_ROWS", 2)
    for text, line in [("1,2\n3,4\n5,6\n", 3), ("a,x,y\n0,1,2\n0,3,4\n\n0,5,6\n", 5)]:
        with pytest.raises(CsvError) as refused:
            parse_csv(text, "big.csv")
        assert str(refused.value) == (
            f"line {line}: the file has more than 2 rows of numbers; keep at most 2 "
            "(every other row, say)"
        )


def test_more_text_than_the_limit_is_refused_at_once() -> None:
    text = "1,2\n" * (MAX_CSV_CHARACTERS // 4) + "3,4\n"
    started = time.perf_counter()
    with pytest.raises(CsvError) as refused:
        parse_csv(text, "huge.csv")
    assert time.perf_counter() - started < 0.5
    assert (refused.value.line, refused.value.message) == (
        None,
        "the file is larger than 64 MB; keep at most 1000000 rows of x,y values",
    )


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("\n" * 20_000_000, None),
        ("a,x,y\n" + "\r\n" * 10_000_000 + "0,1,2\n", 1),
        (" , \n" * 5_000_000 + "1,2", 1),
    ],
    ids=["only-blank", "three-columns", "bare-commas"],
)
def test_millions_of_blank_lines_are_skipped_quickly(text: str, rows: int | None) -> None:
    started = time.perf_counter()
    if rows is None:
        with pytest.raises(CsvError, match="the file is empty"):
            parse_csv(text, "blank.csv")
    else:
        assert len(parse_csv(text, "blank.csv").xs) == rows
    assert time.perf_counter() - started < 3


NUMBERS = st.one_of(
    st.sampled_from(["1", "-2.5", "+.5", "3.", "1e3", "1E-2", "007", " 4 ", "\t5"]),
    st.from_regex(
        r"[ \t]{0,2}[+-]?[0-9]{1,3}(\.[0-9]{0,3})?([eE][+-]?[0-9]{1,2})?[ \t]{0,2}", fullmatch=True
    ),
)
ODD = st.one_of(
    st.sampled_from(["", " ", "x", "y", "1,5", "1 2", "0x1", "1_0", "e5", "\u0663", "1e999"]),
    st.sampled_from(["nan", "-inf", '1"', '"', "1e", ".", "+", "--1"]),
    st.text(st.sampled_from(list('0123456789.,-+eE "\t\r\nxy')), max_size=8),
)
CELLS = NUMBERS | ODD
QUOTED = CELLS | CELLS.map(lambda cell: f'"{cell}"')
GOOD_PAIR = st.tuples(NUMBERS, NUMBERS | NUMBERS.map(lambda cell: f'"{cell}"')).map(",".join)
ODD_ROW = st.one_of(
    st.tuples(QUOTED, QUOTED).map(",".join),
    st.tuples(ODD, NUMBERS).map(",".join),
    st.tuples(NUMBERS, ODD).map(",".join),
    st.lists(QUOTED, max_size=4).map(",".join),
)
HEADER = st.sampled_from(["", "x,y", "y,x", "a,b", "id,x,y"])
# A good file with one odd row somewhere: the row either side of which each path must agree.
ONE_ODD_ROW = st.tuples(
    HEADER, st.lists(GOOD_PAIR, max_size=6), ODD_ROW, st.lists(GOOD_PAIR, max_size=6)
).map(lambda p: [p[0]] * bool(p[0]) + p[1] + [p[2]] + p[3])
ANY_ROWS = st.tuples(HEADER, st.lists(GOOD_PAIR | ODD_ROW, max_size=12)).map(
    lambda p: [p[0]] * bool(p[0]) + p[1]
)
ROWS = ONE_ODD_ROW | ANY_ROWS


def outcome(text: str) -> object:
    """What parse_csv makes of `text`: the values, or the refusal."""
    try:
        data = parse_csv(text, "p.csv")
    except CsvError as error:
        return (error.line, error.message)
    return (data.xs, data.ys, data.label)


@settings(max_examples=200, deadline=None, database=None)
@given(rows=ROWS, newline=st.sampled_from(["\n", "\r\n", "\r"]), end=st.booleans())
def test_the_fast_path_reads_exactly_as_the_line_by_line_reader(
    rows: list[str], newline: str, end: bool
) -> None:
    """Whatever the text, the windowed regex path and the plain reader agree: the same
    numbers, or the same refusal at the same line."""
    text = newline.join(rows) + (newline if end else "")
    fast = outcome(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            csvdata._Table, "_fast", lambda self, text, position, number: (position, number)
        )
        slow = outcome(text)
    assert fast == slow
    if isinstance(fast, tuple) and len(fast) == 2 and fast[0] is not None:
        assert 1 <= fast[0] <= len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("hours,score\n1,2\n", ("hours", "score")),
        ("1,2\n3,4\n", ("x", "y")),
        ("y,x\n2,1\n", ("x", "y")),
        ("id,Y,X,note\n7,2,1,first\n", ("X", "Y")),
        ('"the ""x"" value",y\n1,2\n', ('the "x" value', "y")),
        ("  floor   area ,\n1,2\n", ("floor area", "y")),  # an empty name is "y"
        ("a\u200bb,<b>c</b>\n1,2\n", ("ab", "<b>c</b>")),  # escaped where it is shown
        (f"{'n' * 60},m\n1,2\n", ("n" * 39 + "…", "m")),
    ],
)
def test_the_headers_names_are_the_columns_names(text: str, columns: tuple[str, str]) -> None:
    assert parse_csv(text, "f.csv").columns == columns
