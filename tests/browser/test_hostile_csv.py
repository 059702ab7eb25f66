"""A reader's CSV upload, hostile or odd: every bad file is refused with a message naming
the problem (and its line), the demo keeps its data and goes on training; good files in
unusual shapes are read. The file's name reaches the page only as text.

All cases share one page, uploaded one after another, as a reader trying file after file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from engine.runtime.spec import DemoSettings
from engine.runtime.trainer import Trainer

from .conftest import READY_TIMEOUT_MS, record_dialogs, refuse_foreign_requests
from .test_contract_demo import open_demo, value

NOT_A_NUMBER = "is not a number; write numbers such as 2, -0.5 or 1e3"
NOT_FINITE = "is not allowed; every value must be a finite number (fill it in or delete the row)"
BINARY = "the file contains binary data, not text; save the data as CSV (comma-separated values)"
HTML_NAME = "<img src=x onerror=alert(1)>.csv"
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""

# (file name, contents, what the reader is told)
REFUSED = [
    (
        "empty.csv",
        b"",
        "Could not load empty.csv: the file is empty; expected two columns of numbers, x and y",
    ),
    (
        "header-only.csv",
        b"x,y\n",
        "Could not load header-only.csv: line 1: the file has a header row but no rows of "
        "numbers; add rows of x,y values",
    ),
    (
        "one-column.csv",
        b"y\n1\n2\n",
        "Could not load one-column.csv: line 1: found one column; expected two, x and y, "
        "separated by a comma",
    ),
    (
        "word.csv",
        b"x,y\n1,2\n3,banana\n",
        f'Could not load word.csv: line 3: "banana" {NOT_A_NUMBER}',
    ),
    ("nan.csv", b"x,y\n1,2\nNaN,3\n", f'Could not load nan.csv: line 3: "NaN" {NOT_FINITE}'),
    ("inf.csv", b"x,y\n1,inf\n", f'Could not load inf.csv: line 2: "inf" {NOT_FINITE}'),
    (
        "archive.csv",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",  # the start of a zip file
        f"Could not load archive.csv: line 1: {BINARY}",
    ),
    (
        "picture.csv",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # the start of a PNG image
        f"Could not load picture.csv: line 2: {BINARY}",
    ),
    (
        "utf16.csv",
        "x,y\r\n1,2\r\n3,4\r\n".encode("utf-16"),
        "Could not load utf16.csv: line 1: the file is UTF-16 text; save the data as CSV "
        "with UTF-8 encoding",
    ),
    (
        "utf16-no-bom.csv",
        "x,y\r\n1,2\r\n3,4\r\n".encode("utf-16-le"),
        "Could not load utf16-no-bom.csv: line 1: the file is UTF-16 text; save the data as "
        "CSV with UTF-8 encoding",
    ),
    (
        "latin1.csv",
        b"x,y\n1,2\ncaf\xe9,3\n",
        "Could not load latin1.csv: line 3: the file is not UTF-8 text; save the data as CSV "
        "with UTF-8 encoding",
    ),
    (
        "long-line.csv",
        b"x,y\n1," + b"7" * 1_000_000 + b"\n",
        f'Could not load long-line.csv: line 2: "{"7" * 39}…" is too large; values must lie '
        "between -1e100 and 1e100",
    ),
    (
        "three-unnamed.csv",
        b"a,b,c\n1,2,3\n4,5,6\n",
        'Could not load three-unnamed.csv: line 1: found 3 columns; name the two to use "x" '
        'and "y" in the header row, or keep only two columns',
    ),
    (
        "three-numbers.csv",
        b"1,2,3\n4,5,6\n",
        "Could not load three-numbers.csv: line 1: found 3 columns; expected two, x and y "
        '(or a header row naming the two to use "x" and "y")',
    ),
    (
        "uneven.csv",
        b"x,y\n1,2\n3\n",
        "Could not load uneven.csv: line 3: expected 2 values, found 1; give every row as "
        "many values as the first",
    ),
    (
        "too-big.csv",
        b"1,2\n" * (64 * 1024 * 1024 // 4 + 1),  # past the page's limit: never sent to Python
        "too-big.csv is too large (the limit is 64 MB).",
    ),
]


@dataclass
class Reader:
    """The shared page, its demo, and what it must never see."""

    page: Page
    demo: Locator
    dialogs: list[str]
    folder: Path

    def upload(self, name: str, contents: bytes) -> None:
        """Choose a file called `name` holding `contents`. From a real file, since the
        browser then reads it from disk: megabytes need not travel through the driver."""
        path = self.folder / name
        path.write_bytes(contents)
        self.demo.locator('[data-control="upload-csv"]').set_input_files(path)

    def readout(self, name: str) -> str | None:
        return self.demo.locator(f'[data-readout="{name}"]').get_attribute("data-value")

    def step_once(self) -> None:
        """Press step; the iteration must move on by exactly one."""
        iteration = int(value(self.demo, "iteration"))
        self.demo.locator('[data-action="step"]').click()
        expect(self.demo.locator('[data-readout="iteration"]')).to_have_attribute(
            "data-value", str(iteration + 1)
        )


@pytest.fixture(scope="module")
def reader(
    warm_context: BrowserContext, contract_site: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Reader]:
    """One page for the whole module: the demo with every control, ready."""
    page = warm_context.new_page()
    page.set_default_timeout(READY_TIMEOUT_MS)
    foreign = refuse_foreign_requests(page)
    dialogs = record_dialogs(page)
    page.add_init_script(WATCH)
    demo = open_demo(page, contract_site, "everything", "full")
    yield Reader(page, demo, dialogs, tmp_path_factory.mktemp("uploads"))
    try:
        assert foreign == [], f"requests left the page's origin: {foreign}"
        assert dialogs == []
        assert page.evaluate("window.__violations") == []
        page.evaluate("() => localStorage.clear()")
    finally:
        page.close()


@pytest.mark.parametrize(
    ("name", "contents", "message"), REFUSED, ids=[name for name, _, _ in REFUSED]
)
def test_a_bad_file_is_refused_and_the_demo_goes_on(
    reader: Reader, name: str, contents: bytes, message: str
) -> None:
    reader.step_once()  # a run under way, so that "unchanged" means something
    readouts = ("samples", "iteration", "average-loss")
    before = [reader.readout(readout) for readout in readouts]
    reader.upload(name, contents)
    expect(reader.demo.locator("[data-error]")).to_have_text(message)
    assert [reader.readout(readout) for readout in readouts] == before
    expect(reader.demo).not_to_have_attribute("data-status", "error")
    reader.step_once()


def mean_square(ys: list[float]) -> float:
    """The average loss of w = b = 0."""
    return sum(y * y for y in ys) / len(ys)


@pytest.mark.parametrize(
    ("name", "text", "ys"),
    [
        # Three columns: the header names the two to use, in any order.
        ("wide.csv", "time,y,note,x\n0,2,a,1\n1,4,,3\n2,6.5,b,5\n", [2.0, 4.0, 6.5]),
        # A spreadsheet's export: byte order mark, CRLF, quotes, blank lines, spaces, bare commas.
        (
            "tidy.csv",
            '\ufeff x , "y" \r\n\r\n "1" , 2.5 \r\n\r\n  2,"4"\r\n , \r\n3 , 5.5\r\n',
            [2.5, 4.0, 5.5],
        ),
    ],
)
def test_an_odd_but_good_file_is_read(
    reader: Reader, name: str, text: str, ys: list[float]
) -> None:
    reader.upload(name, text.encode("utf-8"))
    expect(reader.demo.locator('[data-readout="samples"]')).to_have_attribute(
        "data-value", str(len(ys))
    )
    expect(reader.demo.locator("[data-error]")).to_have_text("")
    expect(reader.demo.locator("[data-summary]")).to_have_text(f"Loaded {name}: {len(ys)} samples.")
    assert value(reader.demo, "iteration") == 0
    # Every run starts at w = b = 0, where the average loss is the mean of y squared: y is
    # the column named "y".
    assert value(reader.demo, "average-loss") == pytest.approx(mean_square(ys), rel=1e-12)
    # The numbers are exactly those of the runtime in CPython reading the same file, before
    # and after a step (which depends on x, the column named "x").
    config = reader.demo.locator("script[data-demo-config]").text_content() or "{}"
    trainer = Trainer(DemoSettings.from_dict(json.loads(config)["settings"]))
    trainer.load_csv(text.removeprefix("\ufeff"), name)
    assert value(reader.demo, "average-loss") == trainer.average_loss
    trainer.step(1)
    reader.step_once()
    assert (value(reader.demo, "w"), value(reader.demo, "b")) == (
        trainer.params["w"],
        trainer.params["b"],
    )


def test_fifty_megabytes_of_a_million_rows_are_read_and_trained_on(reader: Reader) -> None:
    row = f"{'-12.5':>24},{'1e3':>24}\n"  # 50 bytes, as a spreadsheet padding its columns
    contents = ("x,y\n" + row * 999_999 + f"{4:>24},{8:>24}\n").encode()
    assert len(contents) >= 50_000_000
    reader.upload("fifty.csv", contents)
    expect(reader.demo.locator("[data-summary]")).to_have_text(
        "Loaded fifty.csv: 1,000,000 samples.", timeout=120_000
    )
    assert value(reader.demo, "samples") == 1_000_000
    expect(reader.demo.locator("[data-error]")).to_have_text("")
    # Mean of y squared at w = b = 0: every row's y is 1000 but the last one's, 8.
    assert value(reader.demo, "average-loss") == pytest.approx((999_999 * 1e6 + 64) / 1e6)
    reader.step_once()
    reader.step_once()


def test_a_file_name_with_html_stays_text(reader: Reader) -> None:
    demo, page = reader.demo, reader.page
    samples = reader.readout("samples")
    reader.upload(HTML_NAME, b"x,y\n1,oops\n")
    error = demo.locator("[data-error]")
    expect(error).to_have_text(f'Could not load {HTML_NAME}: line 2: "oops" {NOT_A_NUMBER}')
    expect(error.locator("*")).to_have_count(0)
    assert reader.readout("samples") == samples
    # Accepted, the name shows in the summary and in a saved run's description, as text.
    reader.upload(HTML_NAME, b"x,y\n1,2\n2,4\n")
    expect(demo.locator("[data-summary]")).to_have_text(f"Loaded {HTML_NAME}: 2 samples.")
    demo.locator('[data-action="save-run"]').click()
    run = demo.locator("[data-runs] [data-run]").last
    expect(run).to_contain_text(f"data: {HTML_NAME} (2 rows)")
    expect(page.locator("img")).to_have_count(0)
    assert page.evaluate("window.__violations") == []
    assert reader.dialogs == []
    reader.step_once()
