"""A file with a few bad rows: reported row by row, the rest loaded on request."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.__main__ import main
from layers.catalogue.errors import CatalogueError
from layers.catalogue.partial import read_valid_rows

IMPORTS = Path(__file__).resolve().parents[1] / "data" / "imports"
BROKEN = IMPORTS / "acled_broken.csv"


def test_valid_rows_are_read_and_every_refused_row_is_listed():
    partial = read_valid_rows(BROKEN.read_bytes(), name="acled_broken.csv")
    assert partial.summary() == "5 rows read, 4 refused"
    assert partial.catalogue.events["event_id"].tolist() == ["IRQX0001"]
    refused = partial.refused
    assert refused["row"].tolist() == [3, 4, 5, 6, 6]
    assert refused["column"].tolist()[:3] == ["geo_precision", "latitude", "event_date"]
    assert refused["value"].tolist()[:3] == ["4", "34.45N", "2019-13-45"]
    assert refused["reason"].str.len().gt(0).all()


def test_refusals_found_after_rewriting_keep_the_file_s_row_numbers():
    lines = (IMPORTS / "acled_strikes.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    bad = lines[3].split(",")
    bad[header.index("geo_precision")] = "9"
    lines[3] = ",".join(bad)
    # A duplicate id is found by the native checker, after the cell checks.
    lines.append(lines[1])
    partial = read_valid_rows("\n".join(lines).encode(), name="a.csv")
    # Row 4 is refused by the cell checks; row 10 (the copy of row 2) only
    # by the native checker, on the rewritten file, yet named as the file's.
    assert partial.refused[["row", "column"]].values.tolist() == [
        [4, "geo_precision"],
        [10, "event_id_cnty"],
    ]
    assert partial.summary() == "9 rows read, 2 refused"
    assert len(partial.catalogue.events) == 7


def test_command_line_fails_without_the_flag_and_loads_the_rest_with_it(
    tmp_path, capsys
):
    out = tmp_path / "out"
    args = ["export", "--catalogue", str(BROKEN), "--out", str(out)]
    assert main(args) == 2
    failed = capsys.readouterr().err
    assert "row 3, column 'geo_precision'" in failed
    assert not out.exists() or not list(out.iterdir())
    assert main([*args, "--skip-bad-rows"]) == 0
    printed = capsys.readouterr().out
    assert "5 rows read, 4 refused" in printed
    assert "refused row 4, column 'latitude'" in printed
    assert (out / "events.geojson").is_file()


def test_a_file_with_no_valid_row_is_still_refused():
    text = BROKEN.read_text(encoding="utf-8").splitlines()
    only_bad = "\n".join([text[0], text[2], text[3]]).encode()
    with pytest.raises(CatalogueError, match="no row is valid"):
        read_valid_rows(only_bad, name="bad.csv")
