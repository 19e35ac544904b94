"""The committed reference geodata agrees with facts from outside the code."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point

from layers.border_corridor import border_line
from layers.catalogue.reference import REFERENCE_DIR, REFERENCE_FILES
from tests.conftest import ABU_KAMAL, AL_QAIM_GEONAMES, AL_QAIM_WIKIPEDIA, BORDER_KM

GEOD = Geod(ellps="WGS84")


def _distance_to_line_km(lonlat, line) -> float:
    """Geodesic distance from a point to the nearest point of a line, in km."""
    point = Point(lonlat)
    aeqd = f"+proj=aeqd +lat_0={lonlat[1]} +lon_0={lonlat[0]} +datum=WGS84 +units=m"
    line_proj = gpd.GeoSeries([line], crs=4326).to_crs(aeqd).iloc[0]
    return (
        line_proj.distance(gpd.GeoSeries([point], crs=4326).to_crs(aeqd).iloc[0]) / 1000
    )


@pytest.mark.parametrize("key", list(REFERENCE_FILES))
def test_every_file_has_crs_and_valid_geometry(reference, key):
    gdf = getattr(reference, key)
    assert gdf.crs is not None and gdf.crs.to_epsg() == 4326
    assert len(gdf) > 0
    assert gdf.geometry.is_valid.all()


def test_files_are_small_and_rounded():
    total = sum(
        (REFERENCE_DIR / name).stat().st_size for name in REFERENCE_FILES.values()
    )
    assert total < 1_000_000
    doc = json.loads((REFERENCE_DIR / "euphrates.geojson").read_text())
    coords = doc["features"][0]["geometry"]["coordinates"][0]
    assert all(len(repr(c).split(".")[-1]) <= 5 for xy in coords for c in xy)
    assert "crs" not in doc


def test_iraq_syria_border_is_599_km(reference):
    length_km = GEOD.geometry_length(border_line(reference.countries)) / 1000
    assert length_km == pytest.approx(BORDER_KM, rel=0.01)


@pytest.mark.parametrize(
    ("lonlat", "iso3"), [(ABU_KAMAL, "SYR"), (AL_QAIM_GEONAMES, "IRQ")]
)
def test_towns_fall_in_their_country(reference, lonlat, iso3):
    hits = reference.countries[reference.countries.contains(Point(lonlat))]
    assert list(hits["iso_a3"]) == [iso3]


@pytest.mark.parametrize(
    ("lonlat", "low_km", "high_km"),
    [(ABU_KAMAL, 5.5, 7.5), (AL_QAIM_GEONAMES, 1.5, 3.5)],
)
def test_towns_distance_to_border(reference, lonlat, low_km, high_km):
    # geodata notes: Abu Kamal 6-7 km, Husaybah 2-3 km from the border.
    distance = _distance_to_line_km(lonlat, border_line(reference.countries))
    assert low_km <= distance <= high_km


@pytest.mark.parametrize(
    ("lonlat", "limit_km"),
    [
        (ABU_KAMAL, 1.0),  # geodata notes: 0.10 km
        ((41.09, 34.37), 1.0),  # al-Qa'im town per geodata notes: 0.68 km
        (AL_QAIM_WIKIPEDIA, 1.0),
        # Husaybah lies on the south bank terrace, about 2 km from the channel.
        (AL_QAIM_GEONAMES, 3.0),
    ],
)
def test_euphrates_passes_close_to_the_towns(reference, lonlat, limit_km):
    river = shapely.union_all(reference.euphrates.geometry.values)
    assert _distance_to_line_km(lonlat, river) < limit_km


def test_euphrates_crosses_the_border_near_34_42n_40_98e(reference):
    river = shapely.union_all(reference.euphrates.geometry.values)
    crossing = shapely.intersection(river, border_line(reference.countries))
    points = shapely.get_parts(crossing)
    assert len(points) >= 1
    nearest = min(points, key=lambda p: p.distance(Point(40.98, 34.42)))
    _, _, metres = GEOD.inv(nearest.x, nearest.y, 40.98, 34.42)
    assert metres < 2_000


@pytest.mark.parametrize(
    ("lonlat", "governorate"),
    [
        (AL_QAIM_GEONAMES, "Al-Anbar"),
        (ABU_KAMAL, "Dayr Az Zawr"),
        ((40.14, 35.34), "Dayr Az Zawr"),
    ],
)
def test_towns_fall_in_their_governorate(reference, lonlat, governorate):
    hits = reference.admin1[reference.admin1.contains(Point(lonlat))]
    assert list(hits["name"]) == [governorate]


def test_iraq_has_18_and_syria_at_least_14_governorates(reference):
    counts = reference.admin1["iso_a3"].value_counts()
    assert counts["IRQ"] == 18
    assert counts["SYR"] >= 14


def test_places_hold_the_named_towns(reference):
    names = (
        " ".join(reference.places["name"])
        + " "
        + " ".join(reference.places["alternate_names"])
    )
    for town in ("Kamal", "Deir ez-Zor", "Mayadin", "Kirkuk", "Baghdad", "Haditha"):
        assert town in names
    abu_kamal = reference.places[reference.places["name"] == "Ālbū Kamāl"]
    assert list(abu_kamal["country_code"]) == ["SY"]
    point = abu_kamal.geometry.iloc[0]
    assert (point.x, point.y) == pytest.approx((40.91854, 34.45226), abs=1e-5)


@pytest.mark.parametrize("iso3", ["IRQ", "SYR"])
def test_governorates_tile_their_country_with_no_tolerance(reference, iso3):
    # Admin-1 is fitted to the 10m countries: together the governorates cover
    # the country and nothing else, to the metre the files are rounded to.
    def area(geometry):
        oriented = shapely.orient_polygons(geometry)
        return abs(GEOD.geometry_area_perimeter(oriented)[0])

    countries, admin1 = reference.countries, reference.admin1
    country = countries[countries["iso_a3"] == iso3].geometry.iloc[0]
    governorates = admin1[admin1["iso_a3"] == iso3].geometry
    union = shapely.union_all(governorates.values)
    assert area(shapely.symmetric_difference(union, country)) / area(country) < 1e-5
    for governorate in governorates:
        # What lies outside is rounding: slivers under a metre wide on average.
        outside_m2 = area(shapely.difference(governorate, country))
        assert outside_m2 / GEOD.geometry_length(shapely.boundary(governorate)) < 1.0
    exteriors = shapely.union_all(
        [shapely.Polygon(p.exterior) for p in shapely.get_parts(union)]
    )
    country_exteriors = shapely.union_all(
        [shapely.Polygon(p.exterior) for p in shapely.get_parts(country)]
    )
    # Every governorate edge on the border lies on the country line (2 m).
    gap = shapely.hausdorff_distance(
        shapely.boundary(exteriors).intersection(
            shapely.buffer(shapely.boundary(country_exteriors), 0.001)
        ),
        shapely.boundary(country_exteriors),
    )
    assert gap < 0.1


def test_country_names_in_arabic_are_readable(reference):
    names = reference.countries.set_index("iso_a3")["name_ar"]
    assert names["IRQ"] == "العراق"
