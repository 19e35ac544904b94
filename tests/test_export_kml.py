"""KML for Google Earth: every layer opens in GDAL, keeps its text, stays honest."""

from __future__ import annotations

import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pyogrio
import pytest

from layers.__main__ import main
from layers.catalogue import read_catalogue
from layers.export import layers_zip
from layers.export_kml import KML_NS, description_html, layer_kml
from layers.params import LayerInputs, LayerParams
from layers.registry import LAYER_NAMES, build_layers

DATA = Path(__file__).resolve().parent / "data"
NS = {"k": KML_NS}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.kml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", LAYER_NAMES)
def test_every_layer_opens_in_gdal_with_its_features(tmp_path, layers, name):
    path = _write(tmp_path, name, layer_kml(name, layers[name]))
    frame = pyogrio.read_dataframe(path)
    assert len(frame) == len(layers[name])
    assert frame["description"].str.len().gt(0).all() or name in (
        "countries",
        "admin1",
        "euphrates",
        "places",
    )


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL CLI not installed")
def test_ogrinfo_reads_every_layer(tmp_path, layers):
    for name in LAYER_NAMES:
        path = _write(tmp_path, name, layer_kml(name, layers[name]))
        result = subprocess.run(
            ["ogrinfo", "-ro", "-so", "-al", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert f"Feature Count: {len(layers[name])}" in result.stdout


def test_area_only_events_are_areas_never_pins(tmp_path, layers):
    events = layers["events"]
    frame = pyogrio.read_dataframe(
        _write(tmp_path, "events", layer_kml("events", events))
    )
    klass = dict(zip(events["event_id"], events["precision_class"], strict=True))
    for event_id, geometry in zip(frame["event_id"], frame.geometry, strict=True):
        if klass[event_id] in ("P3", "P4", "P5"):
            assert geometry.geom_type == "Polygon"
        elif klass[event_id] == "P6":
            assert geometry is None


def test_description_carries_precision_radius_derivation_claims_sources(layers):
    zones = layers["strike_zones"]
    record = zones.drop(columns="geometry").iloc[0].to_dict()
    html = description_html(record)
    for expected in (
        "Precision class",
        "P3",
        "Radius",
        "Intersection of",
        "never summed",
    ):
        assert expected in html
    assert '<a href="https://' in html


def test_hostile_text_is_escaped(tmp_path, reference):
    catalogue = read_catalogue(DATA / "html_catalogue")
    built = build_layers(LayerInputs(reference, catalogue), LayerParams(), ["events"])
    text = layer_kml("events", built["events"])
    frame = pyogrio.read_dataframe(_write(tmp_path, "events", text))
    descriptions = " ".join(frame["description"])
    assert "<script" not in descriptions.lower()
    assert "<img" not in descriptions.lower()
    assert "{{" not in descriptions


def test_zone_fills_and_hatching_as_outline(layers):
    root = ET.fromstring(layer_kml("strike_zones", layers["strike_zones"]))
    widths = {}
    for placemark in root.iterfind(".//k:Placemark", NS):
        event_id = placemark.find(".//k:SimpleData[@name='event_id']", NS).text
        klass = placemark.find(".//k:SimpleData[@name='precision_class']", NS).text
        width = float(placemark.find("k:Style/k:LineStyle/k:width", NS).text)
        assert placemark.find("k:Style/k:PolyStyle/k:fill", NS).text == "1"
        assert placemark.find("k:TimeSpan/k:begin", NS).text == "2019-12-29"
        widths[event_id] = (klass, width)
    hatched = [w for k, w in widths.values() if k in ("P4", "P5")]
    plain = [w for k, w in widths.values() if k not in ("P4", "P5")]
    assert hatched and plain and min(hatched) > max(plain)


def test_cli_writes_kml(tmp_path):
    status = main(
        ["export", "--out", str(tmp_path), "--format", "kml", "--layers", "events"]
    )
    assert status == 0
    assert len(pyogrio.read_dataframe(tmp_path / "events.kml")) == 26


def test_zip_download_holds_kml(layers):
    data = layers_zip({"strike_zones": layers["strike_zones"]})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert "strike_zones.kml" in names and "strike_zones.geojson" in names
        assert b"<kml" in archive.read("strike_zones.kml")


def test_imported_acled_exports_with_its_precision(tmp_path, reference):
    catalogue = read_catalogue(DATA / "imports" / "acled_strikes.csv")
    built = build_layers(LayerInputs(reference, catalogue), LayerParams(), ["events"])
    frame = pyogrio.read_dataframe(
        _write(tmp_path, "events", layer_kml("events", built["events"]))
    )
    province = frame[frame["event_id"] == "IRQX0002"].iloc[0]
    assert province["precision_class"] == "P4"
    assert province.geometry.geom_type == "Polygon"
    assert "Al-Anbar governorate" in province["description"]


def test_country_only_events_have_no_geometry_in_kml(tmp_path, reference):
    catalogue = read_catalogue(DATA / "imports" / "ucdp_strikes.csv")
    built = build_layers(LayerInputs(reference, catalogue), LayerParams(), ["events"])
    frame = pyogrio.read_dataframe(
        _write(tmp_path, "events", layer_kml("events", built["events"]))
    )
    country_only = frame[frame["precision_class"] == "P6"]
    assert len(country_only) == 1
    assert country_only.geometry.isna().all()
    province = frame[frame["event_id"] == "UCDP-300002"].iloc[0]
    assert province.geometry.geom_type == "Polygon"  # the governorate, no pin


def test_exported_kml_opens_again_as_events(layers, catalogue):
    from layers.catalogue import read_upload

    again = read_upload("events.kml", layer_kml("events", layers["events"]).encode())
    before = catalogue.events.set_index("event_id")
    after = again.events.set_index("event_id")
    assert list(after.index) == list(before.index)
    assert (after["precision_class"] == before["precision_class"]).all()
    assert (after["country"] == before["country"]).all()
    # Areas come back as the circle that holds them: never smaller.
    assert (after["uncertainty_m"] >= before["uncertainty_m"]).all()
