"""The page's offer for an upload with some bad rows (pure logic of the page)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from layers.catalogue.open import read_upload
from layers.page.refused import chosen, offer, offer_widgets

BROKEN = Path(__file__).resolve().parents[1] / "data" / "imports" / "acled_broken.csv"


@dataclass
class File:
    """An uploaded file as Streamlit's uploader gives it."""

    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


def test_offer_counts_the_rows_and_the_refused_rows_download_as_safe_csv():
    data = BROKEN.read_bytes().replace(b"Drone strike", b"=HYPERLINK(1)")
    made = offer("acled_broken.csv", data)
    assert made is not None
    assert made.summary == "5 rows read, 4 refused"
    assert made.button == "Load the 1 valid row"
    rows = list(csv.DictReader(io.StringIO(made.csv.decode())))
    assert [r["row"] for r in rows] == ["3", "4", "5", "6", "6"]
    assert {r["column"] for r in rows} >= {"geo_precision", "latitude"}
    # A formula in a refused cell is text in a spreadsheet (geo.safe.csv_cell).
    assert all(not r["value"].startswith("=") for r in rows)
    assert any(r["value"] == "'=HYPERLINK(1)" for r in rows)


def test_the_button_loads_the_valid_rows_of_that_file_only():
    data = BROKEN.read_bytes()
    state: dict = {}
    items = offer_widgets(File("acled_broken.csv", data), state)
    assert [element for element, _ in items] == [
        "markdown",
        "download_button",
        "button",
    ]
    assert chosen(File("acled_broken.csv", data), "merge", state)[1] == data
    items[-1][1]["on_click"]()  # the user presses "Load the 1 valid row"
    name, valid, mode = chosen(File("acled_broken.csv", data), "merge", state)
    assert (name, mode) == ("acled_broken.csv", "merge")
    assert read_upload(name, valid).events["event_id"].tolist() == ["IRQX0001"]
    other = File("other.csv", data + b"\n")
    assert chosen(other, "merge", state)[1] == other.data


def test_no_offer_for_a_file_that_cannot_be_read_in_part():
    assert offer("x.geojson", b'{"type": "FeatureCollection"') is None
    assert offer_widgets(File("x.csv", b"a,b\n1,2\n"), {}) == []
