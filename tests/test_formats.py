"""Any catalogue file by content: dispatch, uploads, zips, merging, the CLI."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from layers.__main__ import main
from layers.catalogue import (
    CATALOGUE_DIR,
    merge_catalogues,
    read_catalogue,
    read_upload,
    resolve_catalogue_path,
)
from layers.catalogue.errors import CatalogueError
from layers.catalogue.model import TABLE_COLUMNS, TABLE_FILES
from layers.catalogue.open import MAX_UPLOAD_MB, detect, to_tables
from layers.catalogue.reference import read_reference
from layers.params import LayerInputs, LayerParams
from layers.registry import build_layers

ROOT = Path(__file__).resolve().parent.parent
IMPORTS = Path(__file__).resolve().parent / "data" / "imports"
WELL_FORMED = ("acled_strikes.csv", "ucdp_strikes.csv", "events.geojson", "events.kml")
BROKEN = (
    "acled_broken.csv",
    "ucdp_broken.csv",
    "events_broken.geojson",
    "events_broken.kml",
)


@pytest.mark.parametrize(
    ("file_name", "kind"),
    [
        ("acled_strikes.csv", "acled"),
        ("ucdp_strikes.csv", "ucdp"),
        ("events.geojson", "features"),
        ("events.kml", "features"),
    ],
)
def test_format_is_told_by_content_not_name(file_name, kind):
    data = (IMPORTS / file_name).read_bytes()
    assert detect(data, name="upload.txt") == kind
    assert len(read_upload("misnamed.dat", data).events) > 0


def test_unknown_content_names_what_is_accepted():
    with pytest.raises(CatalogueError, match="notes.csv: the format is not recog"):
        read_upload("notes.csv", b"a,b\n1,2\n")
    with pytest.raises(CatalogueError, match="empty.csv: the file is empty"):
        read_upload("empty.csv", b"")


def test_native_events_table_alone_is_explained():
    data = (CATALOGUE_DIR / "events.csv").read_bytes()
    with pytest.raises(CatalogueError, match="zip of the folder"):
        read_upload("events.csv", data)


def _zip_of(folder: Path, *, prefix: str = "catalogue/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file_name in TABLE_FILES.values():
            archive.write(folder / file_name, prefix + file_name)
    return buffer.getvalue()


def test_zip_of_a_catalogue_folder(catalogue):
    uploaded = read_upload("mine.zip", _zip_of(CATALOGUE_DIR))
    assert list(uploaded.events["event_id"]) == list(catalogue.events["event_id"])


def test_broken_zip_member_is_named(tmp_path, catalogue_copy):
    events = catalogue_copy / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace("34.37973", "34.3N", 1),
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=r"mine.zip/catalogue/events.csv, row"):
        read_upload("mine.zip", _zip_of(catalogue_copy))


def test_upload_size_limit_is_stated():
    big = b"x" * (MAX_UPLOAD_MB * 1024 * 1024 + 1)
    with pytest.raises(CatalogueError, match=f"up to {MAX_UPLOAD_MB} MB"):
        read_upload("huge.csv", big)


def test_streamlit_upload_limit_matches():
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert f"maxUploadSize = {MAX_UPLOAD_MB}" in config


@pytest.mark.parametrize("file_name", WELL_FORMED)
def test_merge_with_the_shipped_catalogue(catalogue, file_name):
    imported = read_catalogue(IMPORTS / file_name)
    merged = merge_catalogues(catalogue, imported)
    assert len(merged.events) == len(catalogue.events) + len(imported.events)
    assert merged.events.crs == catalogue.events.crs
    assert set(merged.claims["claimant"]) >= set(imported.claims["claimant"])


def test_merge_reports_id_clashes(catalogue):
    with pytest.raises(CatalogueError, match="event_id 'S-IQ-1' is in both"):
        merge_catalogues(catalogue, catalogue)


@pytest.mark.parametrize("file_name", WELL_FORMED + BROKEN)
def test_every_file_opens_or_fails_cleanly(file_name):
    try:
        catalogue = read_catalogue(IMPORTS / file_name)
    except CatalogueError as exc:
        assert file_name in str(exc)
        assert "row" in str(exc) or "feature" in str(exc)
        assert "column '" in str(exc)
        return
    assert file_name in WELL_FORMED
    built = build_layers(
        LayerInputs(read_reference(), catalogue), LayerParams(), ["events"]
    )["events"]
    area_only = built["precision_class"].isin(("P3", "P4", "P5", "P6"))
    assert area_only.any()
    assert not (built.geometry[area_only].geom_type == "Point").any()  # no pins


def test_environment_variable_and_flag_accept_a_file():
    acled = IMPORTS / "acled_strikes.csv"
    assert resolve_catalogue_path(argv=[], environ={"STRIKEMAP_CATALOGUE": str(acled)})
    path = resolve_catalogue_path(argv=["--catalogue", str(acled)], environ={})
    assert len(read_catalogue(path).events) == 8


@pytest.mark.parametrize("file_name", WELL_FORMED)
def test_cli_export_accepts_import_files(tmp_path, file_name, capsys):
    status = main(
        [
            "export",
            "--catalogue",
            str(IMPORTS / file_name),
            "--out",
            str(tmp_path),
            "--layers",
            "events",
        ]
    )
    assert status == 0
    assert (tmp_path / "events.geojson").is_file()


def test_cli_export_reports_a_broken_file(tmp_path, capsys):
    status = main(
        [
            "export",
            "--catalogue",
            str(IMPORTS / "acled_broken.csv"),
            "--out",
            str(tmp_path),
        ]
    )
    assert status == 2
    assert "acled_broken.csv, row 3, column 'geo_precision'" in capsys.readouterr().err


@pytest.mark.parametrize("file_name", WELL_FORMED)
def test_round_trip_through_a_native_folder(tmp_path, file_name):
    """File -> native CSV folder (what `convert` writes) -> the same events."""
    data = (IMPORTS / file_name).read_bytes()
    direct = read_upload(file_name, data)
    for key, table in zip(TABLE_FILES, to_tables(data, name=file_name), strict=True):
        frame = pd.DataFrame(table)[list(TABLE_COLUMNS[key])]
        frame.to_csv(tmp_path / TABLE_FILES[key], index=False)
    again = read_catalogue(tmp_path)
    columns = [c for c in TABLE_COLUMNS["events"]]
    pd.testing.assert_frame_equal(
        pd.DataFrame(direct.events[columns]), pd.DataFrame(again.events[columns])
    )
    pd.testing.assert_frame_equal(direct.claims, again.claims)


@pytest.mark.parametrize("file_name", WELL_FORMED)
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_convert_round_trip_gives_the_same_events(tmp_path, file_name, fmt):
    source = IMPORTS / file_name
    status = main(["convert", str(source), "--out", str(tmp_path), "--format", fmt])
    assert status == 0
    direct, again = read_catalogue(source), read_catalogue(tmp_path)
    columns = list(TABLE_COLUMNS["events"])
    pd.testing.assert_frame_equal(
        pd.DataFrame(direct.events[columns]).reset_index(drop=True),
        pd.DataFrame(again.events[columns]).reset_index(drop=True),
    )
    assert len(direct.claims) == len(again.claims)


def test_native_checks_are_reported_in_the_files_own_terms():
    lines = (IMPORTS / "acled_strikes.csv").read_text(encoding="utf-8").splitlines()
    yemen = lines[1].replace("34.3669,41.1389", "15.4627,45.3253")
    with pytest.raises(CatalogueError) as info:
        read_upload("acled.csv", "\n".join([lines[0], yemen]).encode())
    message = str(info.value)
    assert "acled.csv, row 2, column 'latitude'" in message
    assert "(as events)" not in message
    geojson = (IMPORTS / "events.geojson").read_text(encoding="utf-8")
    # Moved to 0, 0 (no place): refused on its geometry.
    moved = geojson.replace("[44.28417, 35.5125]", "[0.0, 0.0]")
    with pytest.raises(
        CatalogueError, match=r"events.geojson, feature 1, column 'geom"
    ):
        read_upload("events.geojson", moved.encode())
