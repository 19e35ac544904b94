"""CRS discipline: frames without a CRS are refused; metric work is in metres."""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import Point

from geo.crs import aeqd_crs, local_metric_crs, require_crs, to_metric, to_wgs84
from geo.errors import MissingCRSError


def test_frame_without_crs_is_refused_with_a_fix():
    gdf = gpd.GeoDataFrame(geometry=[Point(40.9, 34.4)])
    with pytest.raises(MissingCRSError, match=r"zones has no CRS.*set_crs"):
        require_crs(gdf, name="zones")
    with pytest.raises(MissingCRSError):
        to_metric(gdf)


def test_local_metric_crs_is_projected_in_metres(square_gdf):
    crs = local_metric_crs(square_gdf)
    assert crs.is_projected
    assert crs.axis_info[0].unit_name == "metre"


@pytest.mark.parametrize("source_crs", ["EPSG:4326", "EPSG:32637", "EPSG:3857"])
def test_metric_distance_matches_geodesic(source_crs):
    # Abu Kamal to Husaybah is 9.3 km on the ellipsoid (pyproj.Geod, computed once).
    gdf = gpd.GeoDataFrame(
        geometry=[Point(40.91854, 34.45226), Point(40.98945, 34.39251)], crs=4326
    ).to_crs(source_crs)
    gdf_proj = to_metric(gdf)
    distance = gdf_proj.geometry.iloc[0].distance(gdf_proj.geometry.iloc[1])
    assert distance == pytest.approx(9_310, rel=0.01)


def test_to_wgs84_returns_lon_lat(square_gdf):
    back = to_wgs84(to_metric(square_gdf))
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[1].x == pytest.approx(40.91854, abs=1e-9)


@pytest.mark.parametrize(
    ("lon", "lat"), [(41.0, 34.4), (56.92, 25.89), (-80.04, 26.68)]
)
def test_aeqd_distance_from_the_centre_is_geodesic(lon, lat):
    crs = aeqd_crs(lon, lat)
    far = gpd.GeoSeries([Point(lon + 1.5, lat + 1.0)], crs=4326).to_crs(crs).iloc[0]
    _, _, expected = Geod(ellps="WGS84").inv(lon, lat, lon + 1.5, lat + 1.0)
    assert math.hypot(far.x, far.y) == pytest.approx(expected, rel=1e-9)


def test_aeqd_rejects_a_point_off_the_globe():
    with pytest.raises(ValueError, match="longitude/latitude"):
        aeqd_crs(200.0, 34.0)
