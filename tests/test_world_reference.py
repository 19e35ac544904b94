"""The world reference data against outside facts, and countries by any name."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from layers.catalogue.countries import resolve_countries
from layers.catalogue.errors import CatalogueErrors
from layers.catalogue.world import WORLD_DIR, locate, read_world, shipped_world

GEOD = Geod(ellps="WGS84")
#: Countries whose strikes the importers are tested on.
CONFLICT_COUNTRIES = ("YEM", "UKR", "MLI", "SOM", "LBN", "PSX", "ISR", "IRQ", "SYR")


def _border_km(a: str, b: str) -> float:
    countries = shipped_world().countries.set_index("iso_a3").geometry
    line = shapely.intersection(countries[a].boundary, countries[b].boundary)
    return GEOD.geometry_length(shapely.line_merge(line)) / 1000


def _place(name: str, country_code: str) -> tuple[float, float]:
    places = shipped_world().places
    row = places[(places["name"] == name) & (places["country_code"] == country_code)]
    assert len(row) == 1, f"{name} ({country_code}) not in the world places"
    point = row.geometry.iloc[0]
    return point.x, point.y


def test_files_are_geoparquet_in_wgs84():
    world = read_world(WORLD_DIR)
    for frame in (world.countries, world.admin1, world.places):
        assert frame.crs.to_epsg() == 4326
        assert frame.geometry.is_valid.all()
    assert len(world.countries) == 250
    assert world.admin1["iso_a3"].isin(world.countries["iso_a3"]).all()
    # Every country has at least one first-order unit.
    assert set(world.countries["iso_a3"]) <= set(world.admin1["iso_a3"])


@pytest.mark.parametrize(
    ("name", "country_code", "iso3", "admin1"),
    [
        ("Sanaa", "YE", "YEM", "Amanat Al Asimah"),
        ("Al Ḩudaydah", "YE", "YEM", "Al Hudaydah"),
        ("Gao", "ML", "MLI", "Gao"),
        ("Kharkiv", "UA", "UKR", "Kharkiv"),
        ("Mogadishu", "SO", "SOM", "Banaadir"),
        ("Tyre", "LB", "LBN", "South Lebanon"),
        ("Ālbū Kamāl", "SY", "SYR", "Dayr Az Zawr"),
    ],
)
def test_towns_lie_in_their_admin1(name, country_code, iso3, admin1):
    lon, lat = _place(name, country_code)
    found = locate(np.array([lon]), np.array([lat]))
    assert found.to_dict("records") == [{"iso_a3": iso3, "admin1": admin1}]


def test_borders_match_the_world_factbook():
    # CIA World Factbook: Yemen-Saudi Arabia 1,307 km, Mali-Algeria 1,359 km,
    # Iraq-Syria 599 km. Natural Earth 10m draws the two desert borders 6-7 %
    # shorter (1,223 and 1,266 km): its straight desert lines skip the
    # Factbook's detail. The Iraq-Syria figure is the regional file's, unchanged.
    assert _border_km("YEM", "SAU") == pytest.approx(1307, rel=0.075)
    assert _border_km("MLI", "DZA") == pytest.approx(1359, rel=0.075)
    assert _border_km("IRQ", "SYR") == pytest.approx(598.9, abs=0.05)


def test_admin1_never_crosses_its_country_border():
    world = shipped_world()
    countries = world.countries.set_index("iso_a3").geometry
    admin1 = world.admin1[world.admin1["iso_a3"].isin(CONFLICT_COUNTRIES)]
    outside = shapely.difference(
        admin1.geometry.values, countries.reindex(admin1["iso_a3"]).values
    )
    # Rounding to 5 decimals leaves slivers under a metre wide along the
    # border: each smaller than a dropped crumb (1e-6 square degrees, about
    # 0.01 km2), and under 1e-5 of the unit's area in all.
    parts = shapely.get_parts(outside)
    assert shapely.area(parts).max() < 1e-6
    share = shapely.area(outside) / shapely.area(admin1.geometry.values)
    assert share.max() < 1e-4
    # And the units tile the country: their union is the country.
    union = admin1.dissolve("iso_a3").geometry
    gap = shapely.area(
        shapely.symmetric_difference(union.values, countries[union.index].values)
    ) / shapely.area(countries[union.index].values)
    assert gap.max() < 1e-4


def test_iraq_and_syria_keep_the_regional_governorates():
    regional = gpd.read_file(WORLD_DIR.parent / "admin1.geojson")
    world = shipped_world().admin1
    kept = world[world["iso_a3"].isin(["IRQ", "SYR"])].sort_values(["iso_a3", "name"])
    regional = regional.sort_values(["iso_a3", "name"])
    assert kept["name"].tolist() == regional["name"].tolist()
    assert shapely.equals(kept.geometry.values, regional.geometry.values).all()


def test_places_cover_the_world_with_alternate_names():
    places = shipped_world().places
    assert places["population"].min() >= 1_000
    assert (places["population"] < 15_000).sum() > 100_000  # small towns too
    assert places["country_code"].nunique() > 200
    sanaa = places.loc[places["name"] == "Sanaa", "alternate_names"].iloc[0]
    assert "صنعاء" in sanaa.split("; ")


def test_positions_at_sea_lie_in_no_unit():
    found = locate(np.array([0.0, 60.0]), np.array([0.0, 15.0]))
    assert found["iso_a3"].tolist() == ["", ""]


@pytest.mark.parametrize(
    ("kind", "values", "expected"),
    [
        (
            "name",
            ["Yemen", "Ukraine", "Mali", "Somalia", "Lebanon", "Palestine"],
            ["YEM", "UKR", "MLI", "SOM", "LBN", "PSX"],
        ),
        (
            "name",
            ["Yemen (North Yemen)", "Russia (Soviet Union)", "DR Congo (Zaire)"],
            ["YEM", "RUS", "COD"],
        ),
        (
            "name",
            ["YE", "UKR", "ml", "South Sudan", ""],
            ["YEM", "UKR", "MLI", "SDS", ""],
        ),
        ("iso_numeric", ["887", "804", "466", "706", "422", "275"], None),
        ("gw", ["678", "369", "432", "520", "660", "645", "652"], None),
    ],
)
def test_countries_by_any_name_or_code(kind, values, expected):
    if expected is None:
        expected = {
            "iso_numeric": ["YEM", "UKR", "MLI", "SOM", "LBN", "PSX"],
            "gw": ["YEM", "UKR", "MLI", "SOM", "LBN", "IRQ", "SYR"],
        }[kind]
    got = resolve_countries(pd.Series(values), kind=kind, path="f.csv", column="c")
    assert got.tolist() == expected


def test_unknown_country_names_row_and_value():
    values = pd.Series(["Yemen", "Atlantis", "Mali", "999"])
    with pytest.raises(CatalogueErrors) as caught:
        resolve_countries(values, path="acled.csv", column="country")
    assert caught.value.total == 2
    assert str(caught.value.errors[0]) == (
        "acled.csv, row 3, column 'country': 'Atlantis' is not a country of the "
        "reference data (expected an English name, ISO 3166 alpha-2 or alpha-3, "
        "ISO numeric or Gleditsch-Ward code)"
    )
    assert caught.value.errors[1].row == 5
