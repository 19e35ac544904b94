"""``near:<town> <distance> km``: a zone within a distance of a named town.

"Within 20 km of Marib, in Marib governorate", as a source puts it: the town
is found among the reference places of the event's country by any of its
spellings, the zone is cut to the geodesic disc around it, and a town the
event's own disc cannot meet, an unknown town or a malformed distance is
refused by row and column. Distances are checked against ``pyproj.Geod``.
"""

from __future__ import annotations

import sys

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from layers.__main__ import main
from layers.catalogue import validate_tables
from layers.catalogue.errors import CatalogueErrors
from layers.catalogue.store.native import write_text_tables
from layers.catalogue.world import shipped_world
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))
from benchmarks.make_catalogue import make_catalogue  # noqa: E402

GEOD = Geod(ellps="WGS84")
#: GeoNames positions (outside facts): Ma'rib city and Sana'a.
MARIB = (15.46253, 45.32581)
SANAA = (15.35452, 44.20646)
NAMES = {"events": "events.csv", "claims": "claims.csv", "sources": "sources.csv"}


def _tables(constraints: str, *, at=MARIB, radius_m=40_000) -> dict:
    """One P4 event in Yemen at *at*, cut by *constraints*."""
    tables = make_catalogue(1, seed=5)
    events = tables["events"]
    lat, lon = at
    events.loc[0, ["country", "lat", "lon"]] = ["YEM", str(lat), str(lon)]
    events.loc[0, ["admin1", "candidates", "group_id"]] = ["", "", ""]
    events.loc[0, "precision_class"] = "P4"
    events.loc[0, ["geo_precision", "where_prec"]] = ["3", "4"]
    events.loc[0, "uncertainty_m"] = str(radius_m)
    events.loc[0, "constraints"] = constraints
    return tables


def _errors(constraints: str, **kwargs) -> list:
    with pytest.raises(CatalogueErrors) as info:
        validate_tables(**_tables(constraints, **kwargs), names=NAMES, native=True)
    return [e for e in info.value.errors if e.column == "constraints"]


@pytest.fixture(scope="module")
def zone(tmp_path_factory) -> shapely.Geometry:
    folder = tmp_path_factory.mktemp("near")
    tables = _tables("country:YEM; admin1:Ma'rib; near:Marib 20 km")
    write_text_tables(tables, folder / "catalogue")
    out = folder / "out"
    code = main(["export", "--catalogue", str(folder / "catalogue"), "--out", str(out)])
    assert code == 0
    events = gpd.read_file(out / "events.geojson")
    assert len(events) == 1
    return events.geometry.iloc[0], events.iloc[0]


def test_the_zone_lies_within_the_stated_distance_of_the_town(zone):
    shape, _ = zone
    ring = np.asarray(shapely.get_coordinates(shape.boundary))
    lat, lon = MARIB
    _, _, metres = GEOD.inv(
        np.full(len(ring), lon), np.full(len(ring), lat), ring[:, 0], ring[:, 1]
    )
    assert metres.max() <= 20_000 * 1.005
    assert shape.contains(shapely.Point(lon, lat))


def test_the_zone_is_cut_by_the_governorate_too_and_says_how(zone):
    shape, event = zone
    admin1 = shipped_world().admin1
    marib = admin1[(admin1["iso_a3"] == "YEM") & (admin1["name"] == "Ma'rib")]
    outside = shapely.difference(shape, marib.geometry.iloc[0].buffer(1e-6))
    assert outside.area < 1e-9
    assert "within 20 km of Ma'rib (GeoNames 72968" in event["derivation"]


def test_a_town_in_arabic_script_is_the_same_town():
    catalogue = validate_tables(**_tables("near:مأرب 20 km"), names=NAMES, native=True)
    assert len(catalogue.events) == 1


def test_a_town_the_events_disc_cannot_meet_is_refused_with_the_distance():
    # Sana'a lies about 120 km from Ma'rib: a 10 km disc there cannot meet
    # a 20 km disc around Sana'a.
    errors = _errors("near:Sanaa 20 km", radius_m=10_000)
    assert len(errors) == 1
    _, _, apart = GEOD.inv(MARIB[1], MARIB[0], SANAA[1], SANAA[0])
    assert f"{apart / 1000:,.1f} km away" in errors[0].problem
    assert "Sanaa" in errors[0].problem


@pytest.mark.parametrize(
    ("constraint", "says"),
    [
        ("near:Atlantis 20 km", "names no town of YEM"),
        ("near:Kharkiv 20 km", "names no town of YEM"),
        ("near:Marib", "expected near:<town> <distance> km"),
        ("near:Marib 0 km", "expected near:<town> <distance> km"),
        ("near:Marib 900 km", "up to 500 km"),
        ("near:", "needs a value"),
    ],
)
def test_a_bad_near_constraint_is_refused_by_row_and_column(constraint, says):
    errors = _errors(constraint)
    assert errors and all(e.row == 2 for e in errors)
    assert any(says in e.problem for e in errors), [e.problem for e in errors]


def test_a_small_town_of_a_few_thousand_people_is_known(tmp_path):
    # Vuhledar, a mining town of Donetsk oblast (about 14,000 people before
    # 2022, GeoNames 690823 at 47.78 N, 37.25 E), and Aguelhok in Mali's Kidal
    # region (about 8,000): places below 15,000 people are named by the
    # sources of every conflict, and near: knows them.
    for country, town, at in (
        ("UKR", "Vuhledar", (47.7806, 37.2497)),
        ("MLI", "Aguelhok", (19.4614, 0.8589)),
    ):
        tables = _tables(f"near:{town} 10 km", at=at, radius_m=30_000)
        tables["events"].loc[0, "country"] = country
        write_text_tables(tables, tmp_path / country / "catalogue")
        out = tmp_path / country / "out"
        catalogue = str(tmp_path / country / "catalogue")
        assert main(["export", "--catalogue", catalogue, "--out", str(out)]) == 0
        event = gpd.read_file(out / "events.geojson").iloc[0]
        assert f"within 10 km of {town}" in event["derivation"], country
        ring = np.asarray(shapely.get_coordinates(event.geometry.boundary))
        lat, lon = at
        _, _, metres = GEOD.inv(
            np.full(len(ring), lon), np.full(len(ring), lat), ring[:, 0], ring[:, 1]
        )
        assert metres.max() <= 10_000 * 1.005 + 500, country  # GeoNames vs ours


def test_a_town_of_a_territory_is_a_town_of_the_country_drawn_around_it():
    # GeoNames codes Bonaire "BQ"; Natural Earth draws it as part of the
    # Netherlands (it is a special municipality of the Netherlands since 2010).
    from layers.catalogue.towns import find_town

    town = find_town("Kralendijk", 10, "NLD")
    assert not isinstance(town, str), town
