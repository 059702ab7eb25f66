"""Reading two numeric columns, x and y, from CSV text: strictly, with messages naming the line.

Accepted: commas between values; an optional header row (a first row with no number in
it); quoted values ("1.5", with "" for a quote inside); spaces and tabs around values;
LF, CRLF or CR line ends; a UTF-8 byte order mark; blank lines and lines of bare commas,
which are skipped. More than two columns are fine when the header names the two to use
"x" and "y". Everything else is refused with a `CsvError`.

The parser is written out here rather than taken from the `csv` module so that it reads
the same text the same way, with the same messages, in every Python version. Two-column
rows of plain numbers, by far the most common, are matched and converted a window of
lines at a time by `re` and `float` (a million rows in a second or two); any other
line goes through the line-by-line reader, which also words every refusal.
"""

from __future__ import annotations

import json
import math
import re

from .contract import MAX_CSV_CHARACTERS, MAX_DATA_VALUE, MAX_ROWS
from .data import DEFAULT_COLUMNS, DataError, Dataset, column_name, table_label

_NUMBER_TEXT = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NUMBER = re.compile(_NUMBER_TEXT)
_NOT_FINITE = ("nan", "inf", "infinity")
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NO_BINARY = dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_BLANKS = " \t"
# Lines the fast path reads, each with its line end: two numbers (plain or quoted), or
# nothing but blanks and commas. A match always ends where a line starts. The possessive
# quantifiers and atomic group spare `re` the bookkeeping for backtracking that could
# never succeed, which makes the match several times faster.
_FAST_NUMBER = r"[+-]?+(?:[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)(?:[eE][+-]?+[0-9]++)?+"
_FAST_CELL = rf'[ \t]*+(?:{_FAST_NUMBER}|"[ \t]*+{_FAST_NUMBER}[ \t]*+")[ \t]*+'
_PAIRS = re.compile(rf"(?>{_FAST_CELL},{_FAST_CELL}(?:\n|\Z)|[ \t,]*+(?:\n|\Z))*+")
_WINDOW = 1 << 20  # characters matched at a time, so that memory stays small
_BLANK_LINES = re.compile(r"(?:[ \t,]*+\n)*+")


class CsvError(DataError):
    """A refused CSV file: `line` is the 1-based line at fault, or None for the whole file."""


def parse_csv(text: str, name: str) -> Dataset:
    """The (x, y) samples of CSV `text`; `name` (the file's name) goes into the data's label.

    Limits: at most 1,000,000 rows of numbers (MAX_ROWS) and 64 MB of text
    (MAX_CSV_CHARACTERS); every value a finite number between -1e100 and 1e100. A refused
    file raises CsvError, which names the line at fault (None when the fault is the whole
    file: empty, or too large) and says what to do about it.
    """
    text = _checked(text).replace("\r\n", "\n").replace("\r", "\n")
    first = _first_row(text)
    if first is None:
        raise CsvError(None, "the file is empty; expected two columns of numbers, x and y")
    line, cells, position = first
    header = not any(_looks_numeric(cell) for cell in cells)
    columns = _columns(line, cells, header)
    table = _Table(len(cells), *columns)
    if not header:
        table.add(line, cells)
    table.read(text, position, line + 1)
    if not table.xs:
        raise CsvError(
            line, "the file has a header row but no rows of numbers; add rows of x,y values"
        )
    shown = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "uploaded file"
    names = DEFAULT_COLUMNS
    if header:
        names = (
            column_name(cells[columns[0]], DEFAULT_COLUMNS[0]),
            column_name(cells[columns[1]], DEFAULT_COLUMNS[1]),
        )
    return Dataset(table.xs, table.ys, table_label(shown, len(table.xs)), columns=names)


def _checked(text: str) -> str:
    """`text` without its byte order mark; refused when it is not text at all, or too long."""
    if len(text) > MAX_CSV_CHARACTERS:
        raise CsvError(
            None,
            f"the file is larger than {MAX_CSV_CHARACTERS // (1024 * 1024)} MB; "
            f"keep at most {MAX_ROWS} rows of x,y values",
        )
    text = text.removeprefix("\ufeff")
    if _looks_utf16(text):
        raise CsvError(1, "the file is UTF-16 text; save the data as CSV with UTF-8 encoding")
    # Deleting control characters is a faster test for them than a search (a copy of
    # plain text is a memcpy); the search then finds the first one's line.
    binary = _BINARY.search(text) if len(text.translate(_NO_BINARY)) != len(text) else None
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


def _looks_utf16(text: str) -> bool:
    """Whether `text` is UTF-16 read as if it were UTF-8: every other character a NUL,
    perhaps after the UTF-16 byte order mark turned into replacement characters."""
    sample = text.removeprefix("\ufffd\ufffd")[:1000]
    return len(sample) >= 2 and any(
        half.count("\x00") >= 0.9 * len(half) for half in (sample[0::2], sample[1::2])
    )


def _line_at(text: str, index: int) -> int:
    """The 1-based line number of position `index` in `text` (LF, CRLF or CR line ends)."""
    before = text[:index]
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


def _first_row(text: str) -> tuple[int, list[str], int] | None:
    """The first non-blank row: its line number, its cells and where the next line starts."""
    position, number = 0, 1
    while True:
        position, number = _skip_blank(text, position, number)
        if position >= len(text):
            return None
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        line = text[position:end]
        cells = _cells(number, line) if line.strip(_BLANKS) else []
        if any(cells):  # not a blank line, nor bare commas as spreadsheets write them
            return number, cells, end + 1
        position, number = end + 1, number + 1


