"""The whole-column read and write paths give what the per-cell rules give."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyogrio
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.make_catalogue import make_catalogue  # noqa: E402
from geo.safe import csv_cell  # noqa: E402
from layers.__main__ import main  # noqa: E402
from layers.catalogue import CatalogueError, read_catalogue  # noqa: E402
from layers.catalogue.check.evidence import web_address  # noqa: E402
from layers.catalogue.store import tables  # noqa: E402
from layers.catalogue.store.native import write_text_tables  # noqa: E402

#: Cells a spreadsheet would run as formulas, near-misses and plain text.
TRICKY = [
    "=1+1",
    "+SUM(A1)",
    "-2.5",
    "-x",
    "@cmd",
    "'quoted",
    "''",
    "\uff1dHYPERLINK()",
    "plain",
    "x =not first",
    "1e-3",
    "é",
]


def _catalogue(tmp_path: Path, n: int = 40) -> tuple[Path, dict]:
    tables = make_catalogue(n, seed=5)
    notes = [TRICKY[i % len(TRICKY)] for i in range(n)]
    tables["events"]["notes"] = notes
    folder = tmp_path / "cat"
    write_text_tables(tables, folder)
    return folder, tables


def test_formula_cells_are_protected_and_read_back_exactly(tmp_path):
    folder, tables = _catalogue(tmp_path)
    written = (folder / "events.csv").read_text(encoding="utf-8")
    for cell in TRICKY:
        protected = csv_cell(cell)
        assert protected in written  # the apostrophe where csv_cell puts one
    events = read_catalogue(folder).events
    assert events["notes"].tolist() == tables["events"]["notes"].tolist()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=c#d",
        "HTTP://Example.org",
        "https://user@host.example:8080/x",
        "https://[::1]/",
        "https://host/ü",
        "https:example.org",
        "http://",
        "javascript:alert(1)",
        "https://[broken/",
        "ftp://example.org",
    ],
)
def test_source_urls_follow_web_address(tmp_path, url):
    tables = make_catalogue(20, seed=2)
    tables["sources"].loc[0, "url"] = url
    folder = tmp_path / "cat"
    write_text_tables(tables, folder)
    if web_address(url):
        read_catalogue(folder)
    else:
        with pytest.raises(CatalogueError, match="is not an http"):
            read_catalogue(folder)


def test_gpkg_sources_are_the_json_of_each_events_list(tmp_path):
    folder, _ = _catalogue(tmp_path, n=60)
    out = tmp_path / "out"
    argv = ["export", "--layers", "events", "--format", "gpkg"]
    assert main([*argv, "--catalogue", str(folder), "--out", str(out)]) == 0
    layer = pyogrio.read_dataframe(out / "layers.gpkg", layer="events")
    events = read_catalogue(folder).events.set_index("event_id")
    for _, row in layer.iterrows():
        for column in ("sources", "claims"):
            expected = events.loc[row["event_id"], column]
            assert json.loads(row[column]) == expected
            assert row[column] == json.dumps(
                expected, ensure_ascii=False, sort_keys=True
            )


@pytest.mark.parametrize("shift", [-2, -1, 0, 1])
def test_a_windows_line_break_in_a_cell_survives_a_block_boundary(tmp_path, shift):
    # pyarrow reads a file in 16 MiB blocks; a quoted "\r\n" whose "\r" ends a
    # block once came back as "\r" alone (the "\n" lost).
    boundary = tables._BLOCK_SIZE
    head = "event_id,notes\n" + "".join(f"E{i},plain\n" for i in range(1_150_000))
    opening = 'E-LAST,"'
    pad = boundary - 1 + shift - len(head) - len(opening)
    assert pad > 0
    note = "x" * pad + "\r\nsecond line"
    path = tmp_path / "events.csv"
    path.write_bytes((head + opening + note + '"\nE-END,done\n').encode())
    frame = tables.read_csv_table(path, ["event_id", "notes"])
    assert len(frame) == 1_150_002
    assert frame["notes"].iloc[-2] == note
    assert frame["event_id"].iloc[-1] == "E-END"
