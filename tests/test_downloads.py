"""Every download the dashboard offers parses and holds what the view shows."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import replace

import pytest

from layers.map.build import build_map
from layers.page.downloads import downloads
from layers.page.filters import apply_view
from layers.page.view import default_state, options_for
from layers.params import LayerParams


@pytest.fixture(scope="module")
def items(layers, catalogue):
    state = replace(default_state(options_for(catalogue.events)), countries=("SYR",))
    shown = apply_view(layers, state)
    return {
        i.file_name: i
        for i in downloads(shown, LayerParams(), lambda: build_map(shown))
    }


def test_file_names_say_layer_and_widths(items):
    assert "strike_zones_W10km_D25km.geojson" in items
    assert "euphrates_valley_W10km.geojson" in items
    assert "border_corridor_D25km.geojson" in items
    assert "countries.geojson" in items


def test_layer_downloads_follow_the_filters(items):
    doc = json.loads(items["strike_zones_W10km_D25km.geojson"].make())
    assert {f["properties"]["country"] for f in doc["features"]} == {"SYR"}
    assert items["strike_zones_W10km_D25km.geojson"].mime == "application/geo+json"


def test_zip_holds_every_shown_layer(items):
    archive = zipfile.ZipFile(
        io.BytesIO(items["strike-map-layers_W10km_D25km.zip"].make())
    )
    names = set(archive.namelist())
    assert "events.geojson" in names and "strike_zones.geojson" in names
    assert "events.kml" in names and "strike_zones.kml" in names
    for name in names:
        if name.endswith(".geojson"):
            assert json.loads(archive.read(name))["type"] == "FeatureCollection"
        elif name.endswith(".kml"):
            assert archive.read(name).startswith(b"<?xml")
    assert {"datapackage.json", "manifest-sha256.txt"} <= names


def test_csv_holds_the_filtered_events(items):
    rows = list(csv.DictReader(io.StringIO(items["events_filtered.csv"].make())))
    assert {r["event_id"] for r in rows} == {"S-SY-1", "S-SY-2"}
    assert rows[0]["date_start"] == "2019-12-29"


def test_html_map_is_standalone(items):
    page = items["strike-map_W10km_D25km.html"].make()
    assert "/app/static" not in page and "leaflet" in page.lower()
    assert "S-SY-1" in page and "S-IQ-1" not in page


def test_every_layer_shaped_by_a_width_names_it(items):
    # The events' areas include the strike zones, cut by valley and corridor.
    assert "events_W10km_D25km.geojson" in items
    assert "strike_areas_W10km_D25km.geojson" in items
    assert "border_crossings_W10km_D25km.geojson" in items
    assert {"places.geojson", "admin1.geojson", "euphrates.geojson"} <= set(items)
