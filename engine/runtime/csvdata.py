"""Reading two numeric columns, x and y, from CSV text: strictly, with messages naming the line.

Accepted: commas between values; an optional header row (a first row with no number in
it); quoted values ("1.5", with "" for a quote inside); spaces and tabs around values;
LF, CRLF or CR line ends; a UTF-8 byte order mark; blank lines and lines of bare commas,
which are skipped. More than two columns are fine when the header names the two to use
"x" and "y". Everything else is refused with a `CsvError`.

The parser is written out here rather than taken from the `csv` module so that it reads
the same text the same way, with the same messages, in every Python version.
"""

from __future__ import annotations

import json
import math
import re

from .data import MAX_ABS, MAX_ROWS, DataError, Dataset, table_label

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NOT_FINITE = ("nan", "inf", "infinity")
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANKS = " \t"

Row = tuple[int, list[str]]  # (line number, cells)


class CsvError(DataError):
    """A refused CSV file: `line` is the 1-based line at fault, or None for the whole file."""


def parse_csv(text: str, name: str) -> Dataset:
    """The (x, y) samples of CSV `text`; `name` (the file's name) goes into the data's label."""
    rows = _rows(_checked(text))
    if not rows:
        raise CsvError(None, "the file is empty; expected two columns of numbers, x and y")
    first_line, first = rows[0]
    header = not any(_looks_numeric(cell) for cell in first)
    x_column, y_column = _columns(first_line, first, header)
    data = rows[1:] if header else rows
    if not data:
        raise CsvError(None, "the file has a header row but no rows of numbers")
    if len(data) > MAX_ROWS:
        raise CsvError(None, f"the file has {len(data)} rows of numbers; at most {MAX_ROWS} fit")
    xs: list[float] = []
    ys: list[float] = []
    for line, cells in data:
        if len(cells) != len(first):
            raise CsvError(line, f"expected {len(first)} values, found {len(cells)}")
        xs.append(_number(line, cells[x_column], "x"))
        ys.append(_number(line, cells[y_column], "y"))
    shown = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "uploaded file"
    return Dataset(xs, ys, table_label(shown, len(xs)))


def _checked(text: str) -> str:
    """`text` without its byte order mark; refused when it is not text at all."""
    text = text.removeprefix("\ufeff")
    binary = _BINARY.search(text)
    if binary:
        raise CsvError(
            _line_at(text, binary.start()),
            "the file contains binary data, not text; save the data as CSV "
            "(comma-separated values)",
        )
    if "\ufffd" in text:
        raise CsvError(
            _line_at(text, text.index("\ufffd")),
            "the file is not UTF-8 text; save the data as CSV with UTF-8 encoding",
        )
    return text


def _line_at(text: str, index: int) -> int:
    """The 1-based line number of position `index` in `text` (LF, CRLF or CR line ends)."""
    before = text[:index]
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


def _rows(text: str) -> list[Row]:
    """The non-blank rows of `text`, split into stripped cells, with their line numbers."""
    rows: list[Row] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        cells = _cells(number, line) if line.strip(_BLANKS) else []
        if any(cells):  # a blank line, or bare commas as spreadsheets write them
            rows.append((number, cells))
    return rows


def _cells(number: int, line: str) -> list[str]:
    """The values of one line, spaces around them removed."""
    if '"' not in line:
        return [cell.strip(_BLANKS) for cell in line.split(",")]
    cells: list[str] = []
    at = 0
    while True:
        cell, at = _cell(number, line, at)
        cells.append(cell)
        if at >= len(line):
            return cells
        at += 1  # past the comma


def _cell(number: int, line: str, at: int) -> tuple[str, int]:
    """The value starting at `at`, and the position of the comma (or end) after it."""
    while at < len(line) and line[at] in _BLANKS:
        at += 1
    if not line.startswith('"', at):
        end = line.find(",", at)
        end = len(line) if end < 0 else end
        cell = line[at:end].strip(_BLANKS)
        if '"' in cell:
            raise CsvError(number, 'a " may only start and end a quoted value')
        return cell, end
    parts: list[str] = []
    at += 1
    while True:
        close = line.find('"', at)
        if close < 0:
            raise CsvError(number, 'a quoted value is not closed (a " is missing)')
        parts.append(line[at:close])
        at = close + 1
        if not line.startswith('"', at):
            break
        parts.append('"')  # "" inside quotes stands for one quote
        at += 1
    while at < len(line) and line[at] in _BLANKS:
        at += 1
    if at < len(line) and line[at] != ",":
        raise CsvError(number, "unexpected text after a quoted value; expected a comma")
    return "".join(parts).strip(_BLANKS), at


def _looks_numeric(cell: str) -> bool:
    """Whether `cell` is meant as a number (NaN and infinity included, to refuse them)."""
    return bool(_NUMBER.fullmatch(cell)) or cell.lstrip("+-").lower() in _NOT_FINITE


def _columns(line: int, first: list[str], header: bool) -> tuple[int, int]:
    """The positions of the x and y columns, judged from the first row."""
    if len(first) == 1:
        raise CsvError(
            line,
            "found one column; expected two, x and y, separated by a comma"
            + _separator_hint(first[0]),
        )
    if len(first) == 2:
        return 0, 1
    if header:
        names = [cell.lower() for cell in first]
        if names.count("x") == 1 and names.count("y") == 1:
            return names.index("x"), names.index("y")
        raise CsvError(
            line,
            f'found {len(first)} columns; name the two to use "x" and "y" in the header row, '
            "or keep only two columns",
        )
    raise CsvError(
        line,
        f"found {len(first)} columns; expected two, x and y "
        '(or a header row naming the two to use "x" and "y")',
    )


def _separator_hint(cell: str) -> str:
    """A hint when a lone cell holds values separated by something other than commas."""
    for separator, name in ((";", '";"'), ("\t", "tabs")):
        if separator in cell:
            return f" (the values seem to be separated by {name}; use commas)"
    return ""


def _number(line: int, cell: str, column: str) -> float:
    """The finite number in `cell`, or a CsvError that says what is wrong with it."""
    if not cell:
        raise CsvError(line, f"the {column} value is missing")
    shown = json.dumps(cell if len(cell) <= 40 else cell[:39] + "…", ensure_ascii=False)
    if _NUMBER.fullmatch(cell):
        value = float(cell)
        if not (math.isfinite(value) and abs(value) <= MAX_ABS):
            raise CsvError(line, f"{shown} is too large; values must lie between -1e100 and 1e100")
        return value
    if cell.lstrip("+-").lower() in _NOT_FINITE:
        raise CsvError(line, f"{shown} is not allowed; every value must be a finite number")
    hint = " (use a dot for decimals and no thousands separators)" if "," in cell else ""
    raise CsvError(line, f"{shown} is not a number{hint}")