def _skip_blank(text: str, position: int, number: int) -> tuple[int, int]:
    """Past the blank lines (and lines of bare commas) from the start of line `number` at
    `position`, in one match rather than a loop: where the next other line starts, and
    its number."""
    match = _BLANK_LINES.match(text, position)  # never None: it may match nothing
    end = match.end() if match else position
    return end, number + text.count("\n", position, end)


class _Table:
    """The x and y values read so far, from rows of `width` cells."""

    def __init__(self, width: int, x_column: int, y_column: int) -> None:
        self.width, self.x_column, self.y_column = width, x_column, y_column
        self.xs: list[float] = []
        self.ys: list[float] = []

    def read(self, text: str, position: int, number: int) -> None:
        """Every row from `position` (the start of line `number`) to the end."""
        while position < len(text):
            if self.width == 2:
                position, number = self._fast(text, position, number)
            position, number = _skip_blank(text, position, number)
            if position >= len(text):
                return
            end = text.find("\n", position)
            end = len(text) if end < 0 else end
            line = text[position:end]
            cells = _cells(number, line) if line.strip(_BLANKS) else []
            if any(cells):
                self.add(number, cells)
            position, number = end + 1, number + 1

    def add(self, number: int, cells: list[str]) -> None:
        """One row, read and checked cell by cell."""
        if len(cells) != self.width:
            raise CsvError(
                number,
                f"expected {self.width} values, found {len(cells)}; "
                "give every row as many values as the first",
            )
        self.xs.append(_number(number, cells[self.x_column], "x"))
        self.ys.append(_number(number, cells[self.y_column], "y"))
        if len(self.xs) > MAX_ROWS:
            raise _too_many_rows(number)

    def _fast(self, text: str, position: int, number: int) -> tuple[int, int]:
        """Rows of two numbers from `position` on, a window of lines at a time, up to the
        first line of another kind: where that line starts, and its number."""
        while position < len(text):
            stop = text.find("\n", position + _WINDOW)
            stop = len(text) if stop < 0 else stop + 1
            match = _PAIRS.match(text, position, stop)  # never None: it may match nothing
            end = match.end() if match else position
            chunk = text[position:end]
            values = _values(chunk)
            if len(self.xs) + len(values) // 2 > MAX_ROWS or not _in_range(values):
                # Let the line-by-line reader find the row at fault and word the refusal.
                for line in chunk.split("\n"):
                    cells = _cells(number, line) if line.strip(_BLANKS) else []
                    if any(cells):
                        self.add(number, cells)
                    number += 1
                raise AssertionError("the fast path found a fault the slow path did not")
            self.xs.extend(values[self.x_column :: 2])
            self.ys.extend(values[self.y_column :: 2])
            number += chunk.count("\n")
            position = end
            if end < stop:
                break
        return position, number


def _values(chunk: str) -> list[float]:
    """The numbers of lines matched by _PAIRS, in order. Splitting at commas and line ends
    is quickest; it fails (float("") or a quote) when a line is blank or quoted."""
    parts = chunk.replace("\n", ",").split(",")
    if parts[-1] == "":
        parts.pop()
    try:
        if len(parts) == 2 * (chunk.count("\n") + (not chunk.endswith("\n"))):
            return list(map(float, parts))
    except ValueError:
        pass
    return list(map(float, _NUMBER.findall(chunk)))


def _in_range(values: list[float]) -> bool:
    """Whether every value is finite and within ±MAX_DATA_VALUE (NaN cannot pass the pattern)."""
    return not values or (min(values) >= -MAX_DATA_VALUE and max(values) <= MAX_DATA_VALUE)


def _too_many_rows(number: int) -> CsvError:
    """The refusal of row MAX_ROWS + 1, on line `number`."""
    return CsvError(
        number,
        f"the file has more than {MAX_ROWS} rows of numbers; keep at most {MAX_ROWS} "
        "(every other row, say)",
    )


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
    names = [cell.lower() for cell in first]
    if header and names.count("x") == 1 and names.count("y") == 1:
        return names.index("x"), names.index("y")
    if len(first) == 2:
        return 0, 1
    if header:
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
        raise CsvError(line, f"the {column} value is missing; fill it in or delete the row")
    if _NUMBER.fullmatch(cell):
        value = float(cell)
        if math.isfinite(value) and abs(value) <= MAX_DATA_VALUE:
            return value
        raise CsvError(
            line, f"{_shown(cell)} is too large; values must lie between -1e100 and 1e100"
        )
    if cell.lstrip("+-").lower() in _NOT_FINITE:
        raise CsvError(
            line,
            f"{_shown(cell)} is not allowed; every value must be a finite number "
            "(fill it in or delete the row)",
        )
    hint = (
        "use a dot for decimals and no thousands separators"
        if "," in cell
        else "write numbers such as 2, -0.5 or 1e3"
    )
    raise CsvError(line, f"{_shown(cell)} is not a number; {hint}")


def _shown(cell: str) -> str:
    """The cell quoted for a message, cut short when long."""
    return json.dumps(cell if len(cell) <= 40 else cell[:39] + "…", ensure_ascii=False)
