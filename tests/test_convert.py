"""The convert command, and the export command reading any catalogue."""

from __future__ import annotations

import pytest

from layers.__main__ import main
from layers.catalogue import read_catalogue
from tests.conftest import DATA


def test_convert_to_geoparquet_and_back(tmp_path, capsys, catalogue):
    assert (
        main(
            [
                "convert",
                str(catalogue.path),
                "--out",
                str(tmp_path / "pq"),
                "--format",
                "parquet",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == [
        "claims.parquet",
        "events.parquet",
        "sources.parquet",
    ]
    counts = (
        f"{len(catalogue.events)} events, {len(catalogue.claims)} claims, "
        f"{len(catalogue.sources)} sources"
    )
    assert counts in capsys.readouterr().out
    assert main(["convert", str(tmp_path / "pq"), "--out", str(tmp_path / "csv")]) == 0
    back = read_catalogue(tmp_path / "csv")
    assert list(back.events["event_id"]) == list(catalogue.events["event_id"])


def test_export_reads_a_geoparquet_catalogue(tmp_path, catalogue):
    main(
        [
            "convert",
            str(catalogue.path),
            "--out",
            str(tmp_path / "pq"),
            "--format",
            "parquet",
        ]
    )
    assert (
        main(
            [
                "export",
                "--catalogue",
                str(tmp_path / "pq"),
                "--out",
                str(tmp_path / "out"),
                "--layers",
                "strike_zones",
            ]
        )
        == 0
    )
    assert (tmp_path / "out" / "strike_zones.geojson").is_file()


@pytest.mark.parametrize("command", ["convert", "export"])
def test_bad_catalogue_prints_an_error_not_a_traceback(tmp_path, capsys, command):
    broken = str(DATA / "broken_catalogue")
    args = (
        ["convert", broken, "--out", str(tmp_path)]
        if command == "convert"
        else ["export", "--catalogue", broken, "--out", str(tmp_path)]
    )
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "events.csv, row 3, column 'lat': '34.45N' is not a number" in err
    assert "Traceback" not in err


def test_convert_refuses_to_overwrite_its_input(capsys, catalogue_copy):
    assert main(["convert", str(catalogue_copy), "--out", str(catalogue_copy)]) == 2
    assert "OUT must differ from IN" in capsys.readouterr().err


def test_convert_a_missing_catalogue(tmp_path, capsys):
    assert main(["convert", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert "not found" in capsys.readouterr().err
