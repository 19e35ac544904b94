"""Provinces wider than 400 km (143 in the world) open as their whole area, and a
regional country clipped by the region's box never stands for the whole country."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from layers.__main__ import main
from layers.catalogue import read_catalogue
from layers.catalogue.errors import CatalogueError

WORLD = Path(__file__).resolve().parents[1] / "data" / "imports" / "world"
GEOD = Geod(ellps="WGS84")

#: ACLED geo_precision 3 (province only) events, and a town-level one near the
#: Dardanelles, beyond the regional box (38°N) in Turkey.
ROWS = [
    ("WIDE1", "Saudi Arabia", 682, "Ar Riyad", "Riyadh", 24.6877, 46.7219, 3),
    ("WIDE2", "Mali", 466, "Tombouctou", "Timbuktu", 16.7735, -3.0074, 3),
    ("WIDE3", "Russia", 643, "Krasnoyarsk", "Krasnoyarsk", 56.0184, 92.8672, 3),
    ("WIDE4", "Turkey", 792, "Canakkale", "Canakkale", 40.1553, 26.4142, 2),
]
#: Areas in km² (outside facts: Riyadh Province, Saudi General Authority for
#: Statistics; Tombouctou region, Mali's INSTAT; Krasnoyarsk Krai, Rosstat).
AREA_KM2 = {"WIDE1": 404_240, "WIDE2": 497_926, "WIDE3": 2_366_797}


def _acled(tmp_path: Path, rows=ROWS) -> Path:
    template = pd.read_csv(WORLD / "acled_world_strikes.csv", dtype=str).iloc[0]
    frame = pd.DataFrame([template] * len(rows)).reset_index(drop=True)
    columns = ["event_id_cnty", "country", "iso", "admin1", "location"]
    columns += ["latitude", "longitude", "geo_precision"]
    frame[columns] = pd.DataFrame(rows, columns=columns).astype(str)
    path = tmp_path / "wide.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> gpd.GeoDataFrame:
    tmp = tmp_path_factory.mktemp("wide")
    out = tmp / "out"
    assert main(["export", "--catalogue", str(_acled(tmp)), "--out", str(out)]) == 0
    return gpd.read_file(out / "events.geojson").set_index("event_id")


def _km2(geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geometry)[0]) / 1e6


@pytest.mark.parametrize("event_id", sorted(AREA_KM2))
def test_a_province_wider_than_400_km_is_drawn_whole(exported, event_id):
    event = exported.loc[event_id]
    assert event["precision_class"] == "P4"
    assert event.geometry.geom_type in ("Polygon", "MultiPolygon")
    assert event["uncertainty_m"] > 400_000
    # Natural Earth's generalised outline: within 10 % of the official area.
    assert _km2(event.geometry) == pytest.approx(AREA_KM2[event_id], rel=0.10)


def test_a_province_across_the_regional_box_edge_is_not_cut_by_it(exported):
    # Wadi ad-Dawasir (20.46 N) is in Riyadh Province, south of the regional
    # reference's 23 N edge: the area must hold it.
    area = exported.loc["WIDE1"].geometry
    assert area.bounds[1] < 20.0
    assert area.contains(shapely.Point(44.78, 20.46))


def test_a_town_beyond_the_box_in_a_regional_country_is_drawn(exported):
    event = exported.loc["WIDE4"]
    assert event["precision_class"] == "P3" and event["country"] == "TUR"
    assert event.geometry.contains(shapely.Point(26.4142, 40.1553))
    assert "inside Turkey" in event["derivation"]


def test_a_wider_radius_than_the_named_province_reaches_is_refused(tmp_path):
    catalogue = read_catalogue(_acled(tmp_path, ROWS[:1]))
    events = catalogue.events
    assert events["uncertainty_m"].iloc[0] == pytest.approx(470_000)
    native = tmp_path / "native"
    native.mkdir()
    # The same event, written as a native catalogue with a radius of 900 km:
    # Ar Riyad reaches nowhere near so far from its centre.
    main(["convert", str(_acled(tmp_path, ROWS[:1])), "--out", str(native)])
    path = native / "events.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[0, "uncertainty_m"] = "900000"
    table.to_csv(path, index=False)
    with pytest.raises(CatalogueError, match="Ar Riyad.*reaches 4[0-9]{2} km"):
        read_catalogue(native)
    # Without its admin-1 constraint, P4's bound of 400 km holds.
    table.loc[0, "uncertainty_m"] = "470000"
    table.loc[0, "constraints"] = "country:SAU"
    table.to_csv(path, index=False)
    with pytest.raises(CatalogueError, match="too wide for P4"):
        read_catalogue(native)
