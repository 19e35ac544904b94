"""Geodesic discs, metric buffers and constraint zones."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, Polygon, box

from geo import shapes
from geo.crs import aeqd_crs
from geo.errors import ContradictoryConstraintsError
from geo.shapes import (
    buffer_metric,
    geodesic_area_km2,
    geodesic_buffer,
    geodesic_disc,
    intersect_constraints,
)

GEOD = Geod(ellps="WGS84")
RADII_M = [100, 1_000, 25_000, 150_000]
# Corners and middle of the area of interest (23-38N, 34-60E) and named places.
CENTRES = [
    (34.0, 23.0),
    (60.0, 38.0),
    (34.0, 38.0),
    (60.0, 23.0),
    (40.92, 34.45),
    (56.92, 25.89),
    (47.43, 31.0),
]


def _boundary_errors(lon, lat, polygon, radius_m) -> np.ndarray:
    """Relative error of geodesic distance from the centre, along the whole boundary."""
    ring = shapely.segmentize(
        polygon.exterior, max_segment_length=polygon.length / 2000
    )
    coords = np.asarray(ring.coords)
    _, _, dist = GEOD.inv(
        np.full(len(coords), lon), np.full(len(coords), lat), coords[:, 0], coords[:, 1]
    )
    return np.abs(dist - radius_m) / radius_m


@pytest.mark.parametrize("radius_m", RADII_M)
@pytest.mark.parametrize(("lon", "lat"), CENTRES)
def test_disc_boundary_is_within_0_1_percent_of_radius(lon, lat, radius_m):
    disc = geodesic_disc(lon, lat, radius_m)
    assert disc.is_valid
    assert disc.contains(Point(lon, lat))
    assert _boundary_errors(lon, lat, disc, radius_m).max() < 0.001


def test_naive_degree_buffer_fails_the_same_check():
    # Guard that the check has teeth: a circle in degrees is an ellipse on the ground.
    lon, lat, radius_m = 40.92, 34.45, 25_000
    naive = Point(lon, lat).buffer(radius_m / 111_320)
    assert _boundary_errors(lon, lat, naive, radius_m).max() > 0.1


def test_disc_rejects_bad_input():
    with pytest.raises(ValueError, match="radius"):
        geodesic_disc(40.0, 34.0, 0)
    with pytest.raises(ValueError, match="longitude/latitude"):
        geodesic_disc(400.0, 34.0, 10)


def test_buffer_metric_area_is_pi_r_squared():
    gdf = gpd.GeoDataFrame(geometry=[Point(40.92, 34.45)], crs=4326)
    buffered = buffer_metric(gdf, 10_000)
    assert buffered.crs == gdf.crs
    area_km2 = abs(GEOD.geometry_area_perimeter(buffered.geometry.iloc[0])[0]) / 1e6
    assert area_km2 == pytest.approx(math.pi * 100, rel=0.002)


def test_intersection_records_its_derivation():
    zone = intersect_constraints(
        {
            "within 10 km of A": Point(0, 0).buffer(10_000),
            "east of the river": box(0, -20_000, 20_000, 20_000),
        },
        subject="S-1",
    )
    assert zone.constraints == ("within 10 km of A", "east of the river")
    assert (
        "within 10 km of A" in zone.derivation
        and "east of the river" in zone.derivation
    )
    assert zone.geometry.area == pytest.approx(math.pi * 10_000**2 / 2, rel=0.01)


def test_disjoint_constraints_are_a_contradiction():
    with pytest.raises(ContradictoryConstraintsError, match=r"S-9.*'inside B'"):
        intersect_constraints(
            {
                "near A": Point(0, 0).buffer(1_000),
                "inside B": box(50_000, 0, 60_000, 10_000),
            },
            subject="S-9",
        )


def test_touching_constraints_have_no_area_in_common():
    with pytest.raises(ContradictoryConstraintsError):
        intersect_constraints({"left": box(0, 0, 1, 1), "right": box(1, 0, 2, 1)})


def test_invalid_constraint_is_repaired():
    bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    zone = intersect_constraints({"bowtie": bowtie, "all": box(-1, -1, 3, 3)})
    assert zone.geometry.is_valid
    assert zone.geometry.area == pytest.approx(2.0)


def _line_edge_errors(lines, buffered, width_m):
    from tests.geodesy import edge_distances_m

    gaps = edge_distances_m(buffered, lines, width_m)
    return np.abs(gaps / width_m - 1)


# The Iraq-Syria border near the Euphrates (Natural Earth 10m), with its 18 m
# jog, and a long straight run: what one projection and a plain GEOS buffer
# get wrong (GEOS drops shallow bends before buffering).
WIGGLY = shapely.LineString(
    [
        (39.0, 33.0),
        (40.69047, 34.3315),
        (40.93603, 34.38607),
        (40.96528, 34.40185),
        (40.98802, 34.42852),
        (41.02399, 34.49417),
        (41.02399, 34.49433),
        (41.19782, 35.0),
        (42.5, 35.3),
    ]
)


@pytest.mark.parametrize("width_m", [2_000, 10_000, 25_000])
def test_geodesic_buffer_edge_is_within_0_1_percent_of_the_width(width_m):
    buffered = geodesic_buffer(WIGGLY, width_m)
    assert buffered.is_valid
    assert _line_edge_errors(WIGGLY, buffered, width_m).max() < 0.001


def test_one_projection_buffer_fails_the_same_check():
    # Guard that the check has teeth: the buffer this replaces (one AEQD for
    # the region, 8 segments per quarter circle) is off by more than 0.1 %.
    gdf = gpd.GeoDataFrame(geometry=[WIGGLY], crs=4326)
    crs = aeqd_crs(41.0, 34.4)
    naive = gdf.to_crs(crs).buffer(10_000).to_crs(4326).iloc[0]
    assert _line_edge_errors(WIGGLY, naive, 10_000).max() > 0.001


def test_plain_geos_buffer_of_the_pieces_fails_the_same_check(monkeypatch):
    # Guard: without rebuilding the shallow bends segment by segment, the
    # edge strays by more than 0.1 % of a 2 km width.
    monkeypatch.setattr(
        shapes,
        "_line_buffer",
        lambda lines, d, q: shapely.buffer(lines, d, quad_segs=q),
    )
    assert (
        _line_edge_errors(WIGGLY, geodesic_buffer(WIGGLY, 2_000), 2_000).max() > 0.001
    )


def test_geodesic_buffer_rejects_bad_input():
    with pytest.raises(ValueError, match="distance_m"):
        geodesic_buffer(WIGGLY, 0)
    with pytest.raises(ValueError, match="empty"):
        geodesic_buffer(shapely.LineString(), 10)


def test_geodesic_area_matches_pi_r_squared():
    disc = geodesic_disc(40.92, 34.45, 10_000)
    assert geodesic_area_km2(disc) == pytest.approx(math.pi * 100, rel=0.001)


def test_many_discs_at_once_are_true_to_the_ellipsoid():
    geod = Geod(ellps="WGS84")
    lon = np.array([40.92, 44.28, 57.0, 35.5])
    lat = np.array([34.45, 35.51, 25.9, 33.9])
    radius = np.array([100.0, 5_000.0, 50_000.0, 600_000.0])
    discs = shapes.geodesic_discs(lon, lat, radius)
    assert len(discs) == 4
    for disc, x0, y0, r in zip(discs, lon, lat, radius, strict=True):
        ring = np.asarray(disc.exterior.coords)
        # Vertices on the circle, and edge midpoints no more than 0.1 % inside.
        mid = (ring[:-1] + ring[1:]) / 2
        for points, low in ((ring, 0.9999), (mid, 0.999)):
            _, _, d = geod.inv(
                np.full(len(points), x0), np.full(len(points), y0), *points.T
            )
            assert (d / r > low).all() and (d / r < 1.0001).all()


def _inside(disc, lon: float, lat: float, radius_m: float) -> None:
    # Points along the disc's own radii, inside and just outside its edge.
    azimuths = np.linspace(0.0, 360.0, 72, endpoint=False)
    for share, inside in ((0.97, True), (1.03, False)):
        x, y, _ = GEOD.fwd(
            np.full(72, lon), np.full(72, lat), azimuths, np.full(72, radius_m * share)
        )
        held = shapely.contains_xy(disc, x, y)
        assert held.all() if inside else not held.any(), (share, x[~held][:3])


@pytest.mark.parametrize(
    ("where", "lon", "lat", "radius_m"),
    [
        ("Suva, Fiji, across the antimeridian", 178.44, -18.14, 200_000),
        ("Anadyr, Chukotka", 177.51, 64.73, 600_000),
        ("Anchorage: Alaska's province circle", -149.9, 61.22, 1_835_000),
        ("Moscow: Russia whole, around the pole", 37.62, 55.76, 7_148_000),
        ("McMurdo, Antarctica, around the south pole", 166.67, -77.85, 1_500_000),
    ],
)
def test_a_disc_across_the_antimeridian_or_a_pole_is_cut_there(
    where, lon, lat, radius_m
):
    # RFC 7946 (section 3.1.9): a shape crossing the antimeridian is cut in two
    # there, every longitude within [-180, 180]; the disc still holds what lies
    # within its radius on the ellipsoid (pyproj.Geod), and nothing beyond.
    for disc in (
        shapes.geodesic_discs(np.array([lon]), np.array([lat]), np.array([radius_m]))[
            0
        ],
        geodesic_disc(lon, lat, radius_m),
    ):
        assert disc.is_valid, where
        west, south, east, north = disc.bounds
        assert west >= -180.0 and east <= 180.0 and south >= -90.0 and north <= 90.0
        assert east - west > 300, where  # it reaches both sides of the line
        _inside(disc, lon, lat, radius_m)
        # Its area is the ellipsoid's cap of that radius (spherical formula, 0.5 %).
        cap = 2 * math.pi * 6_371_008.8**2 * (1 - math.cos(radius_m / 6_371_008.8))
        assert geodesic_area_km2(disc) * 1e6 == pytest.approx(cap, rel=0.005), where
