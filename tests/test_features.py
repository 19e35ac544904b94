"""Events drawn in QGIS or Google Earth: GeoJSON, GeoPackage and KML."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from layers.catalogue import read_catalogue, read_upload
from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.importers.features import to_tables

IMPORTS = Path(__file__).resolve().parent / "data" / "imports"


def _events(path: Path):
    return read_catalogue(path).events.set_index("event_id")


def test_geojson_points_and_polygons():
    events = _events(IMPORTS / "events.geojson")
    k1 = events.loc["QGIS-K1"]
    assert (k1["precision_class"], k1["uncertainty_m"]) == ("P2", 2000)
    area = events.loc["QGIS-SY"]  # a drawn polygon: the area, no pin
    assert area["precision_class"] == "P3"
    assert 15_000 < area["uncertainty_m"] < 25_000
    assert area["country"] == "SYR"
    assert "smallest circle that holds it" in area["notes"]
    embassy = events.loc["QGIS-EMB"]  # no precision given: P3 default, no pin
    assert (embassy["precision_class"], embassy["uncertainty_m"]) == ("P3", 25_000)
    assert str(embassy["date_end"].date()) == "2020-01-01"
    assert embassy["time_precision"] == 2


def test_geojson_claims_and_sources():
    catalogue = read_catalogue(IMPORTS / "events.geojson")
    assert catalogue.claims["killed_low"].tolist() == [1]
    urls = set(catalogue.sources["url"])
    assert "https://en.m.wikipedia.org/wiki/2019_K-1_Air_Base_attack" in urls


def test_kml_reads_every_folder_timestamp_and_timespan():
    events = _events(IMPORTS / "events.kml")
    assert set(events.index) == {"GE-QAIM", "GE-ASAD", "events-3"}
    assert events.loc["GE-ASAD", "precision_class"] == "P2"
    assert events.loc["GE-QAIM", "precision_class"] == "P3"
    assert str(events.loc["events-3", "date_start"].date()) == "2019-09-14"
    assert events.loc["events-3", "country"] == "SAU"


def test_geopackage_with_a_projected_crs():
    gdf = gpd.GeoDataFrame(
        {
            "title": ["Rockets hit Ain al-Asad", "Strikes near al-Qa'im"],
            "date_start": ["2019-12-03", "2019-12-29"],
            "precision_class": ["P2", ""],
        },
        geometry=[
            Point(42.433333, 33.8),
            Polygon([(41.0, 34.3), (41.2, 34.3), (41.2, 34.45), (41.0, 34.3)]),
        ],
        crs="EPSG:4326",
    ).to_crs("EPSG:32638")
    path = Path(pytest.importorskip("tempfile").mkdtemp()) / "drawn.gpkg"
    gdf.to_file(path, driver="GPKG", engine="pyogrio")
    catalogue = read_upload("drawn.gpkg", path.read_bytes())
    events = catalogue.events.set_index("title")
    asad = events.loc["Rockets hit Ain al-Asad"]
    assert abs(asad["lat"] - 33.8) < 1e-5 and abs(asad["lon"] - 42.433333) < 1e-5
    assert events.loc["Strikes near al-Qa'im", "precision_class"] == "P3"


def test_broken_geojson_names_feature_and_column():
    with pytest.raises(CatalogueErrors) as info:
        read_catalogue(IMPORTS / "events_broken.geojson")
    message = str(info.value)
    assert "events_broken.geojson, feature 2, column 'date': is empty" in message
    assert "feature 3, column 'precision_class': 'P9'" in message
    assert "feature 4, column 'geometry'" in message


def test_broken_kml_names_feature_and_column():
    with pytest.raises(CatalogueError, match=r"events_broken.kml, feature 2, column"):
        read_catalogue(IMPORTS / "events_broken.kml")


def test_file_without_any_date_column():
    data = (
        b'{"type":"FeatureCollection","features":[{"type":"Feature",'
        b'"properties":{"title":"x"},"geometry":{"type":"Point",'
        b'"coordinates":[41,34]}}]}'
    )
    with pytest.raises(CatalogueError, match="no date column"):
        to_tables(data, name="nodate.geojson")


def test_unreadable_vector_file():
    with pytest.raises(CatalogueError, match="bad.geojson: cannot be read"):
        to_tables(b'{"type": "FeatureCollection", "features": [', name="bad.geojson")
