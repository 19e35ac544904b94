"""RFC 7946 rules for every GeoJSON the project writes."""

from __future__ import annotations

import io
import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Polygon, shape

from geo.errors import EmptyLayerError, MissingCRSError
from geo.geojson import to_geojson


def _signed_area(ring) -> float:
    xy = np.asarray(ring)
    return 0.5 * float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]))


def _all_numbers(doc) -> list[str]:
    return re.findall(r"-?\d+\.\d+", json.dumps(doc["features"]))


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:32637", "EPSG:3857"])
def test_lon_lat_and_no_crs_member_whatever_the_input_crs(square_gdf, crs):
    doc = json.loads(to_geojson(square_gdf.to_crs(crs)))
    assert "crs" not in doc
    lon, lat = doc["features"][1]["geometry"]["coordinates"]
    assert lon == pytest.approx(40.91854, abs=1e-5)
    assert lat == pytest.approx(34.45226, abs=1e-5)


def test_exterior_counter_clockwise_holes_clockwise(square_gdf):
    assert _signed_area(square_gdf.geometry.iloc[0].exterior.coords) < 0  # input cw
    doc = json.loads(to_geojson(square_gdf))
    exterior, hole = doc["features"][0]["geometry"]["coordinates"]
    assert _signed_area(exterior) > 0
    assert _signed_area(hole) < 0


def test_bbox_is_west_south_east_north(square_gdf):
    doc = json.loads(to_geojson(square_gdf))
    assert doc["bbox"] == pytest.approx([40.9, 34.4, 41.0, 34.5])
    assert doc["features"][0]["bbox"] == pytest.approx([40.9, 34.4, 41.0, 34.5])


@pytest.mark.parametrize("decimals", [6, 4, 2])
def test_coordinates_have_at_most_the_asked_decimals(square_gdf, decimals):
    doc = json.loads(to_geojson(square_gdf, decimals=decimals))
    for coordinate in doc["features"][1]["geometry"]["coordinates"]:
        assert coordinate == round(coordinate, decimals)


def test_more_than_six_decimals_is_refused(square_gdf):
    with pytest.raises(ValueError, match="between 0 and 6"):
        to_geojson(square_gdf, decimals=7)


def test_dates_are_iso_and_nan_is_null(square_gdf):
    gdf = square_gdf.assign(
        day=pd.to_datetime(["2019-12-29", None]),
        moment=pd.to_datetime(["2019-12-29 19:20", "2019-12-27 19:20"]),
    )
    properties = [f["properties"] for f in json.loads(to_geojson(gdf))["features"]]
    assert properties[0]["day"] == "2019-12-29"
    assert properties[1]["day"] is None
    assert properties[0]["moment"] == "2019-12-29T19:20:00"
    assert properties[1]["value"] is None


def test_output_is_byte_identical_between_runs(square_gdf):
    assert to_geojson(square_gdf) == to_geojson(square_gdf.copy())


def test_antimeridian_crossing_is_cut():
    gdf = gpd.GeoDataFrame(
        geometry=[Polygon([(179, -1), (181, -1), (181, 1), (179, 1)])], crs=4326
    )
    geometry = json.loads(to_geojson(gdf))["features"][0]["geometry"]
    assert geometry["type"] == "MultiPolygon"
    lons = [x for polygon in geometry["coordinates"] for x, _ in polygon[0]]
    assert max(lons) <= 180 and min(lons) >= -180


def test_round_trip_keeps_features_properties_and_geometry(square_gdf):
    text = to_geojson(square_gdf, decimals=5)
    back = gpd.read_file(io.StringIO(text))
    assert list(back["name"]) == ["square", "point"]
    assert back["value"].iloc[0] == 1.5 and pd.isna(back["value"].iloc[1])
    for original, read in zip(square_gdf.geometry, back.geometry, strict=True):
        assert original.equals_exact(
            read, tolerance=1e-5
        ) or original.normalize().equals_exact(read.normalize(), tolerance=1e-5)
    assert shape(json.loads(text)["features"][0]["geometry"]).is_valid


def test_missing_crs_and_empty_layer_are_refused(square_gdf):
    with pytest.raises(MissingCRSError):
        to_geojson(gpd.GeoDataFrame(geometry=list(square_gdf.geometry)))
    with pytest.raises(EmptyLayerError, match="zones"):
        to_geojson(square_gdf.iloc[0:0], name="zones")


def test_an_area_with_an_inlet_finer_than_the_grid_stays_a_valid_polygon():
    # A slit 0.3 microdegrees wide vanishes at 6 decimals; GDAL's RFC 7946
    # rounding alone would write a GeometryCollection of a polygon and a line.
    slit = Polygon(
        [
            (0, 0),
            (10, 0),
            (10, 10),
            (5.0000003, 10),
            (5.0000003, 2),
            (5, 2),
            (5, 10),
            (0, 10),
        ]
    )
    assert slit.is_valid
    frame = gpd.GeoDataFrame({"name": ["slit"]}, geometry=[slit], crs="EPSG:4326")
    geometry = json.loads(to_geojson(frame))["features"][0]["geometry"]
    assert geometry["type"] == "Polygon"
    assert shape(geometry).is_valid
    assert shape(geometry).area == pytest.approx(slit.area, rel=1e-6)
