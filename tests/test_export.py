"""The export command: files, formats, byte-identical output and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from layers.__main__ import main
from layers.registry import LAYER_NAMES
from tests.conftest import ROOT
from tests.geodesy import edge_distances_m


def test_exports_every_layer_as_rfc7946(tmp_path, capsys):
    assert main(["export", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    for name in LAYER_NAMES:
        path = tmp_path / f"{name}.geojson"
        assert f"wrote {path}" in printed
        doc = json.loads(path.read_text())
        assert doc["type"] == "FeatureCollection" and "crs" not in doc
        assert doc["name"] == name
        assert len(doc["bbox"]) == 4


def test_export_round_trips(tmp_path, layers):
    main(["export", "--out", str(tmp_path), "--layers", "strike_zones,events"])
    zones = gpd.read_file(tmp_path / "strike_zones.geojson")
    original = layers["strike_zones"]
    assert list(zones["event_id"]) == list(original["event_id"])
    assert list(zones["derivation"]) == list(original["derivation"])
    assert list(zones["date_start"].astype(str)) == ["2019-12-29"] * 5
    for a, b in zip(original.geometry, zones.geometry, strict=True):
        assert a.symmetric_difference(b).area / a.area < 1e-3
    raw = json.loads((tmp_path / "strike_zones.geojson").read_text())
    first = raw["features"][0]["properties"]
    assert first["sources"][0]["url"].startswith("https://")
    assert first["precision_class"] and first["uncertainty_m"] > 0


def test_exports_are_byte_identical_between_runs(tmp_path):
    main(["export", "--out", str(tmp_path / "a")])
    main(["export", "--out", str(tmp_path / "b")])
    for name in LAYER_NAMES:
        a = (tmp_path / "a" / f"{name}.geojson").read_bytes()
        assert a == (tmp_path / "b" / f"{name}.geojson").read_bytes()


def test_gpkg_holds_all_layers(tmp_path):
    assert main(["export", "--out", str(tmp_path), "--format", "gpkg"]) == 0
    layers = [name for name, _ in pyogrio.list_layers(tmp_path / "layers.gpkg")]
    assert sorted(layers) == sorted(LAYER_NAMES)
    zones = gpd.read_file(tmp_path / "layers.gpkg", layer="strike_zones")
    assert zones.crs.to_epsg() == 4326 and len(zones) == 5
    assert json.loads(zones["sources"].iloc[0])[0]["url"].startswith("https://")


def test_widths_reach_the_export(tmp_path):
    main(
        [
            "export",
            "--out",
            str(tmp_path),
            "--layers",
            "border_corridor",
            "--corridor-km",
            "10",
        ]
    )
    doc = json.loads((tmp_path / "border_corridor.geojson").read_text())
    assert doc["features"][0]["properties"]["half_width_km"] == 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--layers", "countries,nope"], "unknown layer(s) nope"),
        (["--format", "shp"], "invalid choice: 'shp'"),
        (["--corridor-km", "-1"], "--corridor-km: width must be from 1 to 100 km"),
        (["--valley-km", "150"], "--valley-km: width must be from 1 to 100 km"),
    ],
)
def test_bad_arguments_print_one_clear_line(tmp_path, args, message):
    result = subprocess.run(
        [sys.executable, "-m", "layers", "export", "--out", str(tmp_path), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = subprocess.run(
        [sys.executable, "-m", "layers", "export", "--out", str(blocker / "out")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot write to")
    assert "Traceback" not in result.stderr


def test_help_documents_the_command():
    result = subprocess.run(
        [sys.executable, "-m", "layers", "export", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "--out" in result.stdout and "RFC 7946" in result.stdout
    assert "strike_zones" in result.stdout
    assert "Each site: disc of its uncertainty radius within its constraints." in (
        result.stdout
    )


def test_gpkg_is_byte_identical_between_runs(tmp_path):
    main(["export", "--out", str(tmp_path / "a"), "--format", "gpkg"])
    main(["export", "--out", str(tmp_path / "b"), "--format", "gpkg"])
    a = (tmp_path / "a" / "layers.gpkg").read_bytes()
    assert a == (tmp_path / "b" / "layers.gpkg").read_bytes()


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml"])
def test_no_area_only_event_is_exported_as_a_point(tmp_path, fmt):
    main(["export", "--out", str(tmp_path), "--format", fmt])
    for layer in ("events", "border_crossings"):
        if fmt == "gpkg":
            gdf = gpd.read_file(tmp_path / "layers.gpkg", layer=layer)
        else:
            gdf = gpd.read_file(tmp_path / f"{layer}.{fmt}")
        area_only = ~gdf["precision_class"].isin(["P1", "P2"])
        assert area_only.any()
        assert set(gdf[area_only].geom_type) <= {"Polygon", "MultiPolygon"}
        assert set(gdf[~area_only].geom_type) <= {"Point"}
        if fmt != "kml":
            assert (gdf.loc[area_only, "geometry_kind"] == "area").all()
            assert {"anchor_lon", "anchor_lat", "derivation"} <= set(gdf.columns)


def test_exported_valley_keeps_its_width(tmp_path, reference):
    # Exports are exact: the GeoJSON's 6 decimals keep the edge within 0.1 %.
    main(["export", "--out", str(tmp_path), "--layers", "euphrates_valley"])
    valley = gpd.read_file(tmp_path / "euphrates_valley.geojson").geometry.iloc[0]
    admin1 = reference.admin1
    cut = shapely.union_all(
        admin1[admin1["name"].isin(["Dayr Az Zawr", "Al-Anbar"])].geometry.values
    )
    river = shapely.union_all(reference.euphrates.geometry.values)
    gaps = edge_distances_m(valley, river, 10_000, cut_by=cut)
    assert len(gaps) > 2_000
    assert np.abs(gaps / 10_000 - 1).max() < 0.001
